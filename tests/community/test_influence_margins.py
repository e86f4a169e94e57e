"""The bootstrap margins that say whether a win or loss on NDCG@k is beyond sampling noise."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from plainspoken.community.influence.evaluation import (
    BASELINES,
    METHOD,
    MethodScore,
    TopicEvaluation,
    ndcg,
    order_by,
)
from plainspoken.community.influence.margins import margins, pooled_margins
from plainspoken.reports.influence import evaluation_table

CANDIDATES = [f"u{i:02d}" for i in range(40)]
# Every other candidate receives something after the cut-off, the earlier ones more.
GAINS = {a: float(40 - i) for i, a in enumerate(CANDIDATES) if i % 2 == 0}
PERFECT = {a: float(40 - i) for i, a in enumerate(CANDIDATES)}
REVERSED = {a: float(i) for i, a in enumerate(CANDIDATES)}


def _against(theirs: dict[str, float], rounds: int = 500, seed: int = 0) -> list[float]:
    baselines = dict.fromkeys(BASELINES, theirs)
    found = margins(CANDIDATES, PERFECT, baselines, GAINS, 20, rounds, seed)
    return [m.difference for m in found]


def test_the_point_difference_is_the_ndcg_difference_ties_broken_alike() -> None:
    tied = {a: float(i // 4) for i, a in enumerate(CANDIDATES)}  # groups of four tie
    found = margins(CANDIDATES, PERFECT, {"post count": tied}, GAINS, 20, rounds=50)
    expected = ndcg(order_by(PERFECT, CANDIDATES), GAINS, 20) - ndcg(
        order_by(tied, CANDIDATES), GAINS, 20
    )
    assert found[0].difference == pytest.approx(expected, abs=1e-12)
    assert found[0].rounds == 50 and len(found[0].draws) == 50


def test_the_same_ordering_is_no_better_and_no_worse() -> None:
    [same] = margins(CANDIDATES, PERFECT, {"post count": PERFECT}, GAINS, 20, rounds=200)
    assert (same.difference, same.low, same.high, same.ahead) == (0.0, 0.0, 0.0, 0.0)
    assert not same.clear


def test_a_far_better_ordering_is_clearly_ahead_and_a_coin_flip_is_not() -> None:
    [better] = margins(CANDIDATES, PERFECT, {"post count": REVERSED}, GAINS, 20, rounds=500)
    assert better.difference > 0.5 and better.low > 0 and better.clear and better.ahead > 0.95
    # Swapping the two candidates with the most and the second most changes NDCG a little;
    # the interval is wide enough to hold zero.
    swapped = dict(PERFECT, u00=PERFECT["u02"], u02=PERFECT["u00"])
    [close] = margins(CANDIDATES, PERFECT, {"post count": swapped}, GAINS, 20, rounds=500)
    assert close.difference > 0 and close.low <= 0 <= close.high and not close.clear


def test_draws_are_reproducible_for_a_seed() -> None:
    assert _against(REVERSED, seed=3) == _against(REVERSED, seed=3)


def _evaluation(topic: str, theirs: dict[str, float]) -> TopicEvaluation:
    scores = (
        MethodScore(METHOD, ndcg(order_by(PERFECT, CANDIDATES), GAINS, 20), None),
        *(MethodScore(b, ndcg(order_by(theirs, CANDIDATES), GAINS, 20), None) for b in BASELINES),
    )
    found = margins(CANDIDATES, PERFECT, dict.fromkeys(BASELINES, theirs), GAINS, 20, 300)
    return TopicEvaluation(
        "forum", topic, datetime(2021, 3, 1, tzinfo=UTC), 40, 4, 20, scores, found
    )


def test_pooled_margins_average_the_topics_and_the_table_reads_them() -> None:
    results = [_evaluation("far", REVERSED), _evaluation("same", PERFECT)]
    pooled = pooled_margins([r.margins for r in results])
    assert [p.baseline for p in pooled] == list(BASELINES)
    far = results[0].margins[0].difference
    assert pooled[0].difference == pytest.approx(far / 2)
    assert pooled[0].low <= pooled[0].difference <= pooled[0].high
    table = evaluation_table(results)
    assert "clearly ahead on 1, clearly behind on 0, within sampling noise on 1 of 2" in table
    assert f"- post count: {far / 2:+.3f} [" in table
    assert table.splitlines()[0].endswith("| margin over the best baseline [90% interval] |")
