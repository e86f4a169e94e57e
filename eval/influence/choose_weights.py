"""Choose the influencer ranking's facet weights on the development split, never the reported one.

    .venv/bin/python eval/influence/choose_weights.py -w WS [--k 20] [--rows 25]

WS is a workspace with the Stack Exchange dumps imported as ``ai``, ``iot`` and ``devopsmeta``
(``plainspoken community import DIR --format stackexchange --name NAME -w WS``).

The development split (``docs/evaluation.md``, "Influencers") ranks each dump with the rows
before a cut-off two thirds of the way to the reported cut-off and scores the ranking on what
came between the two: nothing after the reported cut-off is read. Each of the ten development
topics is ranked once (``harness.topic_outcomes``); every candidate weighting then re-weights
the four facets the ranking already computed (``facets.composite``) and is scored against the
same outcome (``evaluation.score_topic``), so the search does not rank again.

Candidates: every weighting on the grids of steps 0.1 and 0.125 that gives each facet at least
one step (the issue wants four facets composing the score), equal weights among them.
Criterion: mean NDCG@k over the ten topics. Among the candidates within ``--tolerance`` of the
best mean (differences that small are one account moving on these small sites), the choice is
the one closest to equal weights (L1 distance), then the higher mean. Prints the best rows,
the equal weights' row and the choice; writes nothing.
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from plainspoken.community.influence.evaluation import TopicOutcome, score_topic
from plainspoken.community.influence.facets import FACET_WEIGHTS, FACETS, composite
from plainspoken.community.influence.harness import topic_outcomes
from plainspoken.community.influence.params import InfluenceParams

DEVELOPMENT: tuple[tuple[str, tuple[str, ...], str, str], ...] = (
    (
        "ai",
        ("neural-networks", "machine-learning", "deep-learning", "philosophy"),
        "2016-09-29T14:20:15",
        "2016-10-28T13:40:45",
    ),
    (
        "iot",
        ("smart-home", "security", "mqtt", "alexa,amazon-echo"),
        "2017-01-18T21:05:49",
        "2017-02-09T11:03:21",
    ),
    (
        "devopsmeta",
        ("discussion", "support,off-topic"),
        "2017-07-01T06:31:32",
        "2017-08-31T13:11:11",
    ),
)
"""Dataset, topics, development cut-off and horizon (the horizon is the reported cut-off)."""

EQUAL = {f: 1 / len(FACETS) for f in FACETS}


def weight_grid(steps: Sequence[int] = (10, 8)) -> list[dict[str, float]]:
    """Every weighting with each facet a whole number (at least one) of ``1 / n`` shares, for
    each ``n`` in ``steps``; duplicates (equal weights on both grids, say) once."""
    seen: set[tuple[float, ...]] = set()
    grid = []
    for n in steps:
        for parts in itertools.product(range(1, n + 1), repeat=len(FACETS)):
            if sum(parts) != n:
                continue
            key = tuple(round(p / n, 6) for p in parts)
            if key not in seen:
                seen.add(key)
                grid.append(dict(zip(FACETS, key, strict=True)))
    return grid


@dataclass(frozen=True)
class Candidate:
    weights: Mapping[str, float]
    ndcg: tuple[float, ...]
    wins: int

    @property
    def mean(self) -> float:
        return sum(self.ndcg) / len(self.ndcg)

    @property
    def from_equal(self) -> float:
        return sum(abs(self.weights[f] - EQUAL[f]) for f in FACETS)


def development_outcomes(
    workspace: Path, params: InfluenceParams | None = None
) -> list[TopicOutcome]:
    """The ten development topics, each ranked once with ``params``."""
    outcomes: list[TopicOutcome] = []
    for name, topics, cutoff, horizon in DEVELOPMENT:
        outcomes += topic_outcomes(
            name,
            topics,
            workspace,
            cutoff=datetime.fromisoformat(cutoff),
            horizon=datetime.fromisoformat(horizon),
            params=params,
        )
    return outcomes


def score(outcomes: Sequence[TopicOutcome], weights: Mapping[str, float], k: int) -> Candidate:
    """The weighting's NDCG@k on each topic, and on how many it beats every baseline."""
    results = [
        score_topic(
            o, k, {a.account_id: composite(a.facets, weights) for a in o.ranking.accounts}, 0
        )
        for o in outcomes
    ]
    return Candidate(weights, tuple(r.ours.ndcg for r in results), sum(r.wins for r in results))


def choose(candidates: Sequence[Candidate], tolerance: float) -> Candidate:
    """Closest to equal weights among those within ``tolerance`` of the best mean."""
    best = max(c.mean for c in candidates)
    near = [c for c in candidates if c.mean >= best - tolerance]
    return min(near, key=lambda c: (round(c.from_equal, 6), -c.mean))


def _label(weights: Mapping[str, float]) -> str:
    return " / ".join(f"{weights[f]:.3g}" for f in FACETS)


def table(
    outcomes: Sequence[TopicOutcome], candidates: Sequence[Candidate], rows: int
) -> list[str]:
    topics = [f"{o.ranking.dataset}:{o.ranking.topic.replace('tag:', '')}" for o in outcomes]
    head = ["weights (" + " / ".join(FACETS) + ")", "mean NDCG", "beats all", *topics]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    ranked = sorted(candidates, key=lambda c: (-c.mean, c.from_equal))
    shown = ranked[:rows]
    shown += [c for c in ranked if c.from_equal < 1e-9 and c not in shown]
    for c in shown:
        cells = [_label(c.weights), f"{c.mean:.3f}", f"{c.wins}/{len(c.ndcg)}"]
        lines.append("| " + " | ".join(cells + [f"{v:.3f}" for v in c.ndcg]) + " |")
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-w", "--workspace", type=Path, required=True)
    parser.add_argument("--k", type=int, default=20)
    parser.add_argument("--rows", type=int, default=25, help="best candidates printed")
    parser.add_argument("--tolerance", type=float, default=0.005)
    args = parser.parse_args(argv)
    outcomes = development_outcomes(args.workspace)
    candidates = [score(outcomes, w, args.k) for w in weight_grid()]
    print("\n".join(table(outcomes, candidates, args.rows)))
    chosen = choose(candidates, args.tolerance)
    equal = score(outcomes, EQUAL, args.k)
    best = max(candidates, key=lambda c: c.mean)
    print(
        f"\n{len(candidates)} candidates on {len(outcomes)} development topics. "
        f"Best mean NDCG@{args.k}: {best.mean:.3f} ({_label(best.weights)}); "
        f"equal weights: {equal.mean:.3f}, beats all on {equal.wins}.\n"
        f"Chosen (closest to equal within {args.tolerance} of the best): "
        f"{_label(chosen.weights)}, mean {chosen.mean:.3f}, beats all on {chosen.wins} of "
        f"{len(outcomes)}."
    )
    shipped = all(abs(chosen.weights[f] - FACET_WEIGHTS[f]) < 1e-9 for f in FACETS)
    print(
        f"The shipped default ({_label(FACET_WEIGHTS)}) is {'' if shipped else 'not '}this choice."
    )


if __name__ == "__main__":
    main()
