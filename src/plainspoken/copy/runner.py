"""`plainspoken.check`: check text, files, folders or globs for one audience."""

from __future__ import annotations

import difflib
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from plainspoken.config import Settings
from plainspoken.copy.audience import resolve
from plainspoken.copy.checker import Checker, vocabulary_rule
from plainspoken.copy.finding import FileError, FileReport, Report
from plainspoken.copy.packs import all_rules
from plainspoken.errors import ConfigError, InputError
from plainspoken.text import sources
from plainspoken.text.changes import changed_lines
from plainspoken.text.loaders import from_text, load

Progress = Callable[[int, int, str], None]
"""Called before each file with (files done, files in all, path)."""


def build_checker(settings: Settings | None = None, audience: str | None = None) -> Checker:
    """Compile every rule for one audience using the given settings."""
    settings = settings or Settings()
    profile = resolve(audience or settings["audience"], settings["audiences"])
    rules = all_rules(Path(p) for p in settings["rule_packs"])
    if settings["vocabulary_reject"]:
        rules.append(vocabulary_rule(settings["vocabulary_reject"]))
    known = (
        {r.id for r in rules} | {r.category for r in rules} | {a for r in rules for a in r.aliases}
    )
    for name in (*settings["disable"], *profile.disable):
        if name not in known:
            raise ConfigError(
                f"settings: 'disable' names unknown rule or category '{name}' "
                "(see `plainspoken rules` for valid ids)"
            )
    return Checker(rules, profile, settings["disable"], settings["vocabulary_accept"])


def check(
    source: str | Path | Sequence[str | Path],
    *,
    audience: str | None = None,
    settings: Settings | None = None,
    kind: str = "markdown",
    progress: Progress | None = None,
    checker: Checker | None = None,
    changed_since: str | None = None,
    name: str = "<text>",
) -> Report:
    """Check copy and return a :class:`Report`.

    ``source`` is text (a ``str`` that is not the path of an existing file), a ``Path``, or a
    sequence of paths, folders and globs. ``kind`` says how to read text given directly
    (``markdown``, ``text`` or ``html``) and ``name`` what to call it in the report. Files
    that cannot be read are listed in ``Report.errors`` and the others are still checked.
    With ``changed_since`` (a git revision) only findings on lines changed since that
    revision are kept.
    """
    settings = settings or Settings()
    checker = checker or build_checker(settings, audience)
    if isinstance(source, str) and not _is_file(source):
        return Report((checker.check(from_text(source, name, kind)),))
    items = [source] if isinstance(source, str | Path) else list(source)
    paths = sources.expand([str(p) for p in items], settings["ignore"])
    max_bytes = int(float(settings["max_file_mb"]) * 1024 * 1024)
    files: list[FileReport] = []
    errors: list[FileError] = []
    for done, path in enumerate(paths):
        if progress:
            progress(done, len(paths), str(path))
        try:
            result = checker.check(load(path, max_bytes))
        except InputError as exc:
            errors.append(FileError(str(path), str(exc)))
            continue
        if changed_since is not None:
            result = only_changed(result, changed_lines(path, changed_since))
        files.append(result)
    return Report(tuple(files), tuple(errors))


def _is_file(text: str) -> bool:
    if "\n" in text or len(text) > 1024:
        return False
    try:
        return Path(text).is_file()
    except (OSError, ValueError):
        return False


def only_changed(report: FileReport, lines: set[int] | None) -> FileReport:
    """Keep the span findings on ``lines`` (None keeps everything); drop document findings."""
    if lines is None:
        return report
    kept = tuple(f for f in report.findings if f.line is not None and f.line in lines)
    return replace(report, findings=kept)


def fix_diff(report: FileReport) -> str:
    """A unified diff of the safe fixes for one file."""
    new = fixed_text(report)
    return "".join(
        difflib.unified_diff(
            report.source.splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile=f"a/{report.path}",
            tofile=f"b/{report.path}",
        )
    )


def fixed_text(report: FileReport) -> str:
    """The source text with every safe fix applied."""
    text = report.source
    for finding in sorted(
        (f for f in report.findings if f.fix is not None and f.start is not None),
        key=lambda f: f.start or 0,
        reverse=True,
    ):
        assert finding.start is not None and finding.end is not None and finding.fix is not None
        text = text[: finding.start] + finding.fix + text[finding.end :]
    return text


def write_atomically(path: Path, text: str) -> None:
    """Write a file through a temporary file and a rename, so it is never half-written."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def apply_fixes(reports: Iterable[FileReport]) -> list[str]:
    """Apply safe fixes to editable files in place; return the paths changed."""
    changed = []
    for report in reports:
        if report.kind not in ("markdown", "text") or report.path.startswith("<"):
            continue
        new = fixed_text(report)
        if new != report.source:
            write_atomically(Path(report.path), new)
            changed.append(report.path)
    return changed
