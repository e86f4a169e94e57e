"""The benchmark's dump generator writes valid Stack Exchange XML whose references resolve."""

from __future__ import annotations

import importlib.util
import re
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from lxml import etree

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "se_dump.py"
DATE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}")


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("se_dump", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["se_dump"] = module
    spec.loader.exec_module(module)
    return module


se_dump = _load()


def _rows(path: Path) -> list[dict[str, str]]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.parse(str(path), parser).getroot()
    return [{str(k): str(v) for k, v in row.items()} for row in root]


@pytest.fixture(scope="module")
def dump(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("dump")
    # Small chunks, so that the chunked ids and the merge of what chunks learnt are exercised.
    counts = se_dump.generate(out, 400, seed=3, chunk_posts=150)
    return out, counts


def test_files_are_well_formed_with_the_dump_layout(dump: tuple[Path, object]) -> None:
    out, _ = dump
    for name, root in (
        ("Posts.xml", "posts"),
        ("Users.xml", "users"),
        ("Comments.xml", "comments"),
        ("Votes.xml", "votes"),
        ("PostLinks.xml", "postlinks"),
        ("Tags.xml", "tags"),
        ("Badges.xml", "badges"),
    ):
        raw = (out / name).read_bytes()
        assert raw.startswith(b'\xef\xbb\xbf<?xml version="1.0" encoding="utf-8"?>\r\n')
        assert raw.endswith(f"</{root}>".encode())
        tree = etree.fromstring(raw)
        assert tree.tag == root
        assert all(row.tag == "row" for row in tree)


def test_row_counts_match(dump: tuple[Path, object]) -> None:
    out, counts = dump
    posts = _rows(out / "Posts.xml")
    assert len(posts) == 400 == counts.posts  # type: ignore[attr-defined]
    kinds = Counter(p["PostTypeId"] for p in posts)
    assert kinds["1"] == counts.questions  # type: ignore[attr-defined]
    assert kinds["2"] == counts.answers  # type: ignore[attr-defined]
    assert kinds["4"] + kinds["5"] == counts.wiki_posts  # type: ignore[attr-defined]
    assert 1.3 < kinds["2"] / kinds["1"] < 2.2
    for name, key in (
        ("Users.xml", "users"),
        ("Comments.xml", "comments"),
        ("Votes.xml", "votes"),
        ("PostLinks.xml", "post_links"),
        ("Tags.xml", "tags"),
        ("Badges.xml", "badges"),
    ):
        assert len(_rows(out / name)) == getattr(counts, key), name


def test_references_resolve(dump: tuple[Path, object]) -> None:
    out, _ = dump
    posts = {p["Id"]: p for p in _rows(out / "Posts.xml")}
    users = {u["Id"]: u for u in _rows(out / "Users.xml")}
    tags = {t["TagName"]: t for t in _rows(out / "Tags.xml")}
    assert len(posts) == 400  # ids unique
    ids = [int(i) for i in posts]
    assert ids == sorted(ids)
    answers: Counter[str] = Counter()
    tag_uses: Counter[str] = Counter()
    for post in posts.values():
        assert DATE.fullmatch(post["CreationDate"])
        if "OwnerUserId" in post:
            assert post["OwnerUserId"] in users
        else:
            assert post["OwnerDisplayName"]
        if "LastEditorUserId" in post:
            assert post["LastEditorUserId"] in users
        if post["PostTypeId"] == "2":
            parent = posts[post["ParentId"]]
            assert parent["PostTypeId"] == "1"
            assert post["CreationDate"] >= parent["CreationDate"]
            answers[post["ParentId"]] += 1
        if post["PostTypeId"] == "1":
            assert post["Title"] and post["Body"].startswith("<")
            if "AcceptedAnswerId" in post:
                assert posts[post["AcceptedAnswerId"]]["ParentId"] == post["Id"]
            names = re.findall(r"<([^<>]+)>", post["Tags"])
            assert names and all(name in tags for name in names)
            tag_uses.update(names)
    for post in posts.values():
        if post["PostTypeId"] == "1":
            assert int(post["AnswerCount"]) == answers[post["Id"]]
    for name, tag in tags.items():
        assert int(tag["Count"]) == tag_uses[name]
        for key in ("ExcerptPostId", "WikiPostId"):
            if key in tag:
                assert posts[tag[key]]["PostTypeId"] == ("4" if key == "ExcerptPostId" else "5")
    comments = _rows(out / "Comments.xml")
    per_post = Counter(c["PostId"] for c in comments)
    for comment in comments:
        assert comment["PostId"] in posts and comment["UserId"] in users
        assert DATE.fullmatch(comment["CreationDate"])
        assert comment["CreationDate"] >= posts[comment["PostId"]]["CreationDate"]
    for post in posts.values():
        assert int(post["CommentCount"]) == per_post[post["Id"]]
    votes = _rows(out / "Votes.xml")
    assert len({v["Id"] for v in votes}) == len(votes)
    for vote in votes:
        assert vote["PostId"] in posts
        assert vote["CreationDate"].endswith("T00:00:00.000")
        if "UserId" in vote:
            assert vote["UserId"] in users
    for link in _rows(out / "PostLinks.xml"):
        assert link["PostId"] in posts and link["RelatedPostId"] in posts
        assert int(link["RelatedPostId"]) < int(link["PostId"])
    badge_users = {b["UserId"] for b in _rows(out / "Badges.xml")}
    assert badge_users <= set(users)


def test_accounts_exist_before_they_act(dump: tuple[Path, object]) -> None:
    out, _ = dump
    created = {u["Id"]: u["CreationDate"] for u in _rows(out / "Users.xml")}
    for post in _rows(out / "Posts.xml"):
        if "OwnerUserId" in post:
            assert created[post["OwnerUserId"]] <= post["CreationDate"]
    for comment in _rows(out / "Comments.xml"):
        assert created[comment["UserId"]] <= comment["CreationDate"]


def test_same_seed_same_files_for_any_jobs(dump: tuple[Path, object], tmp_path: Path) -> None:
    out, _ = dump
    se_dump.generate(tmp_path, 400, seed=3, chunk_posts=150, jobs=2)
    for name in se_dump.FILES:
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name


def test_pipe_tags(tmp_path: Path) -> None:
    se_dump.generate(tmp_path, 30, seed=2, tags_format="pipe")
    questions = [p for p in _rows(tmp_path / "Posts.xml") if p["PostTypeId"] == "1"]
    assert questions and all(re.fullmatch(r"\|([^|]+\|)+", q["Tags"]) for q in questions)
