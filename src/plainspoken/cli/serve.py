"""`plainspoken serve`: start the web workbench on a workspace."""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from plainspoken.config import load_settings
from plainspoken.errors import UsageError
from plainspoken.workspace import open_workspace

_out = Console(highlight=False)


def _check_free(host: str, port: int) -> None:
    """Refuse at once, in one line, an address that cannot be listened on."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UsageError(f"--host {host}: not an address this machine knows ({exc})") from exc
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise UsageError(
                f"cannot listen on {host}:{port} ({exc.strerror or exc}); choose another --port"
            ) from exc


def serve_command(
    workspace: Annotated[
        Path, typer.Option("--workspace", "-w", help="Workspace folder.")
    ] = Path(),
    host: Annotated[
        str, typer.Option(help="Address to listen on (loopback unless you say otherwise).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, help="Server processes (each also runs background jobs).")
    ] = 1,
    secure_cookies: Annotated[
        bool, typer.Option(help="Send the session cookie over HTTPS only (behind a TLS proxy).")
    ] = False,
    config: Annotated[Path | None, typer.Option("--config", help="Settings file to use.")] = None,
) -> None:
    """Start the web workbench: copy check, saved documents, community datasets, jobs.

    On the first start, when the workspace has no account yet, an administrator 'admin' is
    created and its one-time password printed once (or add accounts with `plainspoken users
    add`).
    """
    import uvicorn

    from plainspoken.store import database_url, open_store
    from plainspoken.store.users import first_admin

    ws = open_workspace(workspace)
    _check_free(host, port)
    settings = load_settings(config, start=ws.root)
    store = open_store(database_url(ws, settings))
    try:
        password = first_admin(store)
    finally:
        store.close()
    if password is not None:
        _out.print("No accounts yet: created the administrator 'admin'.")
        _out.print(f"One-time password (shown only now; change it at first login): {password}")
    shown = f"[{host}]" if ":" in host else host
    _out.print(f"plainspoken workbench on http://{shown}:{port}/ (workspace {ws.root.resolve()})")
    if host not in ("127.0.0.1", "localhost", "::1"):
        _out.print(f"Listening on {host}: put it behind HTTPS and use --secure-cookies.")
    os.environ["PLAINSPOKEN_WORKSPACE"] = str(ws.root.resolve())
    if config is not None:
        os.environ["PLAINSPOKEN_CONFIG"] = str(config.resolve())
    if secure_cookies:
        os.environ["PLAINSPOKEN_SECURE_COOKIES"] = "1"
    try:
        uvicorn.run(
            "plainspoken.web.app:app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
            access_log=False,
            proxy_headers=False,
        )
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port} ({exc.strerror or exc})") from exc
