"""Evaluate the copy checker on the labelled development set.

Prints span-level precision and recall per category (a finding counts when it overlaps a
labelled phrase of the same category), the Spearman rank correlation between the 0-100 score
and the editors' 0-10 labels, and the number of findings per plain technical passage.

    python eval/copy/evaluate.py [--set FILE ...] [--json] [--misses]

By default it scores two sets written by different people: devset.yaml (the development set,
used while writing rules) and heldout.yaml (held out: nobody tunes rules against it).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

from plainspoken import check
from plainspoken.copy import build_checker

HERE = Path(__file__).parent


def ranks(values: list[float]) -> list[float]:
    """Average ranks (1-based), ties sharing their mean rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    result = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            result[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return result


def spearman(a: list[float], b: list[float]) -> float:
    ra, rb = ranks(a), ranks(b)
    ma, mb = sum(ra) / len(ra), sum(rb) / len(rb)
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb, strict=True))
    va = sum((x - ma) ** 2 for x in ra) ** 0.5
    vb = sum((y - mb) ** 2 for y in rb) ** 0.5
    return cov / (va * vb) if va and vb else 0.0


def gold_spans(text: str, flags: list[dict[str, str]]) -> list[tuple[int, int, str, str]]:
    spans = []
    for flag in flags:
        for m in re.finditer(re.escape(flag["phrase"]), text):
            spans.append((m.start(), m.end(), flag["category"], flag["phrase"]))
    return spans


def evaluate(devset: Path, show_misses: bool = False) -> dict[str, Any]:
    passages = yaml.safe_load(devset.read_text(encoding="utf-8"))
    checkers: dict[str, Any] = {}
    tp_pred: dict[str, int] = defaultdict(int)
    n_pred: dict[str, int] = defaultdict(int)
    tp_gold: dict[str, int] = defaultdict(int)
    n_gold: dict[str, int] = defaultdict(int)
    scores: list[float] = []
    labels: list[float] = []
    plain_findings: list[int] = []
    misses: list[str] = []
    for p in passages:
        audience = p["audience"]
        if audience not in checkers:
            checkers[audience] = build_checker(audience=audience)
        report = check(p["text"], checker=checkers[audience]).files[0]
        gold = gold_spans(p["text"], p.get("flags") or [])
        pred = [f for f in report.findings if f.start is not None]
        for f in pred:
            assert f.start is not None and f.end is not None
            n_pred[f.category] += 1
            hit = any(g[2] == f.category and f.start < g[1] and g[0] < f.end for g in gold)
            tp_pred[f.category] += hit
            if not hit and show_misses:
                misses.append(f"FP {p['id']} {f.category}: {f.text!r}")
        for g in gold:
            n_gold[g[2]] += 1
            hit = any(
                f.category == g[2] and f.start < g[1] and g[0] < f.end  # type: ignore[operator]
                for f in pred
            )
            tp_gold[g[2]] += hit
            if not hit and show_misses:
                misses.append(f"FN {p['id']} {g[2]}: {g[3]!r}")
        scores.append(report.score)
        labels.append(float(p["score"]))
        if p["kind"] == "plain":
            plain_findings.append(len(pred))
    categories = sorted(set(n_gold) | set(n_pred))
    rows = []
    for c in categories:
        precision = tp_pred[c] / n_pred[c] if n_pred[c] else None
        recall = tp_gold[c] / n_gold[c] if n_gold[c] else None
        rows.append(
            {
                "category": c,
                "predicted": n_pred[c],
                "labelled": n_gold[c],
                "precision": precision,
                "recall": recall,
            }
        )
    total_pred, total_gold = sum(n_pred.values()), sum(n_gold.values())
    return {
        "passages": len(passages),
        "categories": rows,
        "precision": sum(tp_pred.values()) / total_pred if total_pred else None,
        "recall": sum(tp_gold.values()) / total_gold if total_gold else None,
        "spearman": spearman(scores, labels),
        "findings_per_plain_passage": sum(plain_findings) / max(1, len(plain_findings)),
        "misses": misses,
    }


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--set",
        dest="sets",
        type=Path,
        action="append",
        help="labelled set(s) to score (default: devset.yaml and heldout.yaml)",
    )
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--misses", action="store_true", help="list false positives/negatives")
    args = parser.parse_args()
    sets = args.sets or [HERE / "devset.yaml", HERE / "heldout.yaml"]
    results = {path.name: evaluate(path, args.misses) for path in sets}
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    for name, result in results.items():
        _print(name, result)
    return 0


def _print(name: str, result: dict[str, Any]) -> None:
    print(f"### Copy checker on {result['passages']} labelled passages ({name})\n")
    print("| category | predicted | labelled | precision | recall |")
    print("|---|---:|---:|---:|---:|")
    for row in result["categories"]:
        print(
            f"| {row['category']} | {row['predicted']} | {row['labelled']} | "
            f"{_fmt(row['precision'])} | {_fmt(row['recall'])} |"
        )
    print(f"| **overall** | | | **{_fmt(result['precision'])}** | **{_fmt(result['recall'])}** |")
    print(f"\nSpearman rank correlation, score vs editor label: {result['spearman']:.3f}")
    print(f"Findings per plain technical passage: {result['findings_per_plain_passage']:.2f}")
    for line in result["misses"]:
        print(line)
    print()


if __name__ == "__main__":
    sys.exit(main())
