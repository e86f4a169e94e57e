"""Terminal rendering: each finding with its excerpt, why it hurts and what to write.

One layout, as lines of (text, style) pieces; on a terminal Rich styles them, elsewhere (pipes
and files) the pieces are joined as plain text, which is seconds faster on thousands of
findings.
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.console import Console
from rich.text import Text

from plainspoken.copy.finding import FileReport, Finding, Report

STYLE = {"error": "bold red", "warning": "yellow", "suggestion": "cyan"}

Line = list[tuple[str, str]]  # pieces of one line: (text, Rich style or "")


def _excerpt(file: FileReport, f: Finding, width: int = 60) -> Line:
    assert f.start is not None and f.end is not None
    src = file.source
    line_start = src.rfind("\n", 0, f.start) + 1
    line_end = src.find("\n", f.end)
    line_end = len(src) if line_end == -1 else line_end
    left = max(line_start, f.start - width)
    right = min(line_end, f.end + width)
    return [
        ("    " + ("…" if left > line_start else "") + src[left : f.start].lstrip(), ""),
        (src[f.start : f.end].replace("\n", " "), "bold underline"),
        (src[f.end : right].rstrip() + ("…" if right < line_end else ""), ""),
    ]


def _summary(report: Report) -> str:
    return f"{len(report.findings)} findings in {len(report.files)} files" + (
        f", {len(report.errors)} skipped" if report.errors else ""
    )


def _file_lines(file: FileReport, verbose: bool) -> Iterator[Line]:
    yield [
        (file.path, "bold"),
        (f"  score {file.score}/100 · {file.words} words · {file.audience}", ""),
    ]
    for f in file.findings:
        where = f"{f.line}:{f.column}" if f.line is not None else "document"
        yield [(f"  {where:>9} ", ""), (f"{f.level:<10}", STYLE[f.level]), (f" {f.rule}", "dim")]
        if verbose and f.start is not None and file.source:
            yield _excerpt(file, f)
        yield [(f"    {f.message}", "")]
        fix = f"  Fix: '{f.fix}'." if f.fix is not None else ""
        yield [(f"    → {f.suggestion}{fix}", "green")]
    yield [(f"  {file.verdict}", "italic")]
    if file.breakdown:
        parts = ", ".join(f"{k} -{v:g}" for k, v in file.breakdown.items())
        yield [(f"  points lost: {parts}", "dim")]
    yield []


def _tail(report: Report) -> Iterator[Line]:
    for error in report.errors:
        yield [(f"skipped {error.message}", "red")]
    yield [(_summary(report), "bold")]


def plain_report(report: Report, verbose: bool = True) -> str:
    """The report as text without styles."""
    lines = [line for file in report.files for line in _file_lines(file, verbose)]
    lines.extend(_tail(report))
    return "\n".join("".join(text for text, _ in line) for line in lines) + "\n"


def print_report(report: Report, console: Console, verbose: bool = True) -> None:
    if not console.is_terminal:
        console.file.write(plain_report(report, verbose))
        return
    for file in report.files:  # one print per file: Rich's per-call cost dominates
        console.print(Text("\n").join(Text.assemble(*line) for line in _file_lines(file, verbose)))
    for line in _tail(report):
        console.print(Text.assemble(*line))
