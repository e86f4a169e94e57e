"""`plainspoken.check`: check text, files, folders or globs for one audience."""

from __future__ import annotations

import contextlib
import difflib
import json
import multiprocessing
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
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


_CHECKERS: dict[str, Checker] = {}
_CACHE_SIZE = 16


def _cache_key(settings: Settings, audience: str | None) -> str:
    """What a compiled checker depends on: the settings, the audience and the pack files."""
    packs = []
    for name in settings["rule_packs"]:
        try:
            stamp = Path(name).stat().st_mtime_ns
        except OSError:
            stamp = -1
        packs.append((str(name), stamp))
    state = {"settings": dict(settings.values), "audience": audience, "packs": packs}
    return json.dumps(state, sort_keys=True, default=str)


def build_checker(settings: Settings | None = None, audience: str | None = None) -> Checker:
    """Compile every rule for one audience using the given settings.

    Compiling takes a few hundred milliseconds, so checkers are kept per process and reused
    while the settings, the audience and the rule-pack files stay the same.
    """
    settings = settings or Settings()
    key = _cache_key(settings, audience)
    cached = _CHECKERS.get(key)
    if cached is not None:
        return cached
    checker = _compile(settings, audience)
    if len(_CHECKERS) >= _CACHE_SIZE:
        _CHECKERS.pop(next(iter(_CHECKERS)))
    _CHECKERS[key] = checker
    return checker


def _compile(settings: Settings, audience: str | None) -> Checker:
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
    jobs: int | None = None,
) -> Report:
    """Check copy and return a :class:`Report`.

    ``source`` is text (a ``str`` that is not the path of an existing file), a ``Path``, or a
    sequence of paths, folders and globs. ``kind`` says how to read text given directly
    (``markdown``, ``text`` or ``html``) and ``name`` what to call it in the report. Files
    that cannot be read are listed in ``Report.errors`` and the others are still checked.
    With ``changed_since`` (a git revision) only findings on lines changed since that
    revision are kept. ``jobs`` is how many processes check files at once: None picks one
    per core for runs big enough to gain from it, 1 checks in this process.
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
    for done, (path, result) in enumerate(_results(checker, paths, max_bytes, jobs)):
        if progress:
            progress(done, len(paths), str(path))
        if isinstance(result, FileError):
            errors.append(result)
            continue
        if changed_since is not None:
            result = only_changed(result, changed_lines(path, changed_since))
        files.append(result)
    return Report(tuple(files), tuple(errors))


_Work = tuple[Checker, int]
_WORK: _Work | None = None  # what forked workers check with (set in the parent before forking)
_PARALLEL_BYTES = 256 * 1024  # below this, starting workers costs more than it saves


def _check_one(checker: Checker, path: Path, max_bytes: int) -> FileReport | FileError:
    try:
        return checker.check(load(path, max_bytes))
    except InputError as exc:
        return FileError(str(path), str(exc))


def _worker(path: Path) -> FileReport | FileError:
    assert _WORK is not None
    return _check_one(_WORK[0], path, _WORK[1])


def _processes(paths: list[Path], jobs: int | None) -> int:
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1  # workers must inherit the compiled checker; rebuilding it costs more
    if jobs is not None:
        return max(1, min(jobs, len(paths)))
    if len(paths) < 4:
        return 1
    size = 0
    for path in paths:
        with contextlib.suppress(OSError):
            size += path.stat().st_size
    if size < _PARALLEL_BYTES:
        return 1
    return max(1, min(os.cpu_count() or 1, 8, len(paths)))


def _results(
    checker: Checker, paths: list[Path], max_bytes: int, jobs: int | None
) -> Iterator[tuple[Path, FileReport | FileError]]:
    """Each path with its report, in order; in worker processes when that pays."""
    processes = _processes(paths, jobs)
    if processes == 1:
        for path in paths:
            yield path, _check_one(checker, path, max_bytes)
        return
    global _WORK
    _WORK = (checker, max_bytes)
    try:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            chunk = max(1, len(paths) // (processes * 16))
            yield from zip(paths, pool.imap(_worker, paths, chunksize=chunk), strict=True)
    finally:
        _WORK = None


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


def write_atomically(path: Path, text: str | Iterable[str]) -> None:
    """Write a file through a temporary file and a rename, so it is never half-written.
    ``text`` may come in pieces, written as they come (the whole is never held)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            for part in [text] if isinstance(text, str) else text:
                handle.write(part)
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
