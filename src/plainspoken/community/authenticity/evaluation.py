"""Measure the authenticity analysis on a dataset with planted campaigns and known truth.

For threads and for accounts: precision and recall of ``flagged``, PR-AUC of the scores
(average precision), and recall at a 1% organic flag rate (the score above which at most 1% of
organic items fall). Evidence precision is the share of posts cited for flagged threads that
were planted. Every figure is given for the analysis and for two baselines:

- ``young-75``: a thread is flagged when at least 75% of its replies (with a known account
  age) come from accounts under 24 hours old; an account when it replied to such a thread
  while under 24 hours old;
- ``co-reply-60s``: accounts are linked when both reply to one thread within 60 seconds of
  each other; a thread scores its number of linked pairs, an account its number of partners.

Figures are also broken down by campaign strength (strong / medium / weak, see the injector).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from plainspoken.community.arrays import distinct
from plainspoken.community.authenticity.analysis import Options, analyse
from plainspoken.community.authenticity.data import Community, read
from plainspoken.community.authenticity.result import AuthenticityResult
from plainspoken.community.injection.truth import Truth
from plainspoken.community.session import engine_on
from plainspoken.config import Settings
from plainspoken.engine import Engine, open_folder
from plainspoken.errors import DatasetError
from plainspoken.workspace import open_workspace

ORGANIC_RATE = 0.01
METHODS = ("plainspoken", "young-75", "co-reply-60s")


@dataclass(frozen=True)
class Scored:
    """Scores and flags of one method over one universe of items (threads or accounts)."""

    scores: Mapping[str, float]
    flagged: frozenset[str]


@dataclass(frozen=True)
class Figures:
    precision: float | None
    recall: float | None
    pr_auc: float | None
    recall_at_organic_rate: float | None
    positives: int
    organic: int

    def to_dict(self) -> dict[str, Any]:
        def r(x: float | None) -> float | None:
            return None if x is None else round(x, 4)

        return {
            "precision": r(self.precision),
            "recall": r(self.recall),
            "pr_auc": r(self.pr_auc),
            "recall_at_1pct_organic": r(self.recall_at_organic_rate),
            "positives": self.positives,
            "organic": self.organic,
        }


@dataclass(frozen=True)
class Evaluation:
    dataset: str
    methods: Mapping[str, Mapping[str, Figures]]  # method -> "threads"/"accounts" -> figures
    by_strength: Mapping[str, Mapping[str, Mapping[str, Figures]]]  # strength -> method -> ...
    evidence_precision: float | None
    campaigns: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": 1,
            "dataset": self.dataset,
            "campaigns": self.campaigns,
            "evidence_precision": None
            if self.evidence_precision is None
            else round(self.evidence_precision, 4),
            "methods": {
                m: {unit: f.to_dict() for unit, f in units.items()}
                for m, units in self.methods.items()
            },
            "by_strength": {
                s: {m: {u: f.to_dict() for u, f in units.items()} for m, units in methods.items()}
                for s, methods in self.by_strength.items()
            },
        }


def average_precision(scores: Mapping[str, float], positives: frozenset[str]) -> float | None:
    """Area under the precision-recall curve as average precision; tied scores form one step."""
    if not positives:
        return None
    by_score: dict[float, list[str]] = defaultdict(list)
    for item, score in scores.items():
        by_score[score].append(item)
    hits = seen = 0
    total = sum(1 for p in positives if p in scores) or len(positives)
    area = 0.0
    for score in sorted(by_score, reverse=True):
        group = by_score[score]
        new_hits = sum(1 for item in group if item in positives)
        seen += len(group)
        if new_hits:
            hits += new_hits
            area += (new_hits / total) * (hits / seen)
    return area


def recall_at_organic_rate(
    scores: Mapping[str, float], positives: frozenset[str], rate: float = ORGANIC_RATE
) -> float | None:
    """Recall at the lowest score threshold that flags at most ``rate`` of organic items."""
    planted = [s for item, s in scores.items() if item in positives]
    organic = sorted((s for item, s in scores.items() if item not in positives), reverse=True)
    if not planted:
        return None
    allowed = math.floor(rate * len(organic))
    # Flag everything scoring above the (allowed+1)-th organic score; ties stay out.
    bar = organic[allowed] if allowed < len(organic) else -math.inf
    return sum(1 for s in planted if s > bar) / len(planted)


def figures(scored: Scored, positives: frozenset[str]) -> Figures:
    universe = set(scored.scores)
    planted = positives & universe
    flagged = scored.flagged & universe
    true = len(flagged & planted)
    return Figures(
        precision=true / len(flagged) if flagged else None,
        recall=true / len(planted) if planted else None,
        pr_auc=average_precision(scored.scores, frozenset(planted)),
        recall_at_organic_rate=recall_at_organic_rate(scored.scores, frozenset(planted)),
        positives=len(planted),
        organic=len(universe - planted),
    )


def _plainspoken(result: AuthenticityResult) -> dict[str, Scored]:
    return {
        "threads": Scored(
            {t.thread_id: t.score for t in result.threads},
            frozenset(t.thread_id for t in result.threads if t.flagged),
        ),
        "accounts": Scored(
            {a.account_id: a.score for a in result.accounts},
            frozenset(a.account_id for a in result.accounts if a.flagged),
        ),
    }


def _replies(community: Community) -> npt.NDArray[np.int64]:
    """Rows of replies in threads, sorted by thread code then time."""
    posts = community.posts
    rows = np.flatnonzero(posts.is_reply & (posts.thread >= 0))
    return rows[np.argsort(posts.thread[rows], kind="stable")]


def _accounts(community: Community) -> list[str]:
    authors = distinct(community.posts.author)
    return [community.accounts[a] for a in authors[authors >= 0]]


def _thread_ids(community: Community) -> list[str]:
    threads = community.threads
    return [t for t, known in zip(threads.ids, threads.known, strict=True) if known]


def young_75(community: Community, young_seconds: float = 86_400.0) -> dict[str, Scored]:
    """The 'at least 75% of replies from accounts under 24 hours old' baseline."""
    posts = community.posts
    threads = community.threads
    thread_scores: dict[str, float] = dict.fromkeys(_thread_ids(community), 0.0)
    flagged_threads: set[str] = set()
    account_scores: dict[str, float] = dict.fromkeys(_accounts(community), 0.0)
    rows = _replies(community)
    age = community.texts.timing().account_age[rows]
    known = ~np.isnan(age)
    young = known & (age >= 0) & (age < young_seconds)
    codes = posts.thread[rows]
    size = len(threads.ids)
    measured = np.bincount(codes[known], minlength=size)
    young_count = np.bincount(codes[young], minlength=size)
    for code in np.flatnonzero(measured):
        share = young_count[code] / measured[code]
        thread_scores[threads.ids[code]] = float(share)
        if share >= 0.75:
            flagged_threads.add(threads.ids[code])
    flagged_codes = np.array(
        [c for c in np.flatnonzero(measured) if threads.ids[c] in flagged_threads], dtype=np.int64
    )
    hit = young & np.isin(codes, flagged_codes)
    for author in distinct(posts.author[rows[hit]]):
        if author >= 0:
            account_scores[community.accounts[author]] = 1.0
    return {
        "threads": Scored(thread_scores, frozenset(flagged_threads)),
        "accounts": Scored(
            account_scores, frozenset(a for a, s in account_scores.items() if s > 0)
        ),
    }


def co_reply(community: Community, window: float = 60.0) -> dict[str, Scored]:
    """The 'accounts replying to one thread within 60 seconds of each other' baseline."""
    posts = community.posts
    at = community.texts.times()  # kept in the engine: the analysis itself does not use it
    threads = community.threads
    thread_scores: dict[str, float] = dict.fromkeys(_thread_ids(community), 0.0)
    partners: dict[int, set[int]] = defaultdict(set)
    rows = _replies(community)
    rows = rows[posts.author[rows] >= 0]
    codes = posts.thread[rows]
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]]) if len(rows) else rows
    for begin, end in zip(starts, np.r_[starts[1:], len(rows)], strict=True):
        here = rows[begin:end]
        timed = sorted(zip(at[here].tolist(), posts.author[here].tolist(), strict=True))
        pairs: set[tuple[int, int]] = set()
        for k, (moment, author) in enumerate(timed):
            for other_moment, other in timed[k + 1 :]:
                if other_moment - moment > window:
                    break
                if other != author:
                    pairs.add((min(author, other), max(author, other)))
        if threads.known[codes[begin]]:
            thread_scores[threads.ids[codes[begin]]] = float(len(pairs))
        for a, b in pairs:
            partners[a].add(b)
            partners[b].add(a)
    names = community.accounts
    account_scores = dict.fromkeys(_accounts(community), 0.0)
    for account, others in partners.items():
        account_scores[names[account]] = float(len(others))
    return {
        "threads": Scored(thread_scores, frozenset(t for t, s in thread_scores.items() if s > 0)),
        "accounts": Scored(
            account_scores, frozenset(a for a, s in account_scores.items() if s > 0)
        ),
    }


def _restricted(scored: Scored, drop: frozenset[str]) -> Scored:
    return Scored({k: v for k, v in scored.scores.items() if k not in drop}, scored.flagged - drop)


def evaluate_community(
    community: Community, truth: Truth, options: Options | None = None
) -> Evaluation:
    """Score ``community`` and each baseline, and compare them with ``truth``."""
    options = options or Options()
    result = analyse(community, options)
    methods = {
        "plainspoken": _plainspoken(result),
        "young-75": young_75(community, options.young_seconds),
        "co-reply-60s": co_reply(community),
    }
    positives = {"threads": truth.threads, "accounts": truth.accounts}
    overall = {
        m: {unit: figures(scored, positives[unit]) for unit, scored in units.items()}
        for m, units in methods.items()
    }
    by_strength: dict[str, dict[str, dict[str, Figures]]] = {}
    for strength in sorted({c.strength for c in truth.campaigns}):
        cell = [c for c in truth.campaigns if c.strength == strength]
        mine = {
            "threads": frozenset(t for c in cell for t in c.threads),
            "accounts": frozenset(a for c in cell for a in c.accounts),
        }
        # Other campaigns' items are neither positives nor organic in this cell.
        others = {unit: positives[unit] - mine[unit] for unit in mine}
        by_strength[strength] = {
            m: {
                unit: figures(_restricted(scored, others[unit]), mine[unit])
                for unit, scored in units.items()
            }
            for m, units in methods.items()
        }
    planted_posts = {p for c in truth.campaigns for p in (*c.posts, *c.camouflage_posts)}
    cited = [p for t in result.threads if t.flagged for e in t.evidence for p in e.post_ids]
    evidence = sum(1 for p in cited if p in planted_posts) / len(cited) if cited else None
    return Evaluation(
        dataset=community.dataset,
        methods=overall,
        by_strength=by_strength,
        evidence_precision=evidence,
        campaigns=len(truth.campaigns),
    )


def evaluate(
    name: str,
    truth_path: Path | None = None,
    workspace: Path = Path(),
    *,
    engine: str | Engine | None = None,
    settings: Settings | None = None,
    options: Options | None = None,
    progress: Callable[[str], None] | None = None,
) -> Evaluation:
    """Evaluate the analysis on dataset ``name`` against its truth file (default:
    ``datasets/NAME.truth.json`` in the workspace)."""
    from plainspoken.community.stats import dataset_folder

    ws = open_workspace(workspace)
    folder = dataset_folder(ws, name)
    open_folder(folder)
    path = truth_path or ws.datasets / f"{name}.truth.json"
    truth = Truth.load(path)
    if truth.dataset != name:
        raise DatasetError(
            f"{path}: this truth file describes dataset '{truth.dataset}', not '{name}' "
            f"(pass --truth {ws.datasets / (name + '.truth.json')})"
        )
    if progress:
        progress(f"reading dataset '{name}'")
    with engine_on(folder, ws, engine, settings) as started:
        community = read(started, scratch=ws.datasets)
        if progress:
            progress("scoring and comparing with the truth")
        return evaluate_community(community, truth, options or Options())
