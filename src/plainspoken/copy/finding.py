"""Findings and reports: plain data that renderers draw."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from plainspoken.copy.rule import LEVELS

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Finding:
    """One problem in one place (or in the whole document when ``start`` is None)."""

    rule: str
    category: str
    level: str
    start: int | None
    end: int | None
    line: int | None
    column: int | None
    text: str
    message: str
    suggestion: str
    fix: str | None = None
    quoted: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "category": self.category,
            "level": self.level,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "text": self.text,
            "message": self.message,
            "suggestion": self.suggestion,
            "fix": None if self.fix is None else {"replacement": self.fix},
            "quoted": self.quoted,
        }


@dataclass(frozen=True)
class FileReport:
    """Findings and the plain-talk score of one document for one audience."""

    path: str
    audience: str
    score: int
    words: int
    findings: tuple[Finding, ...]
    breakdown: dict[str, float]
    verdict: str
    source: str = field(repr=False, default="")
    kind: str = "text"

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "audience": self.audience,
            "score": self.score,
            "words": self.words,
            "verdict": self.verdict,
            "breakdown": self.breakdown,
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass(frozen=True)
class FileError:
    """A file that could not be checked, and why."""

    path: str
    message: str


@dataclass(frozen=True)
class Report:
    """The result of one check run over one or more documents."""

    files: tuple[FileReport, ...]
    errors: tuple[FileError, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": SCHEMA_VERSION,
            "files": [f.to_dict() for f in self.files],
            "errors": [{"path": e.path, "message": e.message} for e in self.errors],
        }

    @property
    def findings(self) -> list[Finding]:
        return [f for file in self.files for f in file.findings]

    def fails(self, fail_level: str, fail_under: int = 0) -> bool:
        """Whether the run should exit 1: a finding at or above ``fail_level`` or a low score."""
        if any(file.score < fail_under for file in self.files):
            return True
        if fail_level == "none":
            return False
        floor = LEVELS.index(fail_level)
        return any(LEVELS.index(f.level) >= floor for f in self.findings)
