"""`plainspoken users` and `plainspoken serve` from the command line."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from conftest import CLI, one_line_error
from plainspoken.workspace import init

from .webtools import free_port


def test_users_are_added_listed_updated_and_removed(cli: CLI, tmp_path: Path) -> None:
    init(tmp_path / "ws")
    ws = str(tmp_path / "ws")
    added = cli("users", "add", "ann", "--role", "editor", "--password-stdin", "-w", ws,
                stdin="ann-password-1\n")  # fmt: skip
    assert added.returncode == 0, added.stderr
    again = cli("users", "add", "ann", "--password-stdin", "-w", ws, stdin="ann-password-1\n")
    assert "exists already" in one_line_error(again)
    short = cli("users", "add", "bob", "--password-stdin", "-w", ws, stdin="short\n")
    assert "at least 10" in one_line_error(short)
    updated = cli("users", "add", "ann", "--role", "admin", "--password-stdin", "--update",
                  "-w", ws, stdin="ann-password-2\n")  # fmt: skip
    assert updated.returncode == 0 and "updated" in updated.stdout
    listed = cli("users", "list", "-w", ws)
    assert re.search(r"ann\s+│?\s*admin", listed.stdout), listed.stdout
    assert "last administrator" in one_line_error(cli("users", "remove", "ann", "-w", ws))
    assert "not a plainspoken workspace" in one_line_error(
        cli("users", "list", "-w", str(tmp_path / "nowhere"))
    )


def test_serve_prints_a_one_time_admin_password_that_logs_in(tmp_path: Path) -> None:
    init(tmp_path / "ws")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "plainspoken", "serve", "-w", str(tmp_path / "ws"),
         "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip
    try:
        assert server.stdout is not None
        lines = [server.stdout.readline() for _ in range(3)]
        password = lines[1].rsplit(": ", 1)[1].strip()
        assert f"http://127.0.0.1:{port}/" in lines[2]
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            for _ in range(200):
                try:
                    client.get("/healthz")
                    break
                except httpx.TransportError:
                    time.sleep(0.05)
            token = client.get("/api/session").json()["csrf_token"]
            response = client.post(
                "/api/session",
                json={"username": "admin", "password": password},
                headers={"X-CSRF-Token": token},
            )
            assert response.status_code == 200
            assert response.json()["user"]["must_change_password"] is True
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(20)
        for pipe in (server.stdout, server.stderr):
            if pipe is not None:
                pipe.close()


def test_serve_on_a_busy_port_is_one_line(cli: CLI, tmp_path: Path) -> None:
    init(tmp_path / "ws")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = cli("serve", "-w", str(tmp_path / "ws"), "--port", str(port))
    assert "cannot listen on 127.0.0.1" in one_line_error(result)
