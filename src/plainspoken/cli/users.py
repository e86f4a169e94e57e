"""`plainspoken users`: accounts of the web workbench (add, list, set-password, remove)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from plainspoken.config import load_settings
from plainspoken.errors import UsageError
from plainspoken.workspace import open_workspace

if TYPE_CHECKING:
    from plainspoken.store import Store

users_app = typer.Typer(no_args_is_help=True, help="Manage the web workbench's accounts.")
_out = Console(highlight=False)
Workspace = Annotated[Path, typer.Option("--workspace", "-w", help="Workspace folder.")]


@contextmanager
def _store(workspace: Path) -> Iterator[Store]:
    from plainspoken.store import database_url, open_store

    ws = open_workspace(workspace)
    store = open_store(database_url(ws, load_settings(start=ws.root)))
    try:
        yield store
    finally:
        store.close()


def _password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise UsageError("--password-stdin: standard input holds no password line")
        return line
    if not sys.stdin.isatty():
        raise UsageError("no terminal to ask for the password: use --password-stdin")
    first = typer.prompt("Password", hide_input=True)
    if first != typer.prompt("Password again", hide_input=True):
        raise UsageError("the two passwords differ (run the command again)")
    return str(first)


@users_app.command("add")
def add_command(
    username: Annotated[str, typer.Argument(help="User name.")],
    role: Annotated[str, typer.Option(help="viewer, editor or admin.")] = "viewer",
    workspace: Workspace = Path(),
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    update: Annotated[
        bool, typer.Option("--update", help="When the user exists, set the password and role.")
    ] = False,
) -> None:
    """Add an account (asks for its password, or reads it with --password-stdin)."""
    from plainspoken.store import users as store_users

    store_users.check_role(role)
    password = _password(password_stdin)
    with _store(workspace) as store:
        existing = {u.username: u for u in store_users.list_users(store)}
        if update and username in existing:
            store_users.set_password(store, username, password)
            if existing[username].role != role:
                store_users.set_role(store, existing[username].id, role)
            _out.print(f"updated user '{username}' ({role})")
            return
        store_users.add_user(store, username, password, role)
    _out.print(f"added user '{username}' ({role})")


@users_app.command("list")
def list_command(workspace: Workspace = Path()) -> None:
    """List the accounts and their roles."""
    from plainspoken.store import users as store_users

    with _store(workspace) as store:
        table = Table("user", "role", "created", "one-time password")
        for user in store_users.list_users(store):
            table.add_row(
                user.username,
                user.role,
                f"{user.created_at:%Y-%m-%d %H:%M}",
                "yes" if user.must_change_password else "",
            )
    _out.print(table)


@users_app.command("set-password")
def set_password_command(
    username: Annotated[str, typer.Argument(help="User name.")],
    workspace: Workspace = Path(),
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Set an account's password (its open sessions end)."""
    from plainspoken.store import users as store_users

    password = _password(password_stdin)
    with _store(workspace) as store:
        store_users.set_password(store, username, password)
    _out.print(f"password of '{username}' changed")


@users_app.command("remove")
def remove_command(
    username: Annotated[str, typer.Argument(help="User name.")], workspace: Workspace = Path()
) -> None:
    """Remove an account (the last administrator stays)."""
    from plainspoken.store import users as store_users

    with _store(workspace) as store:
        store_users.remove_user(store, store_users.find_user(store, username).id)
    _out.print(f"removed user '{username}'")
