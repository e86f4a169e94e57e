"""Open the app database (SQLite in the workspace, or any SQLAlchemy URL) and migrate it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from plainspoken.config import Settings
from plainspoken.errors import WorkspaceError
from plainspoken.workspace import Workspace

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
HEAD = "0001"
"""The newest migration this release ships."""


def database_url(workspace: Workspace, settings: Settings) -> str:
    """The ``database_url`` setting, or the workspace's SQLite file when it is empty."""
    url = str(settings["database_url"] or "")
    return url or f"sqlite:///{workspace.database.resolve()}"


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


@dataclass
class Store:
    """A connection pool to the app database and a session factory."""

    engine: Engine
    sessions: sessionmaker[Session]

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits when the block ends and rolls back when it raises."""
        with self.sessions() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()


def open_store(url: str, *, migrate: bool = True) -> Store:
    """Connect to ``url`` and bring its schema up to date (``migrate``)."""
    try:
        if url.startswith("sqlite"):
            engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(url, pool_pre_ping=True)
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise WorkspaceError(
            f"database_url {_safe(url)!r}: cannot be used ({exc}); use sqlite:///PATH or "
            "postgresql+psycopg://USER@HOST:PORT/DB"
        ) from exc
    store = Store(engine, sessionmaker(engine, expire_on_commit=False))
    if migrate:
        upgrade(store)
    return store


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    head, sep, tail = url.partition("@")
    if not sep or "://" not in head:
        return url
    scheme, _, credentials = head.partition("://")
    return f"{scheme}://{credentials.split(':', 1)[0]}@{tail}"


def upgrade(store: Store) -> None:
    """Apply every migration the database has not had yet (Alembic, shipped in the package)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with store.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except SQLAlchemyError as exc:
        raise WorkspaceError(
            f"database {_safe(str(store.engine.url))}: cannot migrate the app tables "
            f"({exc.__class__.__name__}: {str(exc).splitlines()[0]}); check the database_url "
            "setting and that the server is running"
        ) from exc


def revision(store: Store) -> str | None:
    """The migration the database is at (None before the first)."""
    with store.engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        value = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        return None if value is None else str(value)
