"""The app database: the same store tests on SQLite (the default) and on PostgreSQL."""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from plainspoken.config import Settings
from plainspoken.errors import AccessError, NotFoundError, UsageError, WorkspaceError
from plainspoken.store import Store, database_url, jobs, open_store, overrides, revision, users
from plainspoken.store import documents as docs
from plainspoken.store.database import HEAD
from plainspoken.store.models import Base, LoginFailure, now
from plainspoken.workspace import init


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        ws = init(tmp_path / "ws")
        url = database_url(ws, Settings())
    else:
        server = request.getfixturevalue("postgres_url")
        name = "t_" + secrets.token_hex(6)
        admin = create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {name}"))
        admin.dispose()
        url = server.rsplit("/", 1)[0] + "/" + name
    opened = open_store(url)
    yield opened
    opened.close()


def test_migrations_create_the_tables_the_models_declare(store: Store) -> None:
    assert revision(store) == HEAD
    found = inspect(store.engine)
    for table in Base.metadata.sorted_tables:
        assert found.has_table(table.name), table.name
        columns = {c["name"] for c in found.get_columns(table.name)}
        assert columns == {c.name for c in table.columns}, table.name


def test_migrating_twice_changes_nothing(store: Store) -> None:
    users.add_user(store, "ann", "a-long-password", "admin")
    again = open_store(str(store.engine.url.render_as_string(hide_password=False)))
    assert [u.username for u in users.list_users(again)] == ["ann"]
    again.close()


def test_passwords_are_hashed_with_argon2_and_checked(store: Store) -> None:
    users.add_user(store, "ann", "a-long-password", "editor")
    with store.engine.connect() as connection:
        stored = connection.execute(text("SELECT password_hash FROM users")).scalar_one()
    assert stored.startswith("$argon2id$") and "a-long-password" not in stored
    assert users.authenticate(store, "ann", "a-long-password", "10.0.0.1").role == "editor"
    with pytest.raises(users.LoginFailedError):
        users.authenticate(store, "ann", "wrong-password", "10.0.0.1")
    with pytest.raises(users.LoginFailedError):
        users.authenticate(store, "nobody", "a-long-password", "10.0.0.1")


def test_failed_logins_are_throttled_per_name_and_per_client(store: Store) -> None:
    users.add_user(store, "ann", "a-long-password", "viewer")
    for _ in range(3):
        with pytest.raises(users.LoginFailedError):
            users.authenticate(store, "ann", "nope", "10.0.0.1", limit=3)
    with pytest.raises(users.ThrottledError, match="try again in"):
        users.authenticate(store, "ann", "a-long-password", "10.0.0.2", limit=3)
    with pytest.raises(users.ThrottledError):  # the same client, another name
        users.authenticate(store, "bob", "whatever", "10.0.0.1", limit=3)
    with store.session() as session:  # the window passes
        for row in session.query(LoginFailure):
            row.at = now() - timedelta(minutes=16)
    assert users.authenticate(store, "ann", "a-long-password", "10.0.0.1", limit=3).id


def test_weak_names_roles_and_passwords_are_refused(store: Store) -> None:
    with pytest.raises(UsageError, match="at least 10"):
        users.add_user(store, "ann", "short", "viewer")
    with pytest.raises(UsageError, match="unknown role"):
        users.add_user(store, "ann", "a-long-password", "owner")
    with pytest.raises(UsageError, match="cannot be a user name"):
        users.add_user(store, "../etc", "a-long-password", "viewer")
    users.add_user(store, "ann", "a-long-password", "viewer")
    with pytest.raises(UsageError, match="exists already"):
        users.add_user(store, "ann", "a-long-password", "viewer")


def test_the_last_administrator_stays(store: Store) -> None:
    boss = users.add_user(store, "boss", "a-long-password", "admin")
    with pytest.raises(UsageError, match="last administrator"):
        users.set_role(store, boss.id, "viewer")
    with pytest.raises(UsageError, match="last administrator"):
        users.remove_user(store, boss.id)
    other = users.add_user(store, "other", "a-long-password", "admin")
    users.set_role(store, boss.id, "viewer")
    assert users.get_user(store, boss.id) is not None
    users.remove_user(store, boss.id)
    assert [u.username for u in users.list_users(store)] == [other.username]


def test_first_admin_gets_a_one_time_password_once(store: Store) -> None:
    password = users.first_admin(store)
    assert password is not None and len(password) >= 12
    admin = users.authenticate(store, "admin", password, "c")
    assert admin.role == "admin" and admin.must_change_password
    assert users.first_admin(store) is None
    with pytest.raises(AccessError):
        users.change_password(store, admin.id, "not it", "a-new-password")
    changed = users.change_password(store, admin.id, password, "a-new-password")
    assert not changed.must_change_password
    assert changed.password_changed_at > admin.password_changed_at


def test_documents_keep_their_check_history_in_order(store: Store) -> None:
    owner = users.add_user(store, "ann", "a-long-password", "editor")
    doc = docs.save_document(store, "  Launch   page ", "markdown", "cio", "Hello.", owner.id)
    assert doc.title == "Launch page" and doc.owner == "ann"
    for score in (40, 55, 72):
        docs.record_check(
            store, doc.id, owner.id, {"audience": "cio", "score": score, "words": 9, "findings": []}
        )
    history = docs.history(store, doc.id)
    assert [c.score for c in history] == [40, 55, 72]
    listed = docs.list_documents(store)
    assert [(d.id, d.last_score, d.checks) for d in listed] == [(doc.id, 72, 3)]
    docs.update_document(store, doc.id, text="Changed.")
    assert docs.get_document(store, doc.id).text == "Changed."
    docs.delete_document(store, doc.id)
    assert docs.history(store, doc.id) == []
    with pytest.raises(NotFoundError, match="no saved document"):
        docs.get_document(store, doc.id)
    with pytest.raises(UsageError, match="needs a title"):
        docs.save_document(store, "  ", "markdown", "cio", "x", None)


def test_a_job_is_claimed_once_and_reports_progress(store: Store) -> None:
    job = jobs.create_job(store, "import", "import x", {"name": "x"}, None)
    assert job.status == "queued"
    claimed = jobs.claim_next(store, "host:1:a")
    assert claimed is not None and claimed.id == job.id and claimed.status == "running"
    assert jobs.claim_next(store, "host:2:b") is None
    assert jobs.report_progress(store, job.id, 0.4, "read 4 of 10") is False
    assert jobs.get_job(store, job.id).progress == pytest.approx(0.4)
    jobs.cancel_job(store, job.id)
    assert jobs.report_progress(store, job.id, 0.5, "read 5 of 10") is True
    done = jobs.finish_job(store, job.id, "cancelled", "cancelled")
    assert done.finished and done.finished_at is not None
    with pytest.raises(UsageError, match="already ended"):
        jobs.cancel_job(store, job.id)


def test_jobs_left_running_by_a_dead_server_are_marked_interrupted(store: Store) -> None:
    gone = jobs.create_job(store, "import", "a", {}, None)
    alive = jobs.create_job(store, "import", "b", {}, None)
    jobs.claim_next(store, "host:111:x")
    jobs.claim_next(store, "host:222:y")
    marked = jobs.mark_interrupted(store, lambda runner: runner == "host:222:y")
    assert marked == [gone.id]
    assert jobs.get_job(store, gone.id).status == "interrupted"
    assert "interrupted" in jobs.get_job(store, gone.id).message
    assert jobs.get_job(store, alive.id).status == "running"


def test_workbench_settings_are_validated_and_laid_over_the_file(store: Store) -> None:
    base = Settings()
    overrides.set_setting(store, base, "vocabulary_accept", ["Acme Sync"])
    assert overrides.apply(base, store)["vocabulary_accept"] == ["Acme Sync"]
    with pytest.raises(Exception, match="expected a list of strings"):
        overrides.set_setting(store, base, "vocabulary_accept", "Acme")
    with pytest.raises(UsageError, match="cannot be changed here"):
        overrides.set_setting(store, base, "database_url", "sqlite://")


def test_a_database_that_cannot_be_reached_is_one_clear_message(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match=r"database_url|cannot migrate"):
        open_store("postgresql+psycopg://nobody@127.0.0.1:1/none")


@pytest.mark.postgres
def test_the_workbench_runs_on_postgresql_when_database_url_says_so(
    postgres_url: str, tmp_path: Path
) -> None:
    from plainspoken.web import create_app

    from .webtools import Client

    name = "w_" + secrets.token_hex(6)
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    url = postgres_url.rsplit("/", 1)[0] + "/" + name
    root = tmp_path / "ws"
    init(root)
    app = create_app(root, Settings().with_overrides(database_url=url), worker=False)
    users.add_user(app.state.ctx.store, "ann", "a-long-password", "editor")
    client = Client(app)
    try:
        assert client.login("ann", "a-long-password").status_code == 200
        saved = client.post("/api/documents", json={"title": "On PG", "text": "We utilize it."})
        assert saved.status_code == 201
        assert [d["title"] for d in client.get("/api/documents").json()] == ["On PG"]
    finally:
        client.close()
        app.state.ctx.store.close()
    engine = create_engine(url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT title FROM documents")).scalar_one() == "On PG"
    engine.dispose()
    with sqlite3.connect(root / "plainspoken.db") as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert "documents" not in tables  # nothing went to the workspace's SQLite file
