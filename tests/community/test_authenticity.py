"""Authenticity signals: a planted campaign stands out, organic threads stay quiet, and every
score comes with evidence a moderator can check."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from fixtures.community.astroturf import CAMPAIGN_THREADS, SOCKS, write_astroturf_dataset
from plainspoken.community.authenticity import (
    AuthenticityResult,
    Options,
    authenticity,
    check_options,
)
from plainspoken.community.authenticity.products import (
    ProductIndex,
    StanceReader,
    load_vocabulary,
    product_names,
)
from plainspoken.errors import InputError, UsageError
from plainspoken.reports.authenticity import render_authenticity
from plainspoken.workspace import init

# The fixture has 82 threads: 5% lets up to five be flagged, enough for both campaign threads.
RATE = 0.05


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("astro")
    init(root)
    write_astroturf_dataset(root / "datasets" / "astro")
    return root


@pytest.fixture(scope="module")
def result(workspace: Path) -> AuthenticityResult:
    return authenticity("astro", workspace, options=Options(max_flag_rate=RATE))


def test_the_campaign_threads_rank_first_and_only_they_are_flagged(
    result: AuthenticityResult,
) -> None:
    assert {t.thread_id for t in result.threads[:2]} == set(CAMPAIGN_THREADS)
    assert {t.thread_id for t in result.flagged_threads} == set(CAMPAIGN_THREADS)
    organic_best = max(t.score for t in result.threads if t.thread_id not in CAMPAIGN_THREADS)
    assert min(t.score for t in result.flagged_threads) > 3 * organic_best


def test_the_campaign_is_the_four_new_accounts_and_names_the_product(
    result: AuthenticityResult,
) -> None:
    flagged = [c for c in result.campaigns if c.flagged]
    assert len(flagged) == 1
    campaign = flagged[0]
    assert campaign.accounts == SOCKS
    assert set(campaign.threads) == set(CAMPAIGN_THREADS)
    assert "Zentrix" in campaign.products
    assert {a.account_id for a in result.flagged_accounts} == set(SOCKS)
    assert all(a.campaign_id == campaign.campaign_id for a in result.flagged_accounts)


def test_evidence_cites_the_campaign_posts_and_the_community_rate(
    result: AuthenticityResult,
) -> None:
    thread = next(t for t in result.threads if t.thread_id == "t-camp")
    kinds = {e.kind: e for e in thread.evidence}
    assert {"duplicate", "burst", "shared-link", "praise", "campaign"} <= set(kinds)
    assert set(kinds["duplicate"].post_ids) == {f"camp-a{n}" for n in range(4)}
    young = thread.signals["young_account"]
    assert (young.count, young.of) == (4, 4)
    # Judged against this community's rate (about a quarter of replies), not against zero.
    assert 0.15 < young.base_rate < 0.4
    assert f"{young.base_rate * 100:.1f}%" in kinds["young-account"].detail
    assert all(p in result.posts for p in kinds["duplicate"].post_ids)


def test_accounts_running_down_the_same_competitor_are_linked_by_it(
    result: AuthenticityResult, tmp_path: Path
) -> None:
    # The fixture's socks only praise: no such evidence.
    kinds = {e.kind for c in result.campaigns for e in c.evidence}
    assert "same-product-praise" in kinds and "same-competitor-attack" not in kinds
    init(tmp_path)
    write_astroturf_dataset(tmp_path / "datasets" / "astro", attacks=True)
    found = authenticity("astro", tmp_path, options=Options(max_flag_rate=RATE))
    campaign = next(c for c in found.campaigns if c.flagged)
    attacks = [e for e in campaign.evidence if e.kind == "same-competitor-attack"]
    assert attacks and all(set(e.account_ids) <= set(SOCKS) for e in attacks)
    assert "linked pair(s) of accounts share same competitor attack" in attacks[0].detail
    assert campaign.accounts == SOCKS


@pytest.mark.parametrize("attack, praise", [(0.2, 0.5), (-0.3, 0.0), (-1.5, 0.5), (-0.3, 1.2)])
def test_stance_thresholds_out_of_range_are_refused(attack: float, praise: float) -> None:
    with pytest.raises(UsageError, match="stance thresholds"):
        check_options(Options(attack=attack, praise=praise))


def test_a_common_signal_weighs_less_where_it_is_common(workspace: Path) -> None:
    """With 'young' set to a week, most replies count as young: the same four replies from new
    accounts are then far less surprising."""
    usual = authenticity("astro", workspace, options=Options(max_flag_rate=RATE))
    loose = authenticity("astro", workspace, options=Options(max_flag_rate=RATE, young_seconds=3e7))
    day = next(t for t in usual.threads if t.thread_id == "t-camp").signals["young_account"]
    year = next(t for t in loose.threads if t.thread_id == "t-camp").signals["young_account"]
    assert year.base_rate > day.base_rate
    assert year.surprise < day.surprise


def test_the_default_operating_point_flags_at_most_one_percent(workspace: Path) -> None:
    result = authenticity("astro", workspace)
    assert len(result.flagged_threads) <= -(-len(result.threads) // 100)  # ceil(1%)
    assert result.flagged_threads[0].thread_id in CAMPAIGN_THREADS


def test_json_follows_schema_version_1(result: AuthenticityResult) -> None:
    data = json.loads(render_authenticity(result, "json"))
    assert data["version"] == 1 and data["dataset"] == "astro"
    thread = data["threads"][0]
    assert {"thread_id", "score", "flagged", "signals", "evidence"} <= set(thread)
    assert {"account_id", "score", "flagged", "campaign_id", "evidence"} <= set(data["accounts"][0])
    campaign = data["campaigns"][0]
    assert {"campaign_id", "accounts", "threads", "products", "evidence"} <= set(campaign)
    assert campaign["accounts"] == list(SOCKS)


def test_csv_has_one_row_per_thread_with_each_signal(result: AuthenticityResult) -> None:
    rows = list(csv.DictReader(io.StringIO(render_authenticity(result, "csv"))))
    assert len(rows) == len(result.threads)
    top = rows[0]
    assert top["thread_id"] in CAMPAIGN_THREADS and top["flagged"] == "True"
    assert int(top["young_account_count"]) >= 4
    accounts = list(csv.DictReader(io.StringIO(render_authenticity(result, "csv", "accounts"))))
    assert {r["account_id"] for r in accounts if r["flagged"] == "True"} == set(SOCKS)


def test_html_shows_a_timeline_and_quotes_the_evidence(result: AuthenticityResult) -> None:
    page = render_authenticity(result, "html")
    assert page.count('<svg class="timeline"') == len(result.flagged_threads)
    assert "post camp-a0" in page and "moved our whole team to Zentrix" in page
    assert "community rate" in page and "signals" in page
    assert "<script" not in page


def test_vocabulary_names_products_the_text_alone_would_miss(tmp_path: Path) -> None:
    words = tmp_path / "words.yaml"
    words.write_text(
        "products:\n  - name: Shard Keeper\n    variants: [shardkeeper]\n", encoding="utf-8"
    )
    vocabulary = load_vocabulary(words)
    names = product_names({}, ["nothing capitalized here"], vocabulary)
    index = ProductIndex(names)
    found = index.mentions("we tried shardkeeper and then Shard-Keeper 2, both fine")
    assert [name for _, _, name in found] == ["shard keeper", "shard keeper"]
    stance = StanceReader(index).stances("Honestly, ShardKeeper is the best tool we ever bought.")
    assert stance and stance[0].compound >= Options().praise


def test_names_are_whole_words_in_text_with_other_alphabets_and_punctuation() -> None:
    index = ProductIndex({"grafana": ("grafana",)})
    text = "Über-Setup: «Grafana» läuft — grafanaß nicht, Grafana_Cloud schon. Grafana ist toll!"
    found = index.mentions(text)
    assert [text[start:end] for start, end, _ in found] == ["Grafana", "Grafana", "Grafana"]
    stances = StanceReader(index).stances(text)
    assert [s.product for s in stances] == ["grafana"]
    assert stances[0].sentence == text[: text.index("schon.") + len("schon.")]


def test_a_vocabulary_with_errors_names_the_line_and_the_fix(tmp_path: Path) -> None:
    init(tmp_path)
    write_astroturf_dataset(tmp_path / "datasets" / "astro")
    bad = tmp_path / "bad.yaml"
    bad.write_text("products:\n  - name: Lumen\n  - colour: blue\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        authenticity("astro", tmp_path, vocabulary=bad)
    assert "bad.yaml:3" in str(caught.value) and "name" in str(caught.value)


def test_out_of_range_knobs_are_refused(workspace: Path) -> None:
    with pytest.raises(UsageError, match="out of range"):
        authenticity("astro", workspace, options=Options(max_flag_rate=0))
    with pytest.raises(UsageError, match="out of range"):
        authenticity("astro", workspace, options=Options(max_flag_rate=1.5))


def test_the_json_report_written_in_pieces_is_the_result_as_data(
    result: AuthenticityResult,
) -> None:
    from plainspoken.reports.authenticity import json_parts

    parts = list(json_parts(result))
    assert len(parts) > len(result.threads)  # one piece per thread, account and campaign
    assert json.loads("".join(parts)) == json.loads(json.dumps(result.to_dict()))


def test_worker_processes_give_the_same_result_as_one_process(
    workspace: Path, result: AuthenticityResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    from plainspoken.community.authenticity import reading

    monkeypatch.setattr(reading, "_WORKER_POSTS", 0)  # big communities use the workers
    monkeypatch.setattr(reading, "BATCH", 40)  # several batches, as on a big community
    assert reading._workers() == 2 or (os.cpu_count() or 1) < 2
    pooled = authenticity("astro", workspace, options=Options(max_flag_rate=RATE))
    assert pooled.to_dict() == result.to_dict()


def test_work_done_a_range_at_a_time_gives_the_same_result_as_one_pass(
    workspace: Path, result: AuthenticityResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    from plainspoken.community.authenticity import (
        accounts,
        analysis,
        buckets,
        edges,
        membership,
        pairs,
        texts,
    )

    # Ranges of a few rows, as tens of millions are split on a big community.
    monkeypatch.setattr(analysis, "_REPLY_RANGE", 7)
    monkeypatch.setattr(texts, "COLUMN_BATCH", 9)  # the timing, read while replies are judged
    monkeypatch.setattr(accounts, "_STANCE_RANGE", 5)
    monkeypatch.setattr(accounts, "_POST_RANGE", 11)
    monkeypatch.setattr(buckets, "_PART", 13)
    monkeypatch.setattr(buckets, "_KEY_ROWS", 17)
    monkeypatch.setattr(pairs, "_POST_RANGE", 3)
    monkeypatch.setattr(edges, "_ROW_RANGE", 3)
    monkeypatch.setattr(pairs, "_PAIR_BLOCK", 5)
    monkeypatch.setattr(membership, "_PATHS", 7)
    ranged = authenticity("astro", workspace, options=Options(max_flag_rate=RATE))
    assert ranged.to_dict() == result.to_dict()


def _camouflaged(root: Path) -> Path:
    """The fixture plus what a careful campaign and a pair of copy-paste accounts leave:

    - all four socks also reply, in ordinary words and no link, to one organic thread (``t60``,
      camouflage): members posting together, but not as the campaign;
    - one sock alone praises Zentrix with the vendor's link in another thread (``t70``);
    - two long-standing accounts (``w1``, ``w2``) that never meet post the same distinctive
      text twice each, in four different threads, with nothing else in common.
    """
    from datetime import timedelta

    from fixtures.community.astroturf import rows
    from fixtures.engine.tiny_community import write_table

    data = rows()
    threads = {t["id"]: t for t in data["threads"]}

    def reply(post_id: str, thread: str, author: str, hours: float, text: str) -> None:
        data["posts"].append(
            {"id": post_id, "thread_id": thread, "parent_id": None, "kind": "answer",
             "author_id": author, "created_at": threads[thread]["created_at"]
             + timedelta(hours=hours), "text": text, "html": f"<p>{text}</p>", "score": 0}
        )  # fmt: skip

    ordinary = (
        "Check the subnet of the gateway first, then the proxy certificate and the token.",
        "Restore the replica from the last backup and watch the queue latency for a day.",
        "The driver firmware needs the patch before the rollout of the new kernel.",
        "Raise the volume quota and the retention of the metric alerts, then try again.",
    )
    for n, sock in enumerate(SOCKS):
        reply(f"camo-{n}", "t60", sock, 2 + 5 * n, ordinary[n])
    reply("lone-0", "t70", "s1", 6, "Zentrix is the best tool we have ever used, great product!")
    data["links"].append(
        {"post_id": "lone-0", "url": "https://zentrix.example/try?utm_source=lone",
         "canonical_url": "https://zentrix.example/try", "domain": "zentrix.example"}
    )  # fmt: skip
    copied = (
        "Quarantine the orphaned snapshot lineage before compaction, otherwise the tombstones "
        "resurrect deleted manifests during the nightly reconciliation sweep."
    )
    for account in ("w1", "w2"):
        data["accounts"].append(
            {"id": account, "name": account, "created_at": threads["t0"]["created_at"]}
        )
    for post_id, thread, account in (("w-a", "t10", "w1"), ("w-b", "t20", "w1"),
                                     ("w-c", "t30", "w2"), ("w-d", "t75", "w2")):  # fmt: skip
        reply(post_id, thread, account, 30, copied)
    folder = root / "datasets" / "camo"
    folder.mkdir(parents=True)
    for table, table_rows in data.items():
        write_table(folder / f"{table}.parquet", table, table_rows)
    manifest = {"schema_version": 1, "name": "camo", "counts": {}, "time_range": []}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def camouflaged(tmp_path_factory: pytest.TempPathFactory) -> AuthenticityResult:
    root = tmp_path_factory.mktemp("camo")
    init(root)
    _camouflaged(root)
    return authenticity("camo", root, options=Options(max_flag_rate=RATE))


def test_members_posting_camouflage_together_do_not_make_a_campaign_thread(
    camouflaged: AuthenticityResult,
) -> None:
    by_id = {t.thread_id: t for t in camouflaged.threads}
    camouflage = by_id["t60"]
    assert not camouflage.campaign_ids
    assert "campaign" not in {e.kind for e in camouflage.evidence}
    assert not camouflage.flagged
    assert {t.thread_id for t in camouflaged.threads[:2]} == set(CAMPAIGN_THREADS)
    zentrix = next(c for c in camouflaged.campaigns if set(c.accounts) == set(SOCKS))
    assert "t60" not in zentrix.threads


def test_one_member_posting_the_campaigns_message_alone_counts_its_weakest_edge(
    camouflaged: AuthenticityResult,
) -> None:
    lone = next(t for t in camouflaged.threads if t.thread_id == "t70")
    zentrix = next(c for c in camouflaged.campaigns if set(c.accounts) == set(SOCKS))
    assert lone.campaign_ids == (zentrix.campaign_id,)
    campaign = next(e for e in lone.evidence if e.kind == "campaign")
    assert campaign.account_ids == ("s1",)
    weakest = min(
        e.surprise
        for a in camouflaged.accounts
        if a.account_id in SOCKS
        for e in a.evidence
        if e.kind == "linked-account"
    )
    assert campaign.surprise == pytest.approx(weakest)
    assert "t70" in zentrix.threads


def test_repeated_near_identical_posts_link_two_accounts_without_a_second_kind(
    camouflaged: AuthenticityResult,
) -> None:
    pair = next(c for c in camouflaged.campaigns if set(c.accounts) == {"w1", "w2"})
    assert {e.kind for e in pair.evidence} == {"similar-wording"}
    assert set(pair.threads) == {"t10", "t20", "t30", "t75"}


def test_thread_details_are_the_same_each_time_and_timelines_only_for_flagged_threads(
    result: AuthenticityResult,
) -> None:
    # Evidence of unflagged threads is made when a row is asked for: asking twice gives the
    # same evidence; flagged threads carry their reply timeline, the others none.
    first = [(t.thread_id, t.evidence, t.campaign_ids, t.timeline) for t in result.threads]
    again = [(t.thread_id, t.evidence, t.campaign_ids, t.timeline) for t in result.threads]
    assert first == again
    unflagged_with_evidence = [t for t in result.threads if t.evidence and not t.flagged]
    assert unflagged_with_evidence and all(not t.timeline for t in unflagged_with_evidence)
    assert all(t.timeline for t in result.flagged_threads)
    for t in unflagged_with_evidence:
        for e in t.evidence:
            assert e.kind == "campaign" or e.post_ids  # each signal cites the replies showing it


def test_the_result_holds_no_post_columns_but_the_ids(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report of a big community is written from the result alone: the post columns,
    links, votes and stance rows the analysis read can go when it returns."""
    import gc
    import weakref

    from plainspoken.community.authenticity import analysis, data

    seen: list[weakref.ref[object]] = []
    real = analysis.analyse

    def watched(community: data.Community, *args: object, **kwargs: object) -> object:
        seen.extend(weakref.ref(part) for part in (community, community.posts, community.links))
        return real(community, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("plainspoken.community.authenticity.analyse", watched)
    held = authenticity("astro", workspace, options=Options(max_flag_rate=RATE))
    gc.collect()
    assert len(seen) == 3 and all(ref() is None for ref in seen)  # gone with the analysis
    flagged = held.threads.flagged()
    assert flagged and any(e.post_ids for t in flagged for e in t.evidence)
    assert any(e.post_ids for a in held.accounts for e in a.evidence)  # ids still readable
