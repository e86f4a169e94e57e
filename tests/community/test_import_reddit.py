"""Importing Pushshift-style Reddit submissions and comments."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixtures.community.datasets import by_id, table
from fixtures.community.reddit_dump import COMMENTS, ndjson, write_dump
from plainspoken.community.importing import import_dataset
from plainspoken.engine import open_folder
from plainspoken.errors import InputError
from plainspoken.workspace import init


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return init(tmp_path / "ws").root


@pytest.mark.parametrize("compress", [False, True], ids=["ndjson", "zst"])
def test_submissions_and_comments_become_threads_and_posts(
    workspace: Path, tmp_path: Path, compress: bool
) -> None:
    dump = write_dump(tmp_path / "reddit", compress=compress)
    result = import_dataset(dump, "reddit", "sysadmin", workspace)
    root = workspace / "datasets" / "sysadmin"
    open_folder(root)
    posts = by_id(root, "posts")
    assert {k: (p["kind"], p["thread_id"], p["parent_id"]) for k, p in posts.items()} == {
        "t3_abc1": ("question", "t3_abc1", None),
        "t3_abc2": ("question", "t3_abc2", None),
        "t1_c1": ("answer", "t3_abc1", "t3_abc1"),
        "t1_c2": ("reply", "t3_abc1", "t1_c1"),
        "t1_c3": ("answer", "t3_abc1", "t3_abc1"),
    }
    assert posts["t3_abc1"]["text"] == "We outgrew the ISP router. Budget is tight & we need VPN."
    assert posts["t1_c2"]["text"] == "Thanks > will try" and posts["t1_c2"]["html"] is None
    assert posts["t3_abc2"]["author_id"] is None  # [deleted]
    assert str(posts["t1_c1"]["created_at"]) == "2023-01-01 01:00:00+00:00"
    threads = by_id(root, "threads")
    assert threads["t3_abc1"]["title"] == "Which & why: firewall for a 50-person office?"
    assert (threads["t3_abc1"]["tags"], threads["t3_abc1"]["answer_count"]) == (["sysadmin"], 3)
    assert result["counts"]["reactions"] == 0


def test_authors_are_accounts_with_their_creation_time(workspace: Path, tmp_path: Path) -> None:
    import_dataset(write_dump(tmp_path / "reddit"), "reddit", "sysadmin", workspace)
    accounts = by_id(workspace / "datasets" / "sysadmin", "accounts")
    assert set(accounts) == {"ops_amy", "net_nick", "fw_deals"}
    assert str(accounts["fw_deals"]["created_at"]) == "2022-12-31 23:40:00+00:00"
    assert accounts["ops_amy"]["name"] == "ops_amy"


def test_links_include_link_posts_and_point_to_reddit_threads(
    workspace: Path, tmp_path: Path
) -> None:
    import_dataset(write_dump(tmp_path / "reddit"), "reddit", "sysadmin", workspace)
    links = table(workspace / "datasets" / "sysadmin", "links")
    found = {(r["post_id"], r["canonical_url"], r["target_thread_id"]) for r in links}
    assert found == {
        ("t3_abc2", "https://vendor.example/blog/firewalls", None),
        ("t1_c1", "https://opnsense.example/docs", None),
        ("t1_c3", "https://redd.it/abc2", "t3_abc2"),
    }


def test_a_bad_line_is_named(workspace: Path, tmp_path: Path) -> None:
    bad = tmp_path / "RC_bad.ndjson"
    bad.write_text(ndjson(COMMENTS[:1]) + '{"id": "c9", "body": \n', encoding="utf-8")
    with pytest.raises(InputError, match=r"RC_bad.ndjson line 2: not a JSON object"):
        import_dataset(bad, "reddit", "sysadmin", workspace)


def test_a_bad_time_is_named(workspace: Path, tmp_path: Path) -> None:
    bad = tmp_path / "RC_bad.ndjson"
    bad.write_text(ndjson([dict(COMMENTS[0], created_utc="noon")]), encoding="utf-8")
    with pytest.raises(InputError, match=r"line 1: created_utc is 'noon', not a time"):
        import_dataset(bad, "reddit", "sysadmin", workspace)


def test_duplicate_ids_in_one_file_and_across_files_are_refused(
    workspace: Path, tmp_path: Path
) -> None:
    twice = tmp_path / "RC_twice.ndjson"
    twice.write_text(ndjson([COMMENTS[0], COMMENTS[0]]), encoding="utf-8")
    with pytest.raises(InputError, match=r"RC_twice.ndjson: id t1_c1 is on 2 rows"):
        import_dataset(twice, "reddit", "sysadmin", workspace)
    folder = tmp_path / "months"
    folder.mkdir()
    (folder / "RC_2023-01.ndjson").write_text(ndjson(COMMENTS[:2]), encoding="utf-8")
    (folder / "RC_2023-02.ndjson").write_text(ndjson(COMMENTS[1:]), encoding="utf-8")
    with pytest.raises(InputError, match=r"RC_2023-01.ndjson and RC_2023-02.ndjson: both hold"):
        import_dataset(folder, "reddit", "sysadmin", workspace)


def test_damaged_zstandard_data_is_named(workspace: Path, tmp_path: Path) -> None:
    dump = write_dump(tmp_path / "reddit", compress=True)
    data = (dump / "RC_2023-01.zst").read_bytes()
    (dump / "RC_2023-01.zst").write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match=r"RC_2023-01.zst"):
        import_dataset(dump, "reddit", "sysadmin", workspace)
