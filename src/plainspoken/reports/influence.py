"""Draw an influence ranking as text, JSON (schema version 1), CSV or an HTML dossier, and an
influence evaluation as a table."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from html import escape

from plainspoken.community.influence import FACETS, AccountInfluence, InfluenceRanking
from plainspoken.community.influence.evaluation import (
    METHOD,
    ManipulationResult,
    TopicEvaluation,
)
from plainspoken.community.influence.margins import pooled_margins
from plainspoken.errors import UsageError
from plainspoken.reports.chart import PALETTE, BarChart

INFLUENCE_FORMATS = ("text", "json", "csv", "html")
CSV_COLUMNS = (
    "rank", "account_id", "name", "score", *FACETS, "pagerank", "accepted", "linked",
    "taken_up", "terms_taken_up", "reactions", "reactions_per_post", "reactors", "views", "threads",
    "thread_share", "questions", "answers", "comments", "last_post",
)  # fmt: skip


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(c) for c in col) for col in zip(header, *rows, strict=True)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i < 2 else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return [line(header), *(line(r) for r in rows)]


def _who(ranking: InfluenceRanking, account: AccountInfluence) -> str:
    return f"{account.account_id} {account.name}" if account.name else account.account_id


def to_text(ranking: InfluenceRanking, top: int = 20) -> str:
    """The top accounts with their facets, then the excluded accounts and notes."""
    lines = [
        f"influencers on {ranking.topic} in {ranking.dataset} (engine {ranking.engine}): "
        f"{len(ranking.accounts)} accounts ranked, {ranking.topic_threads} topic threads "
        f"({ranking.seeds} matched directly)",
        "",
    ]
    rows = [
        [str(a.rank), _who(ranking, a)[:32], f"{a.score:.3f}"]
        + [f"{a.facets[f]:.2f}" for f in FACETS]
        for a in ranking.top(top)
    ]
    lines += _table(["rank", "account", "score", *FACETS], rows)
    if ranking.accounts:
        lines += ["", "why the top account ranks:"]
        lines += [f"  {e.facet}: {e.detail}" for e in ranking.accounts[0].evidence]
    if ranking.excluded:
        lines += ["", f"excluded ({len(ranking.excluded)}):"]
        lines += [f"  {x.account_id}: {x.reason}" for x in ranking.excluded[:50]]
        if len(ranking.excluded) > 50:
            lines.append(f"  … and {len(ranking.excluded) - 50} more (see --format json)")
    lines += [f"note: {n}" for n in ranking.notes]
    return "\n".join(lines) + "\n"


def to_json(ranking: InfluenceRanking) -> str:
    return json.dumps(ranking.to_dict(), indent=2) + "\n"


def to_csv(ranking: InfluenceRanking) -> str:
    """One row per ranked account: rank, score, facets and the raw measures."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for a in ranking.accounts:
        m = a.measures
        writer.writerow(
            [
                a.rank, a.account_id, a.name or "", f"{a.score:.6f}",
                *(f"{a.facets[f]:.6f}" for f in FACETS),
                f"{m.pagerank:.6f}", m.accepted, m.linked, m.taken_up, m.terms_taken_up,
                f"{m.reactions:.3f}",
                f"{m.reactions_per_post:.3f}", m.reactors, "" if m.views is None else m.views,
                m.threads, f"{m.thread_share:.6f}", m.questions, m.answers, m.comments,
                m.last_post.isoformat() if m.last_post else "",
            ]
        )  # fmt: skip
    return out.getvalue()


_CSS = """
body{font:15px/1.5 system-ui,sans-serif;margin:0;background:#f6f6f3;color:#1c1c1c}
main{max-width:62rem;margin:0 auto;padding:1.5rem} h1{font-size:1.5rem}
h2{font-size:1.15rem;margin-top:2rem} svg.chart{width:100%;height:auto;background:#fff;
border:1px solid #ddd;border-radius:.4rem}
section.person{background:#fff;border:1px solid #ddd;border-radius:.4rem;padding:.5rem 1rem;
margin:1rem 0} table{border-collapse:collapse;background:#fff;margin:.5rem 0}
td,th{border:1px solid #ddd;padding:.3rem .6rem;font-size:.9rem;text-align:left}
.facet{display:flex;align-items:center;gap:.5rem;font-size:.9rem}
.facet .name{width:7rem} .facet .track{width:16rem;height:.8rem;background:#eee}
.facet .fill{height:.8rem}
"""


def ranking_chart(ranking: InfluenceRanking, top: int = 20) -> BarChart:
    """The composite scores of the top accounts, as data."""
    shown = ranking.top(top)
    return BarChart(
        f"Top {len(shown)} on {ranking.topic}: composite score",
        tuple(_who(ranking, a)[:24] for a in shown),
        tuple(a.score for a in shown),
        lambda v: f"{v:.2f}",
        counts=False,
    )


def facet_bars(account: AccountInfluence) -> str:
    """One horizontal bar per facet (0 to 1), plain HTML."""
    bars = []
    for n, facet in enumerate(FACETS):
        value = account.facets[facet]
        bars.append(
            f'<div class="facet" data-facet="{facet}" data-value="{value:.4f}">'
            f'<span class="name">{facet}</span><span class="track"><span class="fill" '
            f'style="display:block;width:{value * 100:.1f}%;background:{PALETTE[n]}"></span>'
            f"</span><span>{value:.2f}</span></div>"
        )
    return "".join(bars)


def _dossier(ranking: InfluenceRanking, a: AccountInfluence) -> str:
    evidence = "".join(
        f"<tr><td>{escape(e.facet)}</td><td>{escape(e.detail)}</td>"
        f"<td>{escape(e.post_id or '')}"
        f"{' → ' + escape(', '.join(e.later_posts)) if e.later_posts else ''}</td></tr>"
        for e in a.evidence
    )
    threads = "".join(
        f"<li>{escape(t)}: {escape(ranking.thread_titles.get(t, ''))}</li>" for t in a.threads
    )
    reactors = "".join(
        f"<li>{escape(r)}{' ' + escape(ranking.names[r]) if r in ranking.names else ''}: {n}</li>"
        for r, n in a.reactors
    )
    return (
        f'<section class="person" id="account-{escape(a.account_id)}">'
        f"<h2>#{a.rank} {escape(_who(ranking, a))} — score {a.score:.3f}</h2>"
        f"{facet_bars(a)}"
        f"<h3>Evidence</h3><table><thead><tr><th>facet</th><th>why</th><th>post</th></tr>"
        f"</thead><tbody>{evidence}</tbody></table>"
        f"<h3>Their topic threads</h3><ul>{threads or '<li>none with reactions</li>'}</ul>"
        f"<h3>Who reacts to them</h3><ul>{reactors or '<li>no named accounts</li>'}</ul>"
        "</section>"
    )


def to_html(ranking: InfluenceRanking, top: int = 20) -> str:
    """A self-contained page: the ranking chart, then a dossier per top account."""
    excluded = "".join(
        f"<tr><td>{escape(x.account_id)}</td><td>{escape(x.reason)}</td></tr>"
        for x in ranking.excluded
    )
    notes = "".join(f"<p>Note: {escape(n)}</p>" for n in ranking.notes)
    title = f"{ranking.dataset}: influencers on {ranking.topic}"
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body><main>"
        f"<h1>{escape(title)}</h1><p>{len(ranking.accounts)} accounts ranked over "
        f"{ranking.topic_threads} topic threads; engine {escape(ranking.engine)}. Each facet "
        "runs from 0 to 1 (1 is the top account on it); the score is their mean.</p>"
        f"{notes}{ranking_chart(ranking, top).to_svg()}"
        + "".join(_dossier(ranking, a) for a in ranking.top(top))
        + f"<h2>Excluded ({len(ranking.excluded)})</h2>"
        + (
            f"<table><thead><tr><th>account</th><th>reason</th></tr></thead>"
            f"<tbody>{excluded}</tbody></table>"
            if excluded
            else "<p>None.</p>"
        )
        + "</main></body></html>\n"
    )


def render_influence(ranking: InfluenceRanking, fmt: str, top: int = 20) -> str:
    """Render a ranking as ``text``, ``json``, ``csv`` or ``html``."""
    if fmt == "text":
        return to_text(ranking, top)
    if fmt == "json":
        return to_json(ranking)
    if fmt == "csv":
        return to_csv(ranking)
    if fmt == "html":
        return to_html(ranking, top)
    raise UsageError(f"unknown format '{fmt}' (valid formats: {', '.join(INFLUENCE_FORMATS)})")


def _margin_cell(r: TopicEvaluation) -> str:
    m = r.margin
    if m is None:
        return "—"
    return f"{m.difference:+.3f} [{m.low:+.3f}, {m.high:+.3f}]"


def evaluation_table(results: Sequence[TopicEvaluation]) -> str:
    """A Markdown table: per topic, NDCG@k and Spearman of the ranking and each baseline, and
    the ranking's margin over the best baseline with its 90% bootstrap interval."""
    if not results:
        return "no topics evaluated\n"
    methods = [s.method for s in results[0].scores]
    k = results[0].k
    header = "| dataset | topic | cut-off | ranked | with outcome | " + " | ".join(
        f"{m} NDCG@{k} / ρ" for m in methods
    )
    lines = [
        header + " | beats all | margin over the best baseline [90% interval] |",
        "|" + "---|" * (len(methods) + 7),
    ]
    for r in results:
        cells = [
            f"{s.ndcg:.3f} / {'—' if s.spearman is None else f'{s.spearman:.2f}'}" for s in r.scores
        ]
        lines.append(
            f"| {r.dataset} | {r.topic} | {r.cutoff:%Y-%m-%d} | {r.candidates} | "
            f"{r.with_outcome} | " + " | ".join(cells) + f" | {'yes' if r.wins else 'no'} | "
            f"{_margin_cell(r)} |"
        )
    wins = sum(r.wins for r in results)
    lines += ["", f"{METHOD} beats every baseline's NDCG@{k} on {wins} of {len(results)} topics."]
    for r in results:
        if not r.wins:
            best = r.best_baseline
            lines.append(
                f"- {r.dataset} / {r.topic}: {best.method} wins ({best.ndcg:.3f} vs "
                f"{r.ours.ndcg:.3f})"
            )
    measured = [r.margin for r in results if r.margin is not None]
    if measured:
        ahead = sum(m.clear and m.low > 0 for m in measured)
        behind = sum(m.clear and m.high < 0 for m in measured)
        rounds = measured[0].rounds
        lines += [
            "",
            f"Against the best baseline of each topic, with candidates resampled {rounds:,} "
            f"times (paired bootstrap, 90% interval): clearly ahead on {ahead}, clearly behind "
            f"on {behind}, within sampling noise on {len(measured) - ahead - behind} of "
            f"{len(measured)} topics.",
        ]
    pooled = pooled_margins([r.margins for r in results])
    if len(results) > 1 and pooled:
        lines += [
            "",
            f"Mean NDCG@{k} over the {len(results)} topics, {METHOD} minus each baseline "
            "(stratified bootstrap, 90% interval):",
        ]
        lines += [
            f"- {m.baseline}: {m.difference:+.3f} [{m.low:+.3f}, {m.high:+.3f}]" for m in pooled
        ]
    return "\n".join(lines) + "\n"


def manipulation_table(results: Sequence[ManipulationResult]) -> str:
    """A Markdown table: ring accounts in the top k of the ranking and the baselines."""
    if not results:
        return "no manipulation runs\n"
    methods = list(results[0].in_top)
    k = results[0].k
    lines = [
        "| dataset | topic | rings | ring accounts | left out | "
        + " | ".join(f"{m} in top {k}" for m in methods)
        + " |",
        "|" + "---|" * (len(methods) + 5),
    ]
    for r in results:
        lines.append(
            f"| {r.dataset} | {r.topic} | {r.campaigns} | {r.ring_accounts} | {r.excluded} | "
            + " | ".join(str(r.in_top[m]) for m in methods)
            + " |"
        )
    return "\n".join(lines) + "\n"
