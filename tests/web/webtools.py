"""Helpers for the web tests: an in-process client, the error envelope, waiting."""

from __future__ import annotations

import asyncio
import socket
import time
from typing import Any

import httpx
from fastapi import FastAPI

PASSWORDS = {
    "admin": "admin-password-1",
    "editor": "editor-password-1",
    "viewer": "viewer-password-1",
}


class Client:
    """A synchronous face on ``httpx.AsyncClient`` over the app's ASGI transport, keeping
    cookies and sending the CSRF token on changes (unless ``csrf=False``)."""

    def __init__(self, app: FastAPI) -> None:
        self.runner = asyncio.Runner()
        transport = httpx.ASGITransport(app=app)
        self.http = httpx.AsyncClient(transport=transport, base_url="http://testserver")
        self.csrf = ""

    def request(self, method: str, url: str, *, csrf: bool = True, **kwargs: Any) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}) or {})
        if csrf and method.upper() in ("POST", "PUT", "PATCH", "DELETE") and self.csrf:
            data = kwargs.get("data")
            if isinstance(data, dict) and "csrf_token" not in data:
                kwargs["data"] = {**data, "csrf_token": self.csrf}
            elif data is None:
                headers.setdefault("X-CSRF-Token", self.csrf)
        response = self.runner.run(self.http.request(method, url, headers=headers, **kwargs))
        return response

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)

    def refresh_csrf(self) -> str:
        self.csrf = self.get("/api/session").json()["csrf_token"]
        return self.csrf

    def login(self, username: str, password: str) -> httpx.Response:
        self.refresh_csrf()
        response = self.post("/api/session", json={"username": username, "password": password})
        if response.status_code == 200:
            self.csrf = response.json()["csrf_token"]
        return response

    def close(self) -> None:
        self.runner.run(self.http.aclose())
        self.runner.close()


def assert_envelope(response: httpx.Response, status: int, code: str | None = None) -> str:
    """The response is the API's one error shape with this status (and code); returns the
    message."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json"), response.text
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert error["status"] == status
    assert isinstance(error["message"], str) and error["message"]
    if code is not None:
        assert error["code"] == code, error
    return str(error["message"])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(predicate: Any, timeout: float = 30, every: float = 0.05) -> Any:
    """Poll ``predicate`` until it returns something true; fail after ``timeout`` seconds."""
    end = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"timed out after {timeout} s waiting for {predicate}")
        time.sleep(every)
