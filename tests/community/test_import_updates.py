"""Importing again: the same dump changes nothing, a newer dump updates by id, failures keep the
previous version."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fixtures.community.datasets import by_id, manifest, table
from fixtures.community.stackexchange_dump import POSTS, SITE, USERS, files, rows, write_dump
from plainspoken.community import importing
from plainspoken.community.importing import import_dataset
from plainspoken.engine import open_folder
from plainspoken.errors import InputError, UsageError
from plainspoken.workspace import init

TABLES = ("accounts", "threads", "posts", "reactions", "links", "tags")


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return init(tmp_path / "ws").root


def _snapshot(root: Path) -> dict[str, list[dict[str, object]]]:
    return {name: table(root, name) for name in TABLES}


def test_importing_the_same_dump_twice_keeps_the_same_rows(workspace: Path, tmp_path: Path) -> None:
    dump = write_dump(tmp_path / SITE)
    first = import_dataset(dump, "stackexchange", "home", workspace)
    root = workspace / "datasets" / "home"
    before = _snapshot(root)
    second = import_dataset(dump, "stackexchange", "home", workspace)
    assert _snapshot(root) == before
    assert second["counts"] == first["counts"]
    assert [i["imported_at"] for i in second["imports"]] == [
        first["imported_at"],
        second["imported_at"],
    ]
    assert not list((workspace / "datasets").glob(".home.tmp-*"))


def test_a_newer_dump_adds_rows_and_replaces_changed_ones(workspace: Path, tmp_path: Path) -> None:
    import_dataset(write_dump(tmp_path / "old" / SITE), "stackexchange", "home", workspace)
    newer_posts = [dict(p) for p in POSTS if p["Id"] in {"1", "3"}]
    newer_posts[1]["Score"] = "9"
    newer_posts[1]["Body"] = "<p>Edited: add a repeater, see https://hubmaker.example/repeater</p>"
    newer_posts.append(
        {"Id": "7", "PostTypeId": "2", "ParentId": "5", "CreationDate": "2020-03-01T00:00:00.000",
         "Score": "0", "Body": "<p>Channel 25.</p>", "OwnerUserId": "4"}
    )  # fmt: skip
    newer_users = [
        *USERS,
        {"Id": "4", "CreationDate": "2020-02-28T00:00:00.000", "DisplayName": "Cy"},
    ]
    newer = write_dump(
        tmp_path / "new" / SITE,
        Posts=rows("posts", newer_posts),
        Users=rows("users", newer_users),
        Comments=rows("comments", [{"Id": "9", "PostId": "7", "Text": "Thanks!",
                                    "CreationDate": "2020-03-02T00:00:00.000", "UserId": "2"}]),
        Votes=None, PostLinks=None, Tags=None,
    )  # fmt: skip
    result = import_dataset(newer, "stackexchange", "home", workspace)
    root = workspace / "datasets" / "home"
    open_folder(root)
    posts = by_id(root, "posts")
    assert set(posts) == {"1", "3", "4", "5", "6", "7", "c1", "c2", "c3", "c9"}
    assert posts["3"]["score"] == 9 and posts["3"]["text"].startswith("Edited")
    assert posts["4"]["score"] == -2  # not in the newer dump: kept as it was
    assert posts["c9"]["thread_id"] == "5"  # its post came with this import
    links = {(r["post_id"], r["canonical_url"]) for r in table(root, "links")}
    assert ("3", "https://hubmaker.example/repeater") in links
    assert ("3", f"https://{SITE}/questions/5/slug") not in links  # the old body's link went
    assert ("4", "https://shop.example/hub?color=red") in links
    assert len(by_id(root, "accounts")) == 5
    assert result["counts"]["posts"] == 10 and result["counts"]["reactions"] == 8
    assert result["time_range"]["last"] == "2020-03-02T00:00:00Z"
    assert len(result["imports"]) == 2


def test_a_comment_on_a_post_of_the_previous_import_finds_its_thread(
    workspace: Path, tmp_path: Path
) -> None:
    import_dataset(write_dump(tmp_path / "old" / SITE), "stackexchange", "home", workspace)
    comment = {"Id": "20", "PostId": "4", "Text": "Spam?", "UserId": "1"}
    comments = rows("comments", [{**comment, "CreationDate": "2020-03-02T00:00:00.000"}])
    newer = write_dump(
        tmp_path / "new" / SITE,
        Posts=rows("posts", [p for p in POSTS if p["Id"] == "5"]),
        Comments=comments,
    )
    import_dataset(newer, "stackexchange", "home", workspace)
    posts = by_id(workspace / "datasets" / "home", "posts")
    assert posts["c20"]["thread_id"] == "1"


def test_a_failed_import_leaves_the_previous_dataset_intact(
    workspace: Path, tmp_path: Path
) -> None:
    import_dataset(write_dump(tmp_path / "good" / SITE), "stackexchange", "home", workspace)
    root = workspace / "datasets" / "home"
    before, kept = _snapshot(root), manifest(root)
    broken = write_dump(tmp_path / "bad" / SITE, Votes=files()["Votes.xml"][:-40])
    with pytest.raises(InputError, match=r"Votes\.xml line"):
        import_dataset(broken, "stackexchange", "home", workspace)
    assert _snapshot(root) == before and manifest(root) == kept
    assert sorted(p.name for p in (workspace / "datasets").iterdir()) == [".home.lock", "home"]


def test_an_interrupted_import_leaves_the_previous_dataset_intact(
    workspace: Path, tmp_path: Path
) -> None:
    dump = write_dump(tmp_path / SITE)
    import_dataset(dump, "stackexchange", "home", workspace)
    root = workspace / "datasets" / "home"
    before = _snapshot(root)

    def interrupt(done: int, total: int | None) -> None:
        if done:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_dataset(dump, "stackexchange", "home", workspace, progress=interrupt)
    assert _snapshot(root) == before
    assert not list((workspace / "datasets").glob(".home.tmp-*"))


def test_a_crash_between_the_two_renames_is_repaired_by_the_next_import(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dump = write_dump(tmp_path / SITE)
    import_dataset(dump, "stackexchange", "home", workspace)
    before = _snapshot(workspace / "datasets" / "home")
    real_replace = Path.replace

    def crash(self: Path, target: Path) -> Path:  # the process dies after the first rename
        if self.name == "dataset":
            raise SystemExit("killed")
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", crash)
    with pytest.raises(SystemExit):
        import_dataset(dump, "stackexchange", "home", workspace)
    monkeypatch.undo()
    assert _snapshot(workspace / "datasets" / "home") == before
    import_dataset(dump, "stackexchange", "home", workspace)
    assert _snapshot(workspace / "datasets" / "home") == before


def test_a_dataset_of_another_format_is_not_merged(workspace: Path, tmp_path: Path) -> None:
    import_dataset(write_dump(tmp_path / SITE), "stackexchange", "home", workspace)
    reddit = tmp_path / "RS.ndjson"
    reddit.write_text('{"id": "a1", "title": "t", "created_utc": 1}\n', encoding="utf-8")
    with pytest.raises(UsageError, match="holds a stackexchange dataset"):
        import_dataset(reddit, "reddit", "home", workspace)


def test_a_second_import_of_the_same_name_waits_its_turn(workspace: Path, tmp_path: Path) -> None:
    import fcntl

    datasets = workspace / "datasets"
    with (datasets / ".home.lock").open("a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(UsageError, match="another import of 'home'"):
            import_dataset(write_dump(tmp_path / SITE), "stackexchange", "home", workspace)
    assert importing.check_name("home") == "home"


def _second_processes() -> list[str]:
    """Background import processes started by this test process (others may run elsewhere)."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            text = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            parent = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if parent == os.getpid() and "plainspoken.community.importers.background" in text:
            found.append(text)
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to list processes")
def test_an_interrupted_import_stops_its_second_process(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from plainspoken.community.importers import workers

    monkeypatch.setattr(workers, "PARALLEL_MIN_BYTES", 0)
    dump = write_dump(tmp_path / SITE)

    def interrupt(done: int, total: int | None) -> None:
        if done:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_dataset(dump, "stackexchange", "home", workspace, progress=interrupt)
    assert _second_processes() == []
    assert not (workspace / "datasets" / "home").exists()
    assert not list((workspace / "datasets").glob(".home.tmp-*"))
