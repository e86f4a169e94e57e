"""Accounts in the workbench: log in and out, wrong passwords, throttling, expired and
tampered sessions, CSRF, one-time passwords, password changes, cookie and header flags."""

from __future__ import annotations

import time
from pathlib import Path

from fastapi import FastAPI

from plainspoken.config import Settings
from plainspoken.store import users as store_users
from plainspoken.web import create_app

from .webtools import PASSWORDS, Client, assert_envelope


def _form_login(client: Client, username: str, password: str, next_: str = "/") -> object:
    client.refresh_csrf()
    return client.post(
        "/login",
        data={"username": username, "password": password, "next": next_},
        follow_redirects=False,
    )


def test_login_page_logs_in_and_sends_a_safe_cookie(anon: Client) -> None:
    page = anon.get("/login")
    assert page.status_code == 200 and 'name="csrf_token"' in page.text
    response = _form_login(anon, "editor", PASSWORDS["editor"], "/documents")
    assert response.status_code == 303 and response.headers["location"] == "/documents"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    assert anon.get("/api/session").json()["user"]["username"] == "editor"


def test_pages_carry_security_headers(anon: Client) -> None:
    headers = anon.get("/login").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"


def test_a_wrong_password_is_a_clear_message_on_the_page_and_in_the_api(anon: Client) -> None:
    response = _form_login(anon, "editor", "not-the-password")
    assert response.status_code == 401
    assert "wrong user name or password" in response.text
    anon.refresh_csrf()
    api = anon.post("/api/session", json={"username": "editor", "password": "nope-nope-nope"})
    assert "wrong user name or password" in assert_envelope(api, 401, "login_failed")


def test_repeated_failures_are_throttled_then_even_the_right_password_waits(
    anon: Client,
) -> None:
    for _ in range(5):
        anon.refresh_csrf()
        anon.post("/api/session", json={"username": "viewer", "password": "wrong-password"})
    anon.refresh_csrf()
    response = anon.post(
        "/api/session", json={"username": "viewer", "password": PASSWORDS["viewer"]}
    )
    assert "too many failed logins" in assert_envelope(response, 429, "throttled")
    assert int(response.headers["retry-after"]) > 0
    page = _form_login(anon, "viewer", PASSWORDS["viewer"])
    assert page.status_code == 429 and "try again in" in page.text


def test_login_never_redirects_to_another_site(anon: Client) -> None:
    for target in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        response = _form_login(anon, "viewer", PASSWORDS["viewer"], target)
        assert response.headers["location"] == "/", target


def test_logout_ends_the_session(editor: Client) -> None:
    assert editor.get("/api/documents").status_code == 200
    response = editor.post("/logout", data={}, follow_redirects=False)
    assert response.status_code == 303
    assert_envelope(editor.get("/api/documents"), 401, "login_required")
    page = editor.get("/documents", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login?next=")


def test_a_form_without_its_csrf_token_is_refused(editor: Client) -> None:
    response = editor.post("/documents", data={"title": "x", "text": "Hello there."}, csrf=False)
    assert response.status_code == 403 and "security token" in response.text
    wrong = editor.post(
        "/documents", data={"title": "x", "text": "Hello.", "csrf_token": "forged"}, csrf=False
    )
    assert wrong.status_code == 403
    api = editor.post("/api/documents", json={"title": "x", "text": "y"}, csrf=False)
    assert_envelope(api, 403, "csrf_failed")
    assert editor.get("/api/documents").json() == []  # nothing was saved


def test_an_expired_session_says_so(workspace: Path) -> None:
    settings = Settings().with_overrides(session_hours=1.5 / 3600)  # 1.5 s, cut to 1 s
    app = create_app(workspace, settings, worker=False)
    store_users.add_user(app.state.ctx.store, "ann", "a-long-password", "viewer")
    client = Client(app)
    try:
        assert client.login("ann", "a-long-password").status_code == 200
        assert client.get("/api/documents").status_code == 200
        time.sleep(2.2)
        message = assert_envelope(client.get("/api/documents"), 401, "login_required")
        assert "expired" in message
        page = client.get("/copy", follow_redirects=False)
        assert "expired" in page.headers["location"]
    finally:
        client.close()
        app.state.ctx.store.close()


def test_a_tampered_cookie_is_no_session(app: FastAPI, editor: Client) -> None:
    cookie = editor.http.cookies.get("plainspoken_session")
    assert cookie
    editor.http.cookies.set("plainspoken_session", cookie[:-4] + "AAAA")
    assert_envelope(editor.get("/api/documents"), 401, "login_required")


def test_a_one_time_password_must_be_changed_first(app: FastAPI) -> None:
    store = app.state.ctx.store
    store_users.add_user(store, "newbie", "one-time-pass", "editor", must_change=True)
    client, other = Client(app), Client(app)
    try:
        client.login("newbie", "one-time-pass")
        other.login("newbie", "one-time-pass")
        assert_envelope(client.get("/api/documents"), 403, "password_change_required")
        assert client.get("/copy", follow_redirects=False).headers["location"] == "/account"
        page = client.post(
            "/account/password",
            data={"current": "one-time-pass", "new": "short", "repeat": "short"},
        )
        assert page.status_code == 400 and "at least 10" in page.text
        page = client.post(
            "/account/password",
            data={"current": "one-time-pass", "new": "my-own-pass-1", "repeat": "my-own-pass-1"},
        )
        assert page.status_code == 200 and "password is changed" in page.text
        assert client.get("/api/documents").status_code == 200
        # the session opened with the old password has ended
        assert_envelope(other.get("/api/documents"), 401, "login_required")
        assert client.login("newbie", "my-own-pass-1").status_code == 200
    finally:
        client.close()
        other.close()


def test_password_change_in_the_api_checks_the_current_password(viewer: Client) -> None:
    wrong = viewer.post("/api/password", json={"current": "nope", "new": "another-pass-1"})
    assert_envelope(wrong, 401, "login_failed")
    right = viewer.post(
        "/api/password", json={"current": PASSWORDS["viewer"], "new": "another-pass-1"}
    )
    assert right.status_code == 200
    viewer.csrf = right.json()["csrf_token"]
    assert viewer.get("/api/documents").status_code == 200
