"""Terminal rendering with Rich: each finding with its excerpt, why it hurts and what to write."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from plainspoken.copy.finding import FileReport, Finding, Report

STYLE = {"error": "bold red", "warning": "yellow", "suggestion": "cyan"}


def _excerpt(file: FileReport, f: Finding, width: int = 60) -> Text:
    assert f.start is not None and f.end is not None
    src = file.source
    line_start = src.rfind("\n", 0, f.start) + 1
    line_end = src.find("\n", f.end)
    line_end = len(src) if line_end == -1 else line_end
    left = max(line_start, f.start - width)
    right = min(line_end, f.end + width)
    text = Text("    ")
    text.append(("…" if left > line_start else "") + src[left : f.start].lstrip())
    text.append(src[f.start : f.end].replace("\n", " "), style="bold underline")
    text.append(src[f.end : right].rstrip() + ("…" if right < line_end else ""))
    return text


def print_report(report: Report, console: Console, verbose: bool = True) -> None:
    for file in report.files:
        console.print(
            Text(f"{file.path}", style="bold"),
            Text(f"  score {file.score}/100 · {file.words} words · {file.audience}"),
        )
        for f in file.findings:
            where = f"{f.line}:{f.column}" if f.line is not None else "document"
            head = Text(f"  {where:>9} ")
            head.append(f"{f.level:<10}", style=STYLE[f.level])
            head.append(f" {f.rule}", style="dim")
            console.print(head)
            if verbose and f.start is not None and file.source:
                console.print(_excerpt(file, f))
            console.print(Text(f"    {f.message}"))
            fix = f"  Fix: '{f.fix}'." if f.fix is not None else ""
            console.print(Text(f"    → {f.suggestion}{fix}", style="green"))
        console.print(Text(f"  {file.verdict}", style="italic"))
        if file.breakdown:
            parts = ", ".join(f"{k} -{v:g}" for k, v in file.breakdown.items())
            console.print(Text(f"  points lost: {parts}", style="dim"))
        console.print()
    for error in report.errors:
        console.print(Text(f"skipped {error.message}", style="red"))
    total = len(report.findings)
    console.print(
        Text(
            f"{total} findings in {len(report.files)} files"
            + (f", {len(report.errors)} skipped" if report.errors else ""),
            style="bold",
        )
    )
