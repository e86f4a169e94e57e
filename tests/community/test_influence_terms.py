"""Terms taken up and recency weighting: hand-written posts with known answers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fixtures.engine.tiny_community import write_table
from plainspoken.community.influence import rank
from plainspoken.community.influence.recency import recency_weights, recent
from plainspoken.community.influence.terms import terms_taken_up
from plainspoken.community.influence.topic import STOP_WORDS, split_words, tokens
from plainspoken.engine import DuckDBEngine

START = datetime(2022, 3, 1, tzinfo=UTC)

# (post id, author, text): one post a day, in this order. The first two posts are the
# topic's starting vocabulary with burn_in 0.25 of eight posts.
POSTS = [
    ("p1", "alice", "How do I pair the bulb with the hub?"),
    ("p2", "bob", "The bulb pairs slowly with my hub."),
    ("p3", "carol", "Try zigbee2mqtt with a coordinator stick."),
    ("p4", "dave", "zigbee2mqtt fixed the bulb."),
    ("p5", "erin", "zigbee2mqtt and a coordinator stick worked."),
    ("p6", "carol", "zigbee2mqtt again, same bulb."),
    ("p7", "sock", "zigbee2mqtt zigbee2mqtt flashing"),
    ("p8", "dave", "Flashing firmware on the dongle? The firmware matters."),
]


def _table(posts: list[tuple[str, str, str]]) -> pa.Table:
    return pa.table(
        {
            "id": [p for p, _, _ in posts],
            "author_id": [a for _, a, _ in posts],
            "thread_id": ["t1"] * len(posts),
            "created_at": pa.array(
                [START + timedelta(days=i) for i in range(len(posts))], pa.timestamp("us", "UTC")
            ),
            "text": [t for _, _, t in posts],
        }
    )


def test_a_term_counts_for_whoever_introduced_it_once_two_others_reuse_it() -> None:
    found = terms_taken_up(_table(POSTS), {"sock"}, burn_in=0.25, min_adopters=2)
    # carol introduced zigbee2mqtt (p3); dave (p4) and erin (p5) reused it. Her own p6 and
    # the excluded sock's p7 do not count; "coordinator", "stick" and "coordinator stick"
    # were reused by erin alone.
    assert found.posts == {"carol": 2}
    [term] = found.terms["carol"]
    assert (term.term, term.post_id, term.thread_id) == ("zigbee2mqtt", "p3", "t1")
    assert term.later_posts == ("p4", "p5") and term.adopters == 2
    # "bulb" is in the starting vocabulary (p1), so nobody introduced it.
    assert "alice" not in found.posts and "bob" not in found.posts


def test_one_adopter_is_enough_when_asked_and_phrases_count_too() -> None:
    found = terms_taken_up(_table(POSTS), {"sock"}, burn_in=0.25, min_adopters=1)
    terms = {t.term: t for t in found.terms["carol"]}
    # With evidence for up to three terms, the most reused come first.
    assert next(iter(terms)) == "zigbee2mqtt"
    everything = terms_taken_up(_table(POSTS), {"sock"}, burn_in=0.25, min_adopters=1, evidence=9)
    words = {t.term for t in everything.terms["carol"]}
    assert {"zigbee2mqtt", "coordinator", "stick", "coordinator stick"} <= words
    # dave's "flashing" was used first by the excluded sock's p7 (a later post by dave is no
    # reuse of his own); "firmware" was reused by nobody.
    assert "dave" not in everything.posts
    assert found.posts["carol"] == 2


def test_the_burn_in_makes_the_earliest_words_nobodys() -> None:
    none = terms_taken_up(_table(POSTS), set(), burn_in=1.0, min_adopters=1)
    assert none.posts == {} and none.terms == {}
    early = terms_taken_up(_table(POSTS), set(), burn_in=0.0, min_adopters=2)
    assert early.posts["alice"] >= 2  # "bulb" from p1, reused by bob and dave


def test_no_dated_posts_means_no_terms() -> None:
    table = _table(POSTS[:2]).set_column(
        3, "created_at", pa.array([None, None], pa.timestamp("us", "UTC"))
    )
    assert terms_taken_up(table, set()).posts == {}


def test_recency_halves_every_half_life_and_undated_rows_count_fully() -> None:
    now = START + timedelta(days=20)
    times = pa.array([now, now - timedelta(days=10), now - timedelta(days=20), None],
                     pa.timestamp("us", "UTC"))  # fmt: skip
    assert recency_weights(times, now, 10.0).tolist() == pytest.approx([1.0, 0.5, 0.25, 1.0])
    assert recency_weights(times, now, None).tolist() == [1.0] * 4


def test_recent_numbers_weight_reactions_and_threads_by_age() -> None:
    now = START + timedelta(days=20)
    stamp = pa.timestamp("us", "UTC")
    events = pa.table(
        {
            "kind": ["vote-up", "vote-up", "comment", "vote-down", "accept"],
            "receiver": ["old", "new", "new", "new", "old"],
            "actor": [None, "x", "x", "y", "x"],
            "created_at": pa.array([now - timedelta(days=10), now, now, now, now], stamp),
            "relevance": [1.0, 1.0, 0.5, 1.0, 1.0],
        }
    )
    posts = pa.table(
        {
            "author_id": ["old", "new", "new"],
            "thread_id": ["t1", "t2", "t2"],
            "created_at": pa.array(
                [now - timedelta(days=20), now - timedelta(days=10), now], stamp
            ),
            "relevance": [1.0, 1.0, 1.0],
        }
    )
    rec = recent(events, posts, {"vote-up": 1.0, "comment": 1.0, "accept": 2.0}, now, 10.0)
    old, new = rec.of("old"), rec.of("new")
    assert old["reactions"] == pytest.approx(0.5) and new["reactions"] == pytest.approx(1.5)
    assert old["uptake"] == pytest.approx(1.0) and new["uptake"] == 0.0
    assert new["reactors"] == pytest.approx(1.0)  # x once; y only voted down
    assert old["threads"] == pytest.approx(0.25) and new["threads"] == pytest.approx(1.0)
    assert rec.topic_threads == pytest.approx(1.25)
    edges = {
        (rec.accounts[s], rec.accounts[d]): w
        for s, d, w in zip(rec.edge_src, rec.edge_dst, rec.edge_weight, strict=True)
    }
    assert edges == pytest.approx({("x", "new"): 1.5, ("x", "old"): 2.0})


def _dataset(root: Path) -> Path:
    accounts = {a for _, a, _ in POSTS}
    rows: dict[str, list[dict[str, Any]]] = {
        "accounts": [{"id": a, "name": a.title(), "created_at": START} for a in sorted(accounts)],
        "threads": [
            {
                "id": "t1",
                "title": "Pairing a zigbee bulb",
                "tags": ["zigbee"],
                "created_at": START,
                "author_id": "alice",
            }
        ],
        "posts": [
            {
                "id": p,
                "thread_id": "t1",
                "parent_id": None if i == 0 else "p1",
                "kind": "question" if i == 0 else "answer",
                "author_id": a,
                "created_at": START + timedelta(days=i),
                "text": text,
            }
            for i, (p, a, text) in enumerate(POSTS)
        ],
        "reactions": [],
        "links": [],
    }
    root.mkdir(parents=True)
    for table, found in rows.items():
        write_table(root / f"{table}.parquet", table, found)
    manifest = {"schema_version": 1, "name": "terms",
                "counts": {t: len(r) for t, r in rows.items()}}  # fmt: skip
    (root / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return root


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[DuckDBEngine]:
    with DuckDBEngine("256MB") as started:
        started.register(_dataset(tmp_path / "terms"))
        yield started


def test_the_ranking_counts_terms_taken_up_and_shows_the_later_posts(
    engine: DuckDBEngine,
) -> None:
    ranking = rank(engine, "zigbee", excluded={"sock": "flagged in a test"})
    carol = next(a for a in ranking.accounts if a.account_id == "carol")
    # Eight posts: the first one is the starting vocabulary (burn-in 10%, rounded up).
    assert carol.measures.terms_taken_up == 2
    shown = [e for e in carol.evidence if e.later_posts]
    assert shown and shown[0].post_id == "p3" and shown[0].later_posts == ("p4", "p5")
    assert '"zigbee2mqtt"' in shown[0].detail
    data = ranking.to_dict()
    mine = next(a for a in data["accounts"] if a["account_id"] == "carol")
    assert any(e.get("later_posts") == ["p4", "p5"] for e in mine["evidence"])
    others = {a.account_id: a.measures.terms_taken_up for a in ranking.accounts}
    assert others["dave"] == 0 and others["erin"] == 0


def test_reports_show_terms_taken_up(engine: DuckDBEngine) -> None:
    from plainspoken.reports.influence import render_influence

    ranking = rank(engine, "zigbee", excluded={"sock": "flagged in a test"})
    rows = render_influence(ranking, "csv", 20).splitlines()
    header = rows[0].split(",")
    carol = next(r.split(",") for r in rows[1:] if r.split(",")[1] == "carol")
    assert carol[header.index("terms_taken_up")] == "2"
    assert "p3 → p4, p5" in render_influence(ranking, "html", 20)


@given(st.lists(st.one_of(st.none(), st.text(alphabet="aZ09+#.-_ ,\n\u00e9\u212a"))))
def test_words_of_many_texts_follow_the_one_text_rule(texts: list[str | None]) -> None:
    words, parent = split_words(pa.array(texts, pa.string()))
    for i, text in enumerate(texts):
        mine = [w for w, p in zip(words.to_pylist(), parent.tolist(), strict=True) if p == i]
        assert [w for w in mine if len(w) > 1 and w not in STOP_WORDS] == tokens(text or "")
