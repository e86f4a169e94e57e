"""Predictive validity of the influencer ranking on the Stack Exchange dumps, all topics at once.

    python eval/influence/evaluate.py [--data ../shared/data/stackexchange] [--extended]
        [--min-questions 20] [--rounds 2000]

Imports each dump into a temporary workspace, then runs what
``plainspoken community evaluate-influence`` runs (default cut-off, the authenticity
analysis's flags) on the reported topics of each dump (``REPORTED``, the ones in
docs/evaluation.md). With ``--extended``, every other tag of the dump used on at least
``--min-questions`` questions is evaluated too, one topic per tag (a rule, so the topics are
not picked by their result). Prints one table over all topics, the per-topic bootstrap
margins and the mean margin over all topics against each baseline. Writes nothing into the
repository.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from plainspoken.community import import_dataset
from plainspoken.community.influence.evaluation import TopicEvaluation, score_topic
from plainspoken.community.influence.harness import topic_outcomes
from plainspoken.reports.influence import evaluation_table
from plainspoken.workspace import init

REPO = Path(__file__).resolve().parents[2]
REPORTED: dict[str, tuple[str, tuple[str, ...]]] = {
    "ai.stackexchange.com": (
        "ai",
        ("neural-networks", "machine-learning", "deep-learning", "philosophy"),
    ),
    "iot.stackexchange.com": ("iot", ("smart-home", "security", "mqtt", "alexa,amazon-echo")),
    "meta.devops.stackexchange.com": ("devopsmeta", ("discussion", "support,off-topic")),
}
"""Dump folder: dataset name and the topics reported in docs/evaluation.md."""


def more_tags(folder: Path, reported: tuple[str, ...], least: int) -> list[str]:
    """Tags used on at least ``least`` questions that no reported topic names, most used first."""
    named = {t for topic in reported for t in topic.split(",")}
    rows = duckdb.sql(
        f"SELECT name, count FROM read_parquet('{folder / 'tags'}/*.parquet') "
        f"WHERE count >= {int(least)} ORDER BY count DESC, name"
    ).fetchall()
    return [str(name) for name, _ in rows if name not in named]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared/data/stackexchange")
    parser.add_argument("--extended", action="store_true", help="also every other busy tag")
    parser.add_argument("--min-questions", type=int, default=20, help="for --extended")
    parser.add_argument("--rounds", type=int, default=2000, help="bootstrap draws per topic")
    parser.add_argument("--k", type=int, default=20)
    args = parser.parse_args()
    dumps = [args.data / d for d in REPORTED if (args.data / d).is_dir()]
    if not dumps:
        print(f"none of the dumps {', '.join(REPORTED)} is in {args.data}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    results: list[TopicEvaluation] = []
    with tempfile.TemporaryDirectory(prefix="plainspoken-eval-influence-") as tmp:
        ws = Path(tmp)
        init(ws)
        for dump in dumps:
            name, topics = REPORTED[dump.name]
            import_dataset(dump, "stackexchange", name, ws)
            chosen = list(topics)
            if args.extended:
                chosen += more_tags(ws / "datasets" / name, topics, args.min_questions)
            outcomes = topic_outcomes(name, chosen, ws)
            results += [score_topic(o, args.k, rounds=args.rounds) for o in outcomes]
    print(evaluation_table(results), end="")
    print(f"\n{len(results)} topics in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
