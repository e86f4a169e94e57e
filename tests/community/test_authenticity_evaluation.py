"""The evaluation harness: metrics computed right, and a known campaign measured end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import CLI, one_line_error
from fixtures.community.astroturf import CAMPAIGN_THREADS, SOCKS, write_astroturf_dataset
from plainspoken.community.authenticity.evaluation import (
    average_precision,
    evaluate,
    recall_at_organic_rate,
)
from plainspoken.community.injection.truth import CampaignTruth, Truth
from plainspoken.workspace import init


def test_average_precision_counts_ties_as_one_step() -> None:
    scores = {"a": 3.0, "b": 2.0, "c": 2.0, "d": 1.0}
    # a (hit) at precision 1; then b and c tie, one hit among them: precision 2/3 at recall 1.
    assert average_precision(scores, frozenset({"a", "c"})) == pytest.approx(0.5 + 0.5 * 2 / 3)
    assert average_precision(scores, frozenset()) is None


def test_recall_at_the_organic_rate_never_exceeds_that_rate() -> None:
    organic = {f"o{i}": float(i) for i in range(200)}  # scores 0..199
    planted = {"p1": 500.0, "p2": 198.5, "p3": 50.0}
    # 1% of 200 organic = 2 may pass: the bar is the third-best organic score (197).
    assert recall_at_organic_rate({**organic, **planted}, frozenset(planted)) == pytest.approx(
        2 / 3
    )


def _truth(dataset: str) -> Truth:
    campaign = CampaignTruth(
        campaign_id="inj-1",
        preset="new-accounts",
        parameters={"socks": 4},
        strength="strong",
        accounts=SOCKS,
        threads=CAMPAIGN_THREADS,
        posts=tuple(f"camp-{t}{n}" for t in "ab" for n in range(4)),
        camouflage_posts=(),
        reactions=tuple(f"v-camp{n}" for n in range(4)),
        product="Zentrix",
        competitor="Kestrel",
        link_domain="zentrix.example",
    )
    return Truth(dataset, "astro-source", 0, {}, (campaign,))


@pytest.fixture()
def workspace(tmp_path: Path) -> Path:
    init(tmp_path)
    write_astroturf_dataset(tmp_path / "datasets" / "astro")
    _truth("astro").write(tmp_path / "datasets" / "astro.truth.json")
    return tmp_path


def test_a_known_campaign_is_found_and_the_baselines_miss_part_of_it(workspace: Path) -> None:
    result = evaluate("astro", workspace=workspace)
    mine = result.methods["plainspoken"]
    assert mine["threads"].recall_at_organic_rate == 1.0
    assert mine["threads"].pr_auc == 1.0
    assert mine["accounts"].precision == 1.0 and mine["accounts"].recall == 1.0
    # The second thread came two months after the accounts were made: 'young' alone misses it.
    assert result.methods["young-75"]["threads"].recall == 0.5
    # The accounts replied minutes apart, never within 60 seconds of each other.
    assert result.methods["co-reply-60s"]["threads"].recall == 0.0
    assert result.evidence_precision is not None and result.evidence_precision > 0.8
    assert set(result.by_strength) == {"strong"}


def test_evaluate_on_the_command_line(cli: CLI, workspace: Path) -> None:
    run = cli("community", "evaluate", "astro", "-w", str(workspace), "-f", "json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["methods"]["plainspoken"]["threads"]["recall_at_1pct_organic"] == 1.0
    text = cli("community", "evaluate", "astro", "-w", str(workspace))
    assert "young-75" in text.stdout and "co-reply-60s" in text.stdout
    assert text.stderr == ""  # no progress in a pipe by default


def test_evaluate_names_its_steps_with_plain_progress(cli: CLI, workspace: Path) -> None:
    run = cli("community", "evaluate", "astro", "-w", str(workspace), "--progress", "plain")
    assert run.returncode == 0, run.stderr
    steps = [line.split("] evaluate: ", 1)[1] for line in run.stderr.strip().splitlines()]
    assert steps == ["reading dataset 'astro'", "scoring and comparing with the truth"]


def test_a_missing_truth_file_says_how_to_make_one(cli: CLI, workspace: Path) -> None:
    message = one_line_error(
        cli("community", "evaluate", "astro", "-w", str(workspace), "--truth", "none.json")
    )
    assert "none.json" in message and "inject" in message
