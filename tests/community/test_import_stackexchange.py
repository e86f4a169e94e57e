"""Importing a Stack Exchange dump: what lands in each table, from a folder or a .7z."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fixtures.community.datasets import by_id, manifest, schemas, table
from fixtures.community.stackexchange_dump import SITE, write_archive, write_dump
from plainspoken.community.importing import import_dataset
from plainspoken.engine import SCHEMA_VERSION, open_folder
from plainspoken.engine.schema import SCHEMAS
from plainspoken.workspace import init


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return init(tmp_path / "ws").root


@pytest.fixture
def dump(tmp_path: Path) -> Path:
    return write_dump(tmp_path / "dumps" / SITE)


def test_a_folder_dump_becomes_a_dataset_the_engine_opens(workspace: Path, dump: Path) -> None:
    result = import_dataset(dump, "stackexchange", "home", workspace)
    root = workspace / "datasets" / "home"
    folder = open_folder(root)
    assert folder.name == "home"
    assert result == manifest(root)
    assert result["schema_version"] == SCHEMA_VERSION
    assert result["format"] == "stackexchange"
    assert result["source"] == str(dump.resolve())
    assert result["counts"] == {
        "accounts": 4, "threads": 2, "posts": 8, "reactions": 8, "links": 5, "tags": 2,
    }  # fmt: skip
    assert result["time_range"] == {
        "first": "2020-01-05T10:00:00Z",
        "last": "2020-02-01T11:00:00Z",
    }
    assert result["imported_at"] and result["plainspoken"]
    for name, schema in SCHEMAS.items():
        assert all(s.equals(schema) for s in schemas(root, name)), name


def test_questions_answers_and_comments_are_posts_in_their_threads(
    workspace: Path, dump: Path
) -> None:
    import_dataset(dump, "stackexchange", "home", workspace)
    posts = by_id(workspace / "datasets" / "home", "posts")
    assert set(posts) == {"1", "3", "4", "5", "6", "c1", "c2", "c3"}  # the tag wiki (2) is out
    assert posts["1"]["kind"] == "question" and posts["1"]["thread_id"] == "1"
    assert posts["1"]["parent_id"] is None
    assert posts["3"] | {"html": None, "text": None, "created_at": None} == {
        "id": "3", "thread_id": "1", "parent_id": "1", "kind": "answer", "author_id": "2",
        "created_at": None, "text": None, "html": None, "score": 6,
    }  # fmt: skip
    assert posts["6"]["author_id"] is None  # a deleted user
    # A comment's thread is its post's thread, found after every post is read.
    assert posts["c2"]["kind"] == "comment"
    assert (posts["c2"]["parent_id"], posts["c2"]["thread_id"]) == ("3", "1")
    # A comment on a post that is not imported keeps its parent and has no thread.
    assert (posts["c3"]["parent_id"], posts["c3"]["thread_id"]) == ("2", None)
    assert str(posts["3"]["created_at"]) == "2020-01-05 10:20:00+00:00"


def test_post_text_is_the_html_without_markup(workspace: Path, dump: Path) -> None:
    import_dataset(dump, "stackexchange", "home", workspace)
    posts = by_id(workspace / "datasets" / "home", "posts")
    assert posts["3"]["html"].startswith("<p>Add a mains-powered repeater halfway &amp; re-pair")
    assert posts["3"]["text"] == (
        "Add a mains-powered repeater halfway & re-pair the bulbs.\n\n"
        "unplug the hub\n\nwait 10\xa0s\n\nSame fix as this one."
    )
    assert posts["6"]["text"] == "See the repeater answer and a < b."


def test_threads_accounts_reactions_and_tags(workspace: Path, dump: Path) -> None:
    import_dataset(dump, "stackexchange", "home", workspace)
    root = workspace / "datasets" / "home"
    threads = by_id(root, "threads")
    assert threads["1"]["tags"] == ["zigbee", "hubs"]
    assert threads["5"]["tags"] == ["zigbee", "wifi"]  # the newer |a|b| spelling
    assert (threads["1"]["accepted_post_id"], threads["1"]["views"]) == ("3", 88)
    assert threads["1"]["author_id"] == "1" and threads["1"]["title"].startswith("Zigbee bulbs")
    assert str(threads["5"]["closed_at"]) == "2020-02-03 00:00:00+00:00"
    accounts = by_id(root, "accounts")
    assert accounts["1"]["website"] == "https://ada.example"
    assert accounts["1"]["profile"] == "Home automation tinkerer."
    assert accounts["-1"]["profile"] == "I am a bot."
    assert (accounts["2"]["reputation"], accounts["2"]["down_votes"]) == (45, 1)
    reactions = by_id(root, "reactions")
    assert {k: (r["kind"], r["post_id"], r["value"]) for k, r in reactions.items()} == {
        "1": ("vote-up", "1", 1), "2": ("vote-up", "3", 1), "3": ("accept", "3", None),
        "4": ("vote-down", "4", -1), "5": ("spam", "4", None), "6": ("favorite", "1", None),
        "7": ("bounty", "5", 50), "8": ("other", "5", None),
    }  # fmt: skip
    assert reactions["6"]["actor_id"] == "2" and reactions["1"]["actor_id"] is None
    assert {t["name"]: t["count"] for t in table(root, "tags")} == {"zigbee": 2, "hubs": 1}


def test_links_are_canonical_and_point_to_threads_of_the_site(workspace: Path, dump: Path) -> None:
    import_dataset(dump, "stackexchange", "home", workspace)
    rows = table(workspace / "datasets" / "home", "links")
    links = {(r["post_id"], r["canonical_url"]): r for r in rows}
    # PostLinks.xml adds nothing here: both its targets are linked from the bodies already.
    assert set(links) == {
        ("1", "https://hubmaker.example/setup?step=2"),
        ("3", f"https://{SITE}/questions/5/slug"),
        ("6", f"https://{SITE}/a/3"),
        ("4", "https://shop.example/hub?color=red"),
        ("c2", "https://ada.example/notes"),
    }
    first = links[("1", "https://hubmaker.example/setup?step=2")]
    assert first["url"] == "https://hubmaker.example/setup?utm_source=forum&step=2"
    assert first["domain"] == "hubmaker.example" and first["target_thread_id"] is None
    assert links[("3", f"https://{SITE}/questions/5/slug")]["target_thread_id"] == "5"
    # /a/3 is an answer: its thread (1) is looked up once every post is known.
    assert links[("6", f"https://{SITE}/a/3")]["target_thread_id"] == "1"


def test_post_links_add_only_targets_the_bodies_do_not_name(
    workspace: Path, tmp_path: Path
) -> None:
    from fixtures.community.stackexchange_dump import POST_LINKS, rows

    extra = [*POST_LINKS, {"Id": "3", "PostId": "4", "RelatedPostId": "6", "LinkTypeId": "3"}]
    dump = write_dump(tmp_path / SITE, PostLinks=rows("postlinks", extra))
    import_dataset(dump, "stackexchange", "home", workspace)
    links = table(workspace / "datasets" / "home", "links")
    from_post_links = [r for r in links if r["post_id"] == "4" and r["target_thread_id"]]
    assert [(r["url"], r["target_thread_id"]) for r in from_post_links] == [
        (f"https://{SITE}/questions/6", "5")
    ]
    assert len(links) == 6


def test_the_site_archive_gives_the_same_dataset_as_its_folder(
    workspace: Path, dump: Path, tmp_path: Path
) -> None:
    archive = write_archive(tmp_path / f"{SITE}.7z")
    seen: list[tuple[int, int | None]] = []
    from_folder = import_dataset(dump, "stackexchange", "folder", workspace)
    from_archive = import_dataset(
        archive, "stackexchange", "archive", workspace, progress=lambda d, t: seen.append((d, t))
    )
    assert from_archive["counts"] == from_folder["counts"]
    for name in ("accounts", "threads", "posts", "reactions", "links", "tags"):
        assert table(workspace / "datasets" / "archive", name) == table(
            workspace / "datasets" / "folder", name
        ), name
    total = seen[-1][1]
    assert total and seen[-1][0] == total and seen[0][0] == 0


def test_optional_files_may_be_missing_with_a_note(workspace: Path, tmp_path: Path) -> None:
    dump = write_dump(tmp_path / SITE, Votes=None, Comments=None, PostLinks=None, Tags=None)
    result = import_dataset(dump, "stackexchange", "home", workspace)
    assert result["counts"]["reactions"] == 0 and result["counts"]["posts"] == 5
    assert any("Votes.xml" in n and "reactions" in n for n in result["notes"])
    assert len(result["notes"]) == 4
    open_folder(workspace / "datasets" / "home")


def test_a_dump_named_without_its_site_notes_that_site_links_are_limited(
    workspace: Path, dump: Path, tmp_path: Path
) -> None:
    plain = shutil.copytree(dump, tmp_path / "export")
    result = import_dataset(plain, "stackexchange", "home", workspace)
    assert any("host" in n for n in result["notes"])
    links = table(workspace / "datasets" / "home", "links")
    targets = {r["post_id"]: r["target_thread_id"] for r in links if r["target_thread_id"]}
    assert targets == {"6": "1", "3": "5"}  # from PostLinks.xml (no site to match bodies)


@pytest.mark.parametrize("packed", [False, True], ids=["folder", "7z"])
def test_more_processes_give_the_same_dataset(
    workspace: Path, dump: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, packed: bool
) -> None:
    """Big dumps use a second process (one stages Posts.xml, the other the rest, each reading
    the folder or the archive); the dataset is the same as from one process."""
    from plainspoken.community.importers import workers

    source = write_archive(tmp_path / f"{SITE}.7z") if packed else dump
    one = import_dataset(source, "stackexchange", "one", workspace)
    monkeypatch.setattr(workers, "PARALLEL_MIN_BYTES", 0)
    two = import_dataset(source, "stackexchange", "two", workspace)
    assert (one["imports"][0]["processes"], two["imports"][0]["processes"]) == (1, 2)
    assert two["counts"] == one["counts"] and two["notes"] == one["notes"]
    assert two["imports"][0]["skipped"] == one["imports"][0]["skipped"]
    for name in ("threads", "posts", "links", "reactions", "accounts", "tags"):
        assert table(workspace / "datasets" / "two", name) == table(
            workspace / "datasets" / "one", name
        ), name


def test_an_error_in_the_second_process_is_reported_like_any_other(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from plainspoken.community.importers import workers
    from plainspoken.errors import InputError

    monkeypatch.setattr(workers, "PARALLEL_MIN_BYTES", 0)
    from fixtures.community.stackexchange_dump import files

    dump = write_dump(tmp_path / SITE, Votes=files()["Votes.xml"].replace('Id="3"', "Id=3"))
    with pytest.raises(InputError, match=r"Votes\.xml line 4: malformed XML"):
        import_dataset(dump, "stackexchange", "home", workspace)
    assert not (workspace / "datasets" / "home").exists()


def test_the_second_process_never_reruns_the_callers_script(tmp_path: Path) -> None:
    """A script without a main guard, or code piped to python, can call the import."""
    import subprocess
    import sys

    workspace = init(tmp_path / "ws").root
    dump = write_dump(tmp_path / SITE)
    code = (
        "from pathlib import Path\n"
        "from plainspoken.community.importers import workers\n"
        "from plainspoken.community.importing import import_dataset\n"
        "workers.PARALLEL_MIN_BYTES = 0\n"
        f"dump, ws = Path({str(dump)!r}), Path({str(workspace)!r})\n"
        "m = import_dataset(dump, 'stackexchange', 'home', ws)\n"
        "print(m['imports'][0]['processes'], m['counts']['posts'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-"], input=code, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["2", "8"]
