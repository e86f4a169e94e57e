"""A self-contained HTML report: the text with findings highlighted and explained."""

from __future__ import annotations

from html import escape

from plainspoken.copy.finding import FileReport, Report

_CSS = """
body{font:16px/1.55 system-ui,sans-serif;margin:0;background:#f6f6f3;color:#1c1c1c}
main{max-width:62rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.5rem} h2{font-size:1.15rem;margin-top:2.5rem;word-break:break-all}
.score{display:inline-block;font-weight:700;padding:.1rem .5rem;border-radius:.3rem;color:#fff}
.good{background:#2e7d32}.ok{background:#8d6e00}.bad{background:#c62828}
.text{white-space:pre-wrap;background:#fff;border:1px solid #ddd;padding:1rem;border-radius:.4rem;
 font-family:ui-monospace,monospace;font-size:.9rem}
mark{background:#ffe082;border-bottom:2px solid #e65100;cursor:help;position:relative}
mark.error{background:#ffcdd2;border-color:#c62828} mark.suggestion{background:#e0f2f1;
 border-color:#00796b}
mark:hover::after,mark:focus::after{content:attr(data-why);position:absolute;left:0;top:1.6em;
 z-index:2;width:24rem;background:#263238;color:#fff;padding:.5rem;border-radius:.3rem;
 font:13px/1.4 system-ui,sans-serif;white-space:normal}
table{border-collapse:collapse;width:100%;background:#fff;margin-top:1rem}
td,th{border:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top;font-size:.9rem}
.breakdown span{display:inline-block;margin-right:1rem}
"""


def _klass(score: int) -> str:
    return "good" if score >= 75 else "ok" if score >= 50 else "bad"


def _highlighted(file: FileReport) -> str:
    spans = sorted((f for f in file.findings if f.start is not None), key=lambda f: f.start or 0)
    out: list[str] = []
    pos = 0
    for n, f in enumerate(spans):
        assert f.start is not None and f.end is not None
        if f.start < pos:
            continue
        why = f"{f.rule}: {f.message} → {f.suggestion}"
        out.append(escape(file.source[pos : f.start]))
        out.append(
            f'<mark class="{f.level}" tabindex="0" id="f{n}" data-why="{escape(why)}" '
            f'title="{escape(why)}">{escape(file.source[f.start : f.end])}</mark>'
        )
        pos = f.end
    out.append(escape(file.source[pos:]))
    return "".join(out)


def _file_section(file: FileReport) -> str:
    rows = "".join(
        f"<tr><td>{f.line if f.line is not None else '—'}:{f.column or ''}</td>"
        f"<td>{escape(f.level)}</td><td><code>{escape(f.rule)}</code></td>"
        f"<td>{escape(f.text)}</td><td>{escape(f.message)}</td><td>{escape(f.suggestion)}"
        f"{' Fix: ' + escape(repr(f.fix)) if f.fix is not None else ''}</td></tr>"
        for f in file.findings
    )
    breakdown = "".join(f"<span>{escape(k)}: −{v:g}</span>" for k, v in file.breakdown.items())
    return (
        f"<section><h2>{escape(file.path)}</h2>"
        f'<p><span class="score {_klass(file.score)}">{file.score}/100</span> '
        f"{escape(file.verdict)} · {file.words} words · audience {escape(file.audience)}</p>"
        f'<p class="breakdown">{breakdown}</p>'
        f'<div class="text">{_highlighted(file)}</div>'
        f"<table><thead><tr><th>Where</th><th>Level</th><th>Rule</th><th>Text</th>"
        f"<th>Why</th><th>Instead</th></tr></thead><tbody>{rows}</tbody></table></section>"
    )


def to_html(report: Report, title: str = "plainspoken copy check") -> str:
    errors = "".join(f"<li>{escape(e.message)}</li>" for e in report.errors)
    summary = (
        f"{len(report.findings)} findings in {len(report.files)} files; hover or focus a "
        "highlighted phrase to see why it was flagged and what to write instead."
    )
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body><main>"
        f"<h1>{escape(title)}</h1><p>{escape(summary)}</p>"
        + (f"<h2>Skipped files</h2><ul>{errors}</ul>" if errors else "")
        + "".join(_file_section(f) for f in report.files)
        + "</main></body></html>\n"
    )
