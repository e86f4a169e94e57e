"""Community imports as background jobs: live progress, results, failures that keep the
previous dataset, cancel, jobs interrupted by a server stop, and the dataset pages."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import py7zr
import pytest
from fastapi import FastAPI

from fixtures.community.stackexchange_dump import write_dump
from plainspoken.store import jobs as store_jobs
from plainspoken.web import jobs as web_jobs

from .webtools import Client, assert_envelope, wait_for


def seven_zip(folder: Path, target: Path) -> Path:
    with py7zr.SevenZipFile(target, "w") as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, path.name)
    return target


@pytest.fixture
def dump(tmp_path: Path) -> Path:
    return seven_zip(write_dump(tmp_path / "dump"), tmp_path / "home.stackexchange.com.7z")


def finished(client: Client, job_id: int) -> Callable[[], dict[str, Any] | None]:
    def check() -> dict[str, Any] | None:
        job: dict[str, Any] = client.get(f"/api/jobs/{job_id}").json()
        return job if job["status"] in ("done", "failed", "cancelled", "interrupted") else None

    return check


def upload(client: Client, dump: Path, name: str = "home") -> int:
    response = client.post(
        "/community/import",
        data={"name": name, "format": "stackexchange"},
        files={"file": (dump.name, dump.read_bytes(), "application/x-7z-compressed")},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def test_an_uploaded_dump_is_imported_in_the_background(
    running_worker: FastAPI, editor: Client, dump: Path
) -> None:
    job_id = upload(editor, dump)
    page = editor.get(f"/jobs/{job_id}")
    assert page.status_code == 200 and f'data-job="{job_id}"' in page.text
    job = wait_for(finished(editor, job_id))
    assert job["status"] == "done", job
    assert job["progress"] == 1.0
    assert job["result"]["dataset"] == "home"
    assert job["result"]["counts"]["posts"] > 0
    uploads = running_worker.state.ctx.uploads
    assert not any(uploads.iterdir())  # the uploaded dump is removed after the import
    listed = editor.get("/api/datasets").json()
    assert [d["name"] for d in listed] == ["home"]
    stats = editor.get("/api/datasets/home/stats").json()
    assert stats["counts"]["posts"] == job["result"]["counts"]["posts"]
    page = editor.get("/community/home")
    assert page.status_code == 200
    assert page.text.count("<svg") == 3 and "Base rates by month" in page.text
    exported = editor.get("/community/home/export.csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert rows[-1]["month"] == "all"
    assert int(rows[-1]["answers"]) == stats["base_rates"]["overall"]["answers"]
    assert editor.get("/community/home/export.json").json() == stats


def test_a_malformed_dump_fails_with_a_message_and_the_dataset_is_kept(
    running_worker: FastAPI, editor: Client, dump: Path, tmp_path: Path
) -> None:
    assert wait_for(finished(editor, upload(editor, dump)))["status"] == "done"
    before = editor.get("/api/datasets/home/stats").json()
    broken = write_dump(tmp_path / "broken", Posts='<?xml version="1.0"?>\n<posts>\n<row Id="1" ')
    job = wait_for(finished(editor, upload(editor, seven_zip(broken, tmp_path / "b.7z"))))
    assert job["status"] == "failed"
    assert "Posts.xml" in job["error"]
    page = editor.get(f"/jobs/{job['id']}")
    assert "Posts.xml" in page.text and 'class="status failed"' in page.text
    assert editor.get("/api/datasets/home/stats").json() == before
    assert editor.get("/api/jobs").status_code == 200  # the server and its worker go on


def test_server_paths_must_stay_inside_the_import_folders(
    running_worker: FastAPI, editor: Client, workspace: Path
) -> None:
    for path in ("../plainspoken.toml", "/etc/passwd", "imports/../../x", "nothing-here"):
        response = editor.post(
            "/api/datasets/import", json={"name": "x", "format": "stackexchange", "path": path}
        )
        assert "inside the import folders" in assert_envelope(response, 400, "bad_input"), path
    outside = workspace.parent / "elsewhere"
    write_dump(outside)
    (workspace / "imports" / "link").symlink_to(outside)
    response = editor.post(
        "/api/datasets/import", json={"name": "x", "format": "stackexchange", "path": "link"}
    )
    assert_envelope(response, 400, "bad_input")
    write_dump(workspace / "imports" / "site")
    response = editor.post(
        "/api/datasets/import", json={"name": "site", "format": "stackexchange", "path": "site"}
    )
    assert response.status_code == 202
    assert wait_for(finished(editor, response.json()["id"]))["status"] == "done"


def test_bad_names_and_formats_are_refused_before_anything_is_queued(editor: Client) -> None:
    for body, words in [
        ({"name": "../up", "format": "reddit", "path": "a"}, "cannot name a dataset"),
        ({"name": "ok", "format": "myspace", "path": "a"}, "unknown format"),
    ]:
        assert words in assert_envelope(editor.post("/api/datasets/import", json=body), 400)
    assert editor.get("/api/jobs").json() == []
    assert_envelope(editor.get("/api/datasets/nosuch/stats"), 400, "bad_input")


def test_a_queued_job_cancels_at_once(app: FastAPI, editor: Client, dump: Path) -> None:
    job_id = upload(editor, dump)  # no worker runs in this app
    job = editor.post(f"/api/jobs/{job_id}/cancel").json()
    assert job["status"] == "cancelled"
    again = editor.post(f"/api/jobs/{job_id}/cancel")
    assert "already ended" in assert_envelope(again, 400, "bad_input")


def test_a_running_job_stops_when_cancelled(
    running_worker: FastAPI, editor: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def slow(params: dict[str, Any], report: Callable[[float, str], None]) -> dict[str, Any]:
        for step in range(2000):
            report(step / 2000, f"step {step}")
            time.sleep(0.01)
        return {}

    monkeypatch.setitem(web_jobs.JOBS, "slow", slow)
    store = running_worker.state.ctx.store
    job = store_jobs.create_job(store, "slow", "a slow job", {}, None)
    running_worker.state.worker.wake()
    wait_for(lambda: editor.get(f"/api/jobs/{job.id}").json()["progress"] > 0)
    editor.post(f"/jobs/{job.id}/cancel", data={}, follow_redirects=False)
    ended = wait_for(finished(editor, job.id))
    assert ended["status"] == "cancelled" and ended["progress"] < 1


def test_a_job_that_crashes_is_failed_and_the_worker_goes_on(
    running_worker: FastAPI, editor: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(params: dict[str, Any], report: Callable[[float, str], None]) -> dict[str, Any]:
        report(0.5, "half way")
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(web_jobs.JOBS, "broken", broken)
    monkeypatch.setitem(web_jobs.JOBS, "fine", lambda params, report: {"ok": True})
    store = running_worker.state.ctx.store
    first = store_jobs.create_job(store, "broken", "will fail", {}, None)
    second = store_jobs.create_job(store, "fine", "will pass", {}, None)
    running_worker.state.worker.wake()
    failed = wait_for(finished(editor, first.id))
    assert failed["status"] == "failed" and "disk on fire" in failed["error"]
    assert wait_for(finished(editor, second.id))["result"] == {"ok": True}


def test_jobs_left_running_by_a_stopped_server_are_marked_interrupted(
    app: FastAPI, editor: Client
) -> None:
    store = app.state.ctx.store
    upload = app.state.ctx.uploads / "upload-left-behind"
    upload.mkdir()
    (upload / "dump.7z").write_bytes(b"half a dump")
    job = store_jobs.create_job(store, "import", "was running", {"upload_dir": str(upload)}, None)
    store_jobs.claim_next(store, f"{web_jobs.HOST}:999999999:dead")
    worker = web_jobs.Worker(store)
    try:
        worker.start()  # what a server does when it starts
        body = editor.get(f"/api/jobs/{job.id}").json()
        assert body["status"] == "interrupted" and "server stopped" in body["message"]
        assert "interrupted" in editor.get("/jobs").text
        assert not upload.exists()
    finally:
        worker.stop()


def test_an_authenticity_analysis_runs_as_a_job_and_is_kept(
    running_worker: FastAPI, editor: Client, viewer: Client, dump: Path
) -> None:
    assert wait_for(finished(editor, upload(editor, dump)))["status"] == "done"
    assert_envelope(editor.get("/api/datasets/home/authenticity"), 404, "not_found")
    assert_envelope(viewer.post("/api/datasets/home/authenticity"), 403, "forbidden")
    missing = editor.post("/api/datasets/nosuch/authenticity")
    assert "no dataset 'nosuch'" in assert_envelope(missing, 400, "bad_input")
    queued = editor.post("/api/datasets/home/authenticity")
    assert queued.status_code == 202
    job = wait_for(finished(editor, queued.json()["id"]))
    assert job["status"] == "done", job
    assert job["result"]["analysis"] == "authenticity"
    report = viewer.get("/api/datasets/home/authenticity").json()
    assert report["dataset"] == "home"
    assert {t["thread_id"] for t in report["threads"]} == {"1", "5"}
    assert job["result"]["flagged_threads"] == sum(t["flagged"] for t in report["threads"])
    page = viewer.get("/community/home/authenticity")
    assert page.status_code == 200 and "What is normal here" in page.text
    assert "Run the analysis again" not in page.text  # viewers read, editors run
    threads = viewer.get("/community/home/authenticity/threads.csv")
    assert threads.text.splitlines()[0].startswith("thread_id,score,flagged")
    assert len(threads.text.splitlines()) == 3
    sneaky = viewer.get("/community/home/authenticity/..%2F..%2F..%2Fplainspoken.toml")
    assert sneaky.status_code == 404 and "fail_level" not in sneaky.text
    unknown = viewer.get("/community/home/authenticity/secrets.txt")
    assert unknown.status_code == 404 and "no export" in unknown.text


def test_an_influencer_ranking_runs_as_a_job_and_is_kept(
    running_worker: FastAPI, editor: Client, viewer: Client, dump: Path
) -> None:
    assert wait_for(finished(editor, upload(editor, dump)))["status"] == "done"
    assert editor.get("/api/datasets/home/influencers").json() == []
    empty = editor.post("/api/datasets/home/influencers", json={"topic": "  "})
    assert "topic is empty" in assert_envelope(empty, 400, "bad_input")
    assert_envelope(
        viewer.post("/api/datasets/home/influencers", json={"topic": "zigbee"}), 403, "forbidden"
    )
    queued = editor.post("/api/datasets/home/influencers", json={"topic": "tag:zigbee, hub"})
    job = wait_for(finished(editor, queued.json()["id"]))
    assert job["status"] == "done", job
    listed = viewer.get("/api/datasets/home/influencers").json()
    assert [r["topic"] for r in listed] == ["tag:zigbee, hub"]
    ranking = viewer.get(f"/api/datasets/home/influencers/{listed[0]['slug']}").json()
    assert ranking["ranked"] == job["result"]["ranked"] > 0
    assert [a["rank"] for a in ranking["accounts"]] == sorted(
        a["rank"] for a in ranking["accounts"]
    )
    for account in ranking["accounts"]:
        assert set(account["facets"]) == set(ranking["facets"])
        assert all(0 <= v <= 1 for v in account["facets"].values())
    csv_text = viewer.get(f"/community/home/influencers/{listed[0]['slug']}/ranking.csv").text
    assert csv_text.startswith("rank,account_id")
    assert_envelope(viewer.get("/api/datasets/home/influencers/..-deadbeef"), 404, "not_found")


def test_the_api_takes_an_uploaded_dump_too(
    running_worker: FastAPI, editor: Client, dump: Path
) -> None:
    response = editor.post(
        "/api/datasets/upload",
        data={"name": "viaapi", "format": "stackexchange"},
        files={"file": (dump.name, dump.read_bytes(), "application/x-7z-compressed")},
    )
    assert response.status_code == 202, response.text
    job = wait_for(finished(editor, response.json()["id"]))
    assert job["status"] == "done" and job["result"]["dataset"] == "viaapi"
    empty = editor.post(
        "/api/datasets/upload",
        data={"name": "empty", "format": "stackexchange"},
        files={"file": ("empty.7z", b"")},
    )
    assert "empty" in assert_envelope(empty, 400, "bad_upload")
