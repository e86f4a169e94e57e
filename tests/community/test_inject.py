"""`inject` plants campaigns in a copy of a dataset: the copy keeps every source row, the
planted rows look like the community's, the truth names them, and each knob shows."""

from __future__ import annotations

import itertools
import random
import statistics
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from fixtures.community.datasets import manifest, table
from fixtures.community.inject_community import write_inject_dataset
from plainspoken.community.injection import CampaignPlan, InjectionPlan, Truth, inject
from plainspoken.community.markup import html_to_text
from plainspoken.errors import DatasetError, UsageError
from plainspoken.workspace import init

TABLES = ("accounts", "threads", "posts", "reactions", "links")
Run = Callable[..., tuple[Truth, dict[str, list[dict[str, Any]]]]]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = init(tmp_path_factory.mktemp("inject") / "ws")
    write_inject_dataset(ws.datasets / "home")
    return ws.root


@pytest.fixture(scope="module")
def source(workspace: Path) -> dict[str, list[dict[str, Any]]]:
    return {t: table(workspace / "datasets" / "home", t) for t in TABLES}


@pytest.fixture(scope="module")
def run(workspace: Path) -> Run:
    done: dict[tuple[Any, ...], tuple[Truth, dict[str, list[dict[str, Any]]]]] = {}

    def go(out: str, campaigns: int = 3, preset: str = "mixed", seed: int = 0, **knobs: Any):
        key = (out, campaigns, preset, seed, tuple(sorted(knobs.items())))
        if key not in done:
            plan = InjectionPlan(campaigns, preset, knobs)
            truth = inject("home", out, workspace, plan=plan, seed=seed, force=True)
            rows = {t: table(workspace / "datasets" / out, t) for t in TABLES}
            done[key] = (truth, rows)
        return done[key]

    return go


def _key(row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(sorted((k, repr(v)) for k, v in row.items()))


def _campaign_answers(truth: Truth, rows: dict[str, list[dict[str, Any]]]) -> list[list[str]]:
    posts = {p["id"]: p for p in rows["posts"]}
    return [
        [posts[p]["text"] for p in c.posts if posts[p]["kind"] == "answer"] for c in truth.campaigns
    ]


def _jaccard(a: str, b: str, n: int = 3) -> float:
    def shingles(text: str) -> set[tuple[str, ...]]:
        words = text.lower().split()
        return {tuple(words[i : i + n]) for i in range(max(1, len(words) - n + 1))}

    x, y = shingles(a), shingles(b)
    return len(x & y) / len(x | y) if x | y else 0.0


def _mean_pair_similarity(texts_by_campaign: list[list[str]]) -> float:
    values = [
        _jaccard(a, b) for texts in texts_by_campaign for a, b in itertools.combinations(texts, 2)
    ]
    return statistics.mean(values)


def test_copy_keeps_every_source_row_and_adds_the_planted_ones(
    run: Run, source: dict[str, list[dict[str, Any]]], workspace: Path
) -> None:
    truth, rows = run("copy", campaigns=4)
    updated = {t: set(ids) for t, ids in truth.updated.items()}
    for name in TABLES:
        out = {_key(r) for r in rows[name]}
        for row in source[name]:
            if name in updated and row["id"] in updated[name]:
                continue  # answer counts and last-seen times a campaign changed
            assert _key(row) in out, (name, row)
        assert len(rows[name]) >= len(source[name])
    assert len(rows["posts"]) > len(source["posts"])
    for thread_id in updated["threads"]:
        before = next(t for t in source["threads"] if t["id"] == thread_id)
        after = next(t for t in rows["threads"] if t["id"] == thread_id)
        planted = sum(
            1 for p in rows["posts"] if p["thread_id"] == thread_id and p["kind"] == "answer"
        ) - sum(1 for p in source["posts"] if p["thread_id"] == thread_id and p["kind"] == "answer")
        assert after["answer_count"] == before["answer_count"] + planted
        assert {k: v for k, v in after.items() if k != "answer_count"} == {
            k: v for k, v in before.items() if k != "answer_count"
        }
    data = manifest(workspace / "datasets" / "copy")
    assert data["name"] == "copy"
    assert data["counts"] == {t: len(rows[t]) for t in TABLES}
    assert data["injection"]["seed"] == 0 and data["injection"]["source_dataset"] == "home"
    assert any("injected campaign" in note for note in data["notes"])
    assert manifest(workspace / "datasets" / "home")["name"] == "home"  # the source is as it was


def test_truth_ids_are_new_rows_of_the_copy_and_ids_never_collide(
    run: Run, source: dict[str, list[dict[str, Any]]], workspace: Path
) -> None:
    truth, rows = run("copy", campaigns=4)
    ids = {t: {r["id"] for r in rows[t]} for t in ("accounts", "threads", "posts", "reactions")}
    old = {t: {r["id"] for r in source[t]} for t in ids}
    for t in ids:
        assert len(ids[t]) == len(rows[t]), f"an id repeats in {t}"
    for campaign in truth.campaigns:
        new_accounts = set(campaign.accounts) - set(campaign.dormant_accounts)
        assert new_accounts <= ids["accounts"] - old["accounts"]
        assert set(campaign.threads) <= ids["threads"]
        assert set(campaign.new_threads) <= ids["threads"] - old["threads"]
        for name in ("posts", "camouflage_posts"):
            assert set(getattr(campaign, name)) <= ids["posts"] - old["posts"]
        assert set(campaign.reactions) <= ids["reactions"] - old["reactions"]
    loaded = Truth.load(workspace / "datasets" / "copy.truth.json")
    assert loaded == truth
    assert not (workspace / "datasets" / "copy" / "copy.truth.json").exists()


def test_planted_rows_follow_the_community_style(
    run: Run, source: dict[str, list[dict[str, Any]]]
) -> None:
    truth, rows = run("ring", campaigns=2, preset="ring", thread_mode="new")
    first = min(p["created_at"] for p in source["posts"])
    last = max(p["created_at"] for p in source["posts"])
    planted = {p for c in truth.campaigns for p in (*c.posts, *c.camouflage_posts)}
    posts = [p for p in rows["posts"] if p["id"] in planted]
    kinds = {p["kind"] for p in posts}
    assert {"question", "answer", "comment"} <= kinds
    for post in posts:
        assert first <= post["created_at"] <= last
        if post["kind"] == "comment":
            assert post["id"].startswith("c") and post["id"][1:].isdigit()
            assert post["html"] is None
        else:
            assert post["id"].isdigit()
            assert post["html"].startswith("<p>") and post["text"] == html_to_text(post["html"])
    threads = {t["id"]: t for t in rows["threads"]}
    for campaign in truth.campaigns:
        for tid in campaign.new_threads:
            question = next(p for p in posts if p["thread_id"] == tid and p["kind"] == "question")
            assert question["id"] == tid  # Stack Exchange: a thread is named by its question
            assert threads[tid]["answer_count"] == sum(
                1 for p in rows["posts"] if p["thread_id"] == tid and p["kind"] == "answer"
            )
    lengths = sorted(len(p["text"].split()) for p in source["posts"] if p["kind"] == "answer")
    planted_answers = [len(p["text"].split()) for p in posts if p["kind"] == "answer"]
    assert max(planted_answers) <= 2 * lengths[-1] + 40
    source_texts = {p["text"] for p in source["posts"]}
    assert not source_texts & {p["text"] for p in posts if p["kind"] != "comment"}


def test_a_seed_gives_the_same_rows_and_another_seed_others(workspace: Path) -> None:
    plan = InjectionPlan(2, "mixed")
    results = []
    for out, seed in (("same-a", 5), ("same-b", 5), ("other", 6)):
        truth = inject("home", out, workspace, plan=plan, seed=seed, force=True)
        tables = {t: table(workspace / "datasets" / out, t) for t in TABLES}
        results.append((truth.to_dict() | {"dataset": None}, tables))
    assert results[0] == results[1]
    assert results[0] != results[2]


def test_new_accounts_are_created_age_hours_before_their_first_post(run: Run) -> None:
    truth, rows = run("young", age="new", age_hours=6.0, camouflage=0)
    accounts = {a["id"]: a for a in rows["accounts"]}
    for campaign in truth.campaigns:
        for account in campaign.accounts:
            first = min(p["created_at"] for p in rows["posts"] if p["author_id"] == account)
            age = first - accounts[account]["created_at"]
            assert timedelta(hours=6) <= age <= timedelta(hours=6, minutes=5)


def test_aged_accounts_are_months_old_when_they_start(run: Run) -> None:
    truth, rows = run("aged", age="aged", camouflage=0)
    accounts = {a["id"]: a for a in rows["accounts"]}
    for campaign in truth.campaigns:
        for account in campaign.accounts:
            first = min(p["created_at"] for p in rows["posts"] if p["author_id"] == account)
            assert timedelta(days=30) <= first - accounts[account]["created_at"]
            assert first - accounts[account]["created_at"] <= timedelta(days=400)


def test_dormant_accounts_are_real_accounts_silent_for_half_a_year(
    run: Run, source: dict[str, list[dict[str, Any]]]
) -> None:
    truth, rows = run("dormant", campaigns=2, age="dormant", camouflage=2, socks=(2, 4))
    real = {a["id"] for a in source["accounts"]}
    for campaign in truth.campaigns:
        assert set(campaign.accounts) == set(campaign.dormant_accounts) <= real
        assert not campaign.notes
        for account in campaign.accounts:
            planted = set(campaign.posts) | set(campaign.camouflage_posts)
            first = min(p["created_at"] for p in rows["posts"] if p["id"] in planted
                        and p["author_id"] == account)  # fmt: skip
            before = [p["created_at"] for p in source["posts"] if p["author_id"] == account]
            assert all(first - t >= timedelta(days=180) for t in before)


def test_burst_replies_come_minutes_apart_and_spread_ones_hours(run: Run) -> None:
    def gaps(truth: Truth, rows: dict[str, list[dict[str, Any]]]) -> list[float]:
        posts = {p["id"]: p for p in rows["posts"]}
        out = []
        for campaign in truth.campaigns:
            for tid in campaign.threads:
                mine = [posts[p] for p in campaign.posts if posts[p]["thread_id"] == tid]
                times = sorted(p["created_at"] for p in mine if p["kind"] == "answer")
                out += [(b - a).total_seconds() for a, b in itertools.pairwise(times)]
        return out

    burst = gaps(*run("burst", campaigns=4, timing="burst", socks=5, reply_share=1.0))
    spread = gaps(*run("spread", campaigns=4, timing="spread", socks=5, reply_share=1.0))
    assert burst and max(burst) <= 10 * 60
    assert statistics.median(spread) > 3600


def test_wording_verbatim_repeats_template_varies_paraphrase_varies_more(run: Run) -> None:
    knobs = {"campaigns": 3, "socks": 5, "reply_share": 1.0, "mutual_votes": False}
    verbatim = _mean_pair_similarity(
        _campaign_answers(*run("verbatim", wording="verbatim", **knobs))
    )
    template = _mean_pair_similarity(
        _campaign_answers(*run("template", wording="template", **knobs))
    )
    paraphrase = _mean_pair_similarity(
        _campaign_answers(*run("paraphrase", wording="paraphrase", **knobs))
    )
    assert verbatim == 1.0
    assert 0.05 < paraphrase < template < 1.0


def test_mutual_votes_look_like_the_sources_and_no_votes_plant_none(run: Run) -> None:
    truth, rows = run("votes", campaigns=2, mutual_votes=True, thread_mode="new")
    reactions = {r["id"]: r for r in rows["reactions"]}
    for campaign in truth.campaigns:
        assert campaign.reactions
        for rid in campaign.reactions:
            vote = reactions[rid]
            # The source's votes do not name their voter, so planted ones do not either.
            assert vote["actor_id"] is None
            assert vote["post_id"] in campaign.posts
        accepted = [reactions[r] for r in campaign.reactions if reactions[r]["kind"] == "accept"]
        threads = {t["id"]: t for t in rows["threads"]}
        assert {a["post_id"] for a in accepted} == {
            threads[t]["accepted_post_id"] for t in campaign.new_threads
        }
    quiet, _ = run("no-votes", campaigns=2, mutual_votes=False)
    assert all(not c.reactions for c in quiet.campaigns)


def test_shared_links_carry_tracking_and_are_canonicalized(run: Run) -> None:
    truth, rows = run("links", campaigns=2, shared_links=True)
    for campaign in truth.campaigns:
        assert campaign.link_domain
        found = [r for r in rows["links"] if r["post_id"] in campaign.posts]
        assert found and all(r["domain"] == campaign.link_domain for r in found)
        assert all("utm_" in r["url"] and "utm_" not in r["canonical_url"] for r in found)
        assert all("ref=" not in r["canonical_url"] for r in found)
    plain, plain_rows = run("no-links", campaigns=2, shared_links=False)
    planted = {p for c in plain.campaigns for p in c.posts}
    assert not [r for r in plain_rows["links"] if r["post_id"] in planted]


def test_camouflage_posts_are_elsewhere_and_not_copies(
    run: Run, source: dict[str, list[dict[str, Any]]]
) -> None:
    truth, rows = run("camouflage", campaigns=2, camouflage=4, age="aged")
    posts = {p["id"]: p for p in rows["posts"]}
    real_texts = {p["text"] for p in source["posts"]}
    for campaign in truth.campaigns:
        assert 0 < len(campaign.camouflage_posts) <= 4 * len(campaign.accounts)
        for pid in campaign.camouflage_posts:
            post = posts[pid]
            assert post["thread_id"] not in campaign.threads
            assert post["author_id"] in campaign.accounts
            assert post["text"] not in real_texts


def test_products_come_from_the_community_tags_with_its_spelling(run: Run) -> None:
    truth, _ = run("copy", campaigns=4)
    for campaign in truth.campaigns:
        assert campaign.product in {"HomeHub", "Zigbee", "MQTT", "Tasmota"}
        assert campaign.competitor != campaign.product
    fixed, _ = run("fixed", campaigns=1, product="mqtt")
    assert fixed.campaigns[0].product == "MQTT"


def test_topic_tags_restrict_the_threads(run: Run, workspace: Path) -> None:
    plan = InjectionPlan(2, "ring", {"thread_mode": "existing"}, ("security",))
    truth = inject("home", "topic", workspace, plan=plan, seed=1, force=True)
    threads = {t["id"]: t for t in table(workspace / "datasets" / "topic", "threads")}
    for campaign in truth.campaigns:
        assert all("security" in threads[t]["tags"] for t in campaign.threads)


def test_strength_labels_follow_the_knobs() -> None:
    fields = InjectionPlan(1, "new-accounts").draw(random.Random(1)).to_dict()
    strong = {**fields, "age": "new", "wording": "verbatim", "timing": "burst"}
    assert CampaignPlan(**strong).strength == "strong"
    weak = {**fields, "age": "aged", "camouflage": 5, "wording": "paraphrase", "timing": "spread"}
    assert CampaignPlan(**weak).strength == "weak"
    assert CampaignPlan(**{**weak, "camouflage": 0}).strength == "medium"
    assert CampaignPlan(**{**strong, "timing": "spread"}).strength == "medium"


def test_progress_is_called_once_per_campaign(workspace: Path) -> None:
    calls: list[tuple[int, int]] = []
    inject("home", "progress", workspace, plan=InjectionPlan(3), seed=2, force=True,
           progress=lambda done, total: calls.append((done, total)))  # fmt: skip
    assert calls == [(1, 3), (2, 3), (3, 3)]


def test_bad_plans_and_names_are_refused(workspace: Path) -> None:
    with pytest.raises(UsageError, match=r"socks is 11; it must be 2\.\.10"):
        InjectionPlan(1, overrides={"socks": 11})
    with pytest.raises(UsageError, match="unknown preset"):
        InjectionPlan(1, "loud")
    with pytest.raises(UsageError, match="reply-share is 0; it must be above 0"):
        InjectionPlan(1, overrides={"reply_share": 0})
    with pytest.raises(UsageError, match="exists; pick another --out name or pass --force"):
        inject("home", "home-copy", workspace, plan=InjectionPlan(1))
        inject("home", "home-copy", workspace, plan=InjectionPlan(1))
    with pytest.raises(DatasetError, match="no dataset 'nowhere'"):
        inject("nowhere", "x", workspace, plan=InjectionPlan(1))
