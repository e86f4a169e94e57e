"""The workbench in a real browser: Debian's chromium, driven by Playwright, against a server
on the loopback address. Screenshots go to PLAINSPOKEN_SCREENSHOTS when it is set (the ones
in docs/screenshots/ were made so), else to the test's own folder."""

from __future__ import annotations

import importlib.util
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
import uvicorn

from plainspoken.store import database_url, open_store
from plainspoken.store import users as store_users
from plainspoken.web import create_app
from plainspoken.workspace import init

from .test_jobs import seven_zip
from .webtools import PASSWORDS, free_port, wait_for

pytestmark = pytest.mark.browser
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
COPY = (
    "Our next-generation platform will empower your team to leverage synergies.\n\n"
    "We utilize a robust engine in order to help you back up 2 TB in 4 minutes.\n"
)

PLAIN = (
    "The agent backs up each laptop every night and keeps 30 daily copies.\n\n"
    "A restore of one user's files takes about 4 minutes over the office link. It does not "
    "back up network shares: use your file server's own snapshots for those.\n"
)

if not CHROMIUM.is_file():
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402
from playwright.sync_api import Error as PlaywrightError  # noqa: E402


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The workbench on 127.0.0.1 in a thread of this process, with its job worker."""
    root = tmp_path_factory.mktemp("browser") / "ws"
    ws = init(root)
    from plainspoken.config import Settings

    store = open_store(database_url(ws, Settings()))
    for role, password in PASSWORDS.items():
        store_users.add_user(store, role, password, role)
    store.close()
    app = create_app(root)
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    uvicorn_server = uvicorn.Server(config)
    thread = threading.Thread(target=uvicorn_server.run, daemon=True)
    thread.start()
    wait_for(lambda: uvicorn_server.started, timeout=30)
    yield f"http://127.0.0.1:{port}"
    uvicorn_server.should_exit = True
    thread.join(15)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("PLAINSPOKEN_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def demo_community() -> ModuleType:
    """demo/make_community.py, the synthetic dump of the demo workspace."""
    path = Path(__file__).resolve().parents[2] / "demo" / "make_community.py"
    spec = importlib.util.spec_from_file_location("make_community", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _page(browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    return page


def _shot(page: Page, path: Path, *, full_page: bool = False) -> None:
    """A screenshot for the docs, taken once the page has settled. Chromium sometimes refuses a
    capture while it is still compositing; one retry after a short wait is enough."""
    page.wait_for_load_state("load")
    try:
        page.screenshot(path=str(path), full_page=full_page)
    except PlaywrightError:
        page.wait_for_timeout(500)
        page.screenshot(path=str(path), full_page=full_page)


def _log_in(page: Page, server: str, role: str) -> None:
    page.goto(f"{server}/login")
    page.get_by_label("User name").fill(role)
    page.get_by_label("Password").fill(PASSWORDS[role])
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Copy check")).to_be_visible()


def test_an_editor_checks_copy_imports_a_dataset_and_logs_out(
    server: str, browser: Browser, shots: Path, tmp_path: Path
) -> None:
    page = _page(browser)
    page.goto(f"{server}/copy")
    expect(page).to_have_url(f"{server}/login?next=/copy&why=log%20in%20to%20use%20the%20workbench")
    _shot(page, shots / "login.png")
    page.get_by_label("User name").fill("editor")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("wrong user name or password")
    page.get_by_label("Password").fill(PASSWORDS["editor"])
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{server}/copy")

    # paste text, check, and read a finding's explanation by keyboard focus
    page.get_by_label("Text to check").fill(COPY)
    page.get_by_label("Audience").select_option("it-practitioner")
    page.get_by_role("button", name="Check", exact=True).click()
    mark = page.locator('mark.finding[data-rule="wordy.phrase"]').first
    expect(mark).to_have_text("utilize" + mark.locator(".tip").inner_text())
    tip = mark.locator(".tip")
    expect(tip).to_be_hidden()
    mark.focus()
    expect(tip).to_be_visible()
    expect(tip).to_contain_text("Write 'use'.")
    _shot(page, shots / "copy-check.png", full_page=False)

    # apply the safe fixes, then save and track the document
    page.get_by_role("button", name="Check and apply safe fixes").first.click()
    expect(page.locator(".applied")).to_contain_text("safe fix")
    page.get_by_placeholder("Title, e.g. Spring launch page").fill("Launch page")
    page.get_by_role("button", name="Save and track").click()
    expect(page.get_by_role("heading", name="Launch page")).to_be_visible()
    first = int(page.locator(".score").first.get_attribute("data-score") or -1)
    page.get_by_label("Text", exact=True).fill(PLAIN)
    page.get_by_role("button", name="Save and check").click()
    expect(page.locator("svg.chart polyline.line")).to_have_count(1)
    assert int(page.locator(".score").first.get_attribute("data-score") or -1) > first
    _shot(page, shots / "document.png", full_page=True)

    # upload a file to check
    upload = tmp_path / "press.md"
    upload.write_text("# News\n\nA best-in-class, world-class launch.\n", encoding="utf-8")
    page.goto(f"{server}/copy")
    page.get_by_label("…or upload a file").set_input_files(str(upload))
    page.get_by_role("button", name="Check", exact=True).click()
    expect(page.get_by_role("heading", name="Check result: press.md")).to_be_visible()
    expect(page.locator("mark.finding").first).to_be_visible()

    # a binary upload is a clear message, and the server keeps serving
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\x00\xff" * 100)
    page.goto(f"{server}/copy")
    page.get_by_label("…or upload a file").set_input_files(str(junk))
    page.get_by_role("button", name="Check", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("junk.txt")
    expect(page.get_by_role("alert")).to_contain_text("binary")

    # import a small dataset and watch its progress reach 100%
    folder = tmp_path / "dump"
    folder.mkdir()
    for name, text in demo_community().build(120, 7).items():
        (folder / name).write_text(text, encoding="utf-8")
    dump = seven_zip(folder, tmp_path / "home.stackexchange.com.7z")
    page.goto(f"{server}/community")
    page.get_by_label("Dataset name").fill("home")
    page.get_by_label("Format", exact=True).select_option("stackexchange")
    page.get_by_label("Upload the dump").set_input_files(str(dump))
    page.get_by_role("button", name="Start import").click()
    expect(page.locator('[data-field="status"]')).to_have_text("done", timeout=60_000)
    expect(page.locator("#job-progress")).to_have_attribute("value", "100.0")
    expect(page.locator('[data-field="percent"]')).to_have_text("100%")
    _shot(page, shots / "job.png")
    page.get_by_role("link", name="dataset home").click()
    expect(page.locator("svg.chart")).to_have_count(3)
    _shot(page, shots / "dataset.png", full_page=True)

    # run the authenticity analysis and open its report
    page.get_by_role("link", name="Authenticity signals").click()
    expect(page.get_by_text("No analysis of this dataset yet.")).to_be_visible()
    page.get_by_role("button", name="Run the authenticity analysis").click()
    expect(page.locator('[data-field="status"]')).to_have_text("done", timeout=60_000)
    page.get_by_role("link", name="authenticity signals of home").click()
    thread = page.locator("section.thread").first
    expect(thread).to_contain_text("What do you use for offsite backups?")
    expect(thread.locator("svg.timeline circle")).to_have_count(5)
    expect(thread.locator("blockquote").first).to_contain_text("SwiftVault")
    _shot(page, shots / "authenticity.png", full_page=True)

    # rank the influencers on a topic: the flagged accounts are left out
    page.get_by_role("link", name="Dataset statistics").click()
    page.get_by_role("link", name="Influencers").click()
    page.get_by_label("Topic").fill("tag:backup, restore")
    page.get_by_role("button", name="Rank influencers").click()
    expect(page.locator('[data-field="status"]')).to_have_text("done", timeout=60_000)
    page.get_by_role("link", name="influencers of home on tag:backup, restore").click()
    expect(page.locator("section.person").first.locator("meter")).to_have_count(4)
    expect(page.get_by_role("heading", name=re.compile(r"^Left out \(\d+\)$"))).to_be_visible()
    _shot(page, shots / "influencers.png", full_page=False)

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("alert")).to_contain_text("logged out")
    page.goto(f"{server}/documents")
    expect(page).to_have_url(
        f"{server}/login?next=/documents&why=log%20in%20to%20use%20the%20workbench"
    )
    page.context.close()


def test_a_viewer_reads_but_cannot_change_anything(
    server: str, browser: Browser, shots: Path
) -> None:
    page = _page(browser)
    _log_in(page, server, "viewer")
    page.get_by_label("Text to check").fill(COPY)
    page.get_by_role("button", name="Check", exact=True).click()
    expect(page.locator("mark.finding").first).to_be_visible()
    expect(page.get_by_role("button", name="Save and track")).to_have_count(0)
    page.goto(f"{server}/community")
    expect(page.get_by_role("button", name="Start import")).to_have_count(0)
    expect(page.get_by_role("link", name="Settings")).to_have_count(0)
    status = page.evaluate(
        """async () => {
            const session = await (await fetch('/api/session')).json();
            const response = await fetch('/api/documents', {method: 'POST',
              headers: {'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf_token},
              body: JSON.stringify({title: 'x', text: 'y'})});
            return [response.status, (await response.json()).error.code];
        }"""
    )
    assert status == [403, "forbidden"]
    page.goto(f"{server}/settings")
    expect(page.get_by_role("alert")).to_contain_text("needs the admin role")
    page.context.close()


def test_an_admin_sees_settings_users_and_the_api_docs(
    server: str, browser: Browser, shots: Path
) -> None:
    page = _page(browser)
    _log_in(page, server, "admin")
    page.goto(f"{server}/settings")
    page.get_by_label("Accepted words").fill("Acme Sync")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("status")).to_contain_text("Settings saved")
    expect(page.get_by_label("Accepted words")).to_have_value("Acme Sync")
    _shot(page, shots / "settings.png", full_page=True)
    page.goto(f"{server}/users")
    expect(page.get_by_role("cell", name="viewer", exact=True).first).to_be_visible()
    _shot(page, shots / "users.png")
    page.goto(f"{server}/api/docs")
    expect(page.get_by_role("cell", name="/api/check")).to_be_visible()
    _shot(page, shots / "api-docs.png")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{server}/copy")
    page.get_by_label("Text to check").fill(COPY)
    page.get_by_role("button", name="Check", exact=True).click()
    expect(page.locator("mark.finding").first).to_be_visible()
    _shot(page, shots / "copy-check-phone.png")
    page.context.close()
