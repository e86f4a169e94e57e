"""Importing Discourse topic and user JSON files."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixtures.community.datasets import by_id, table
from fixtures.community.discourse_export import TOPIC_10, write_export
from plainspoken.community.importing import import_dataset
from plainspoken.engine import open_folder
from plainspoken.errors import InputError
from plainspoken.workspace import init


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return init(tmp_path / "ws").root


def test_topics_become_threads_of_questions_answers_and_replies(
    workspace: Path, tmp_path: Path
) -> None:
    result = import_dataset(write_export(tmp_path / "forum"), "discourse", "forum", workspace)
    root = workspace / "datasets" / "forum"
    open_folder(root)
    posts = by_id(root, "posts")
    assert {k: (p["kind"], p["thread_id"], p["parent_id"]) for k, p in posts.items()} == {
        "100": ("question", "10", None),
        "101": ("answer", "10", "100"),
        "102": ("answer", "10", "100"),
        "103": ("reply", "10", "101"),
        "90": ("question", "11", None),
    }
    assert posts["101"]["score"] == 3 and posts["101"]["author_id"] == "2"
    assert posts["100"]["text"] == "Our backup job dies at 2am every night. Logs say ETIMEDOUT."
    assert str(posts["103"]["created_at"]) == "2023-05-01 08:00:00+00:00"
    threads = by_id(root, "threads")
    assert threads["10"]["tags"] == ["backup", "storage"]
    assert threads["10"]["accepted_post_id"] == "101" and threads["10"]["author_id"] == "1"
    assert (threads["10"]["views"], threads["11"]["title"]) == (140, "NAS sleep settings")
    assert result["imports"][0]["skipped"] == {
        "moderator notices (small actions)": 1,
        "posts listed in a topic's stream but not in its file": 1,
    }


def test_likes_flags_and_accepted_answers_are_reactions(workspace: Path, tmp_path: Path) -> None:
    import_dataset(write_export(tmp_path / "forum"), "discourse", "forum", workspace)
    reactions = table(workspace / "datasets" / "forum", "reactions")
    kinds = sorted((r["post_id"], r["kind"]) for r in reactions)
    assert kinds == [
        ("101", "accept"),
        *[("101", "vote-up")] * 3,
        *[("102", "spam")] * 2,
        ("102", "vote-up"),
    ]


def test_users_are_accounts_and_other_authors_are_kept_by_id(
    workspace: Path, tmp_path: Path
) -> None:
    import_dataset(write_export(tmp_path / "forum"), "discourse", "forum", workspace)
    accounts = by_id(workspace / "datasets" / "forum", "accounts")
    assert set(accounts) == {"1", "2", "3"}
    assert accounts["1"]["profile"] == "Sysadmin at a small firm."
    assert (accounts["1"]["website"], accounts["1"]["views"]) == ("https://ada.example", 7)
    assert str(accounts["3"]["created_at"]) == "2023-05-01 03:00:00+00:00"
    assert (accounts["2"]["name"], accounts["2"]["created_at"]) == ("bram", None)


def test_links_lose_tracking_and_internal_ones_point_to_topics(
    workspace: Path, tmp_path: Path
) -> None:
    import_dataset(write_export(tmp_path / "forum"), "discourse", "forum", workspace)
    links = table(workspace / "datasets" / "forum", "links")
    found = {(r["post_id"], r["canonical_url"], r["target_thread_id"]) for r in links}
    assert found == {
        ("101", "https://nas.example/docs", None),
        ("102", "https://backuppro.example/", None),
        ("103", "https://forum.example.org/t/nas-sleep/11", "11"),
    }


def test_reimporting_a_topic_with_more_posts_updates_it(workspace: Path, tmp_path: Path) -> None:
    import_dataset(write_export(tmp_path / "one"), "discourse", "forum", workspace)
    edited = dict(TOPIC_10, views=200)
    newer = write_export(tmp_path / "two", t_10=edited, t_11=None, u_ada=None, u_vendorbob=None)
    import_dataset(newer, "discourse", "forum", workspace)
    threads = by_id(workspace / "datasets" / "forum", "threads")
    assert threads["10"]["views"] == 200 and "11" in threads


def test_bad_json_names_the_file_and_line(workspace: Path, tmp_path: Path) -> None:
    folder = write_export(tmp_path / "forum", t_11='{"id": 11,\n "title": }')
    with pytest.raises(InputError, match=r"t/11.json line 2: not valid JSON"):
        import_dataset(folder, "discourse", "forum", workspace)


def test_the_same_topic_in_two_files_is_refused(workspace: Path, tmp_path: Path) -> None:
    folder = write_export(tmp_path / "forum", t_copy=TOPIC_10)
    with pytest.raises(InputError, match=r"t/copy.json: topic 10 is also in t/10.json"):
        import_dataset(folder, "discourse", "forum", workspace)


def test_a_bad_date_names_the_file_and_post(workspace: Path, tmp_path: Path) -> None:
    posts = [dict(p) for p in TOPIC_10["post_stream"]["posts"]]
    posts[1]["created_at"] = "yesterday"
    topic = dict(TOPIC_10, post_stream={"stream": [], "posts": posts})
    folder = write_export(tmp_path / "forum", t_10=topic)
    with pytest.raises(InputError, match=r"t/10.json post 101: created_at is 'yesterday'"):
        import_dataset(folder, "discourse", "forum", workspace)


def test_a_folder_without_topics_says_what_to_save(workspace: Path, tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    with pytest.raises(InputError, match=r"no \.json files.*/t/ID\.json"):
        import_dataset(folder, "discourse", "forum", workspace)
    (folder / "x.json").write_text("[]", encoding="utf-8")
    with pytest.raises(InputError, match="no Discourse topic"):
        import_dataset(folder, "discourse", "forum", workspace)
