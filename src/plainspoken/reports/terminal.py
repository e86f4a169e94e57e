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


def _plain_excerpt(file: FileReport, f: Finding) -> str:
    return _excerpt(file, f).plain


def plain_report(report: Report, verbose: bool = True) -> str:
    """The same report as text without styles, built directly (for pipes and files, where
    styling each of thousands of findings through Rich would cost seconds)."""
    out: list[str] = []
    for file in report.files:
        out.append(f"{file.path}  score {file.score}/100 · {file.words} words · {file.audience}")
        for f in file.findings:
            where = f"{f.line}:{f.column}" if f.line is not None else "document"
            out.append(f"  {where:>9} {f.level:<10} {f.rule}")
            if verbose and f.start is not None and file.source:
                out.append(_plain_excerpt(file, f))
            out.append(f"    {f.message}")
            fix = f"  Fix: '{f.fix}'." if f.fix is not None else ""
            out.append(f"    → {f.suggestion}{fix}")
        out.append(f"  {file.verdict}")
        if file.breakdown:
            parts = ", ".join(f"{k} -{v:g}" for k, v in file.breakdown.items())
            out.append(f"  points lost: {parts}")
        out.append("")
    out.extend(f"skipped {error.message}" for error in report.errors)
    out.append(_summary(report))
    return "\n".join(out) + "\n"


def _summary(report: Report) -> str:
    return f"{len(report.findings)} findings in {len(report.files)} files" + (
        f", {len(report.errors)} skipped" if report.errors else ""
    )


def print_report(report: Report, console: Console, verbose: bool = True) -> None:
    if not console.is_terminal:
        console.file.write(plain_report(report, verbose))
        return
    for file in report.files:
        # One print per file: Rich's per-call cost, not the text, dominates long reports.
        lines: list[Text] = [
            Text.assemble(
                (f"{file.path}", "bold"),
                f"  score {file.score}/100 · {file.words} words · {file.audience}",
            )
        ]
        for f in file.findings:
            where = f"{f.line}:{f.column}" if f.line is not None else "document"
            lines.append(
                Text.assemble(
                    f"  {where:>9} ", (f"{f.level:<10}", STYLE[f.level]), (f" {f.rule}", "dim")
                )
            )
            if verbose and f.start is not None and file.source:
                lines.append(_excerpt(file, f))
            lines.append(Text(f"    {f.message}"))
            fix = f"  Fix: '{f.fix}'." if f.fix is not None else ""
            lines.append(Text(f"    → {f.suggestion}{fix}", style="green"))
        lines.append(Text(f"  {file.verdict}", style="italic"))
        if file.breakdown:
            parts = ", ".join(f"{k} -{v:g}" for k, v in file.breakdown.items())
            lines.append(Text(f"  points lost: {parts}", style="dim"))
        lines.append(Text(""))
        console.print(Text("\n").join(lines))
    for error in report.errors:
        console.print(Text(f"skipped {error.message}", style="red"))
    console.print(Text(_summary(report), style="bold"))
