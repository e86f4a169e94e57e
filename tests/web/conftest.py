"""Fixtures for the web workbench tests: a workspace, the app, accounts, in-process clients
(httpx over the ASGI transport), and a PostgreSQL server for the store tests. This folder is
a package, so this conftest is ``web.conftest`` and never shadows the suite's ``conftest``."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from plainspoken.store import users as store_users
from plainspoken.web import create_app
from plainspoken.workspace import init

from .webtools import PASSWORDS, Client, free_port

PG_BIN = Path("/usr/lib/postgresql/15/bin")


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    init(root)
    (root / "imports").mkdir()
    return root


@pytest.fixture
def app(workspace: Path) -> Iterator[FastAPI]:
    """The app with one account per role; its job worker is not started."""
    application = create_app(workspace, worker=False)
    store = application.state.ctx.store
    for role, password in PASSWORDS.items():
        store_users.add_user(store, role, password, role)
    yield application
    store.close()


@pytest.fixture
def running_worker(app: FastAPI) -> Iterator[FastAPI]:
    """The app with a job worker thread running, as the server's lifespan starts it."""
    from plainspoken.web.jobs import Worker

    worker = Worker(app.state.ctx.store, poll_seconds=0.05)
    app.state.worker = worker
    worker.start()
    yield app
    worker.stop()


@pytest.fixture
def anon(app: FastAPI) -> Iterator[Client]:
    client = Client(app)
    yield client
    client.close()


def _client_for(app: FastAPI, role: str) -> Iterator[Client]:
    client = Client(app)
    assert client.login(role, PASSWORDS[role]).status_code == 200
    yield client
    client.close()


@pytest.fixture
def admin(app: FastAPI) -> Iterator[Client]:
    yield from _client_for(app, "admin")


@pytest.fixture
def editor(app: FastAPI) -> Iterator[Client]:
    yield from _client_for(app, "editor")


@pytest.fixture
def viewer(app: FastAPI) -> Iterator[Client]:
    yield from _client_for(app, "viewer")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL 15 server of its own, started for the test session and stopped after.

    initdb refuses to run as root, so as root the server runs as ``nobody`` in a folder it
    owns. Skipped only when the Debian postgresql binaries are absent."""
    if not (PG_BIN / "initdb").is_file():
        pytest.skip(f"PostgreSQL binaries not found in {PG_BIN} (apt-get install postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="plainspoken-pg-"))
    data = folder / "data"
    as_user: dict[str, Any] = {}
    if os.geteuid() == 0:
        shutil.chown(folder, "nobody")
        folder.chmod(0o700)
        as_user = {"user": "nobody", "group": "nogroup"}
    port = free_port()
    env = {**os.environ, "LC_ALL": "C"}
    run = {"check": True, "capture_output": True, "env": env, "cwd": folder, **as_user}
    subprocess.run(
        [
            str(PG_BIN / "initdb"),
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "pg",
            "-E",
            "UTF8",
            "--locale=C",
        ],
        **run,
    )
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        [str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"),
         "-w", "start"],
        **run,
    )  # fmt: skip
    try:
        yield f"postgresql+psycopg://pg@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
            **{**run, "check": False},
        )
        shutil.rmtree(folder, ignore_errors=True)
