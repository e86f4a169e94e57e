"""A rule is data: the closed set of rule kinds and the fields every rule carries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

KINDS = ("existence", "substitution", "pattern", "claim", "document", "metric")
CATEGORIES = (
    "buzzword",
    "vague-claim",
    "sales-push",
    "unsupported-superlative",
    "jargon-stack",
    "passive-evasion",
    "it-centric-framing",
    "wordy",
    "document",
)
LEVELS = ("suggestion", "warning", "error")
# Conditions under which a match is not a finding: "evidence" (a figure, example, named
# customer or source in the same or next sentence), "source" (a named test, survey or analyst
# there: what a ranking needs), "reader-effect" (the sentence says what changes for people).
EXEMPTIONS = ("evidence", "source", "reader-effect")
# Categories that win when two findings cover the same span, most specific first.
PRECEDENCE = (
    "unsupported-superlative",
    "sales-push",
    "vague-claim",
    "buzzword",
    "jargon-stack",
    "passive-evasion",
    "it-centric-framing",
    "wordy",
)
# Categories that stay reported even inside a longer finding of another category.
DISTINCT = ("unsupported-superlative", "sales-push")
# Document-level checks a `document` or `metric` rule may name.
DOCUMENT_CHECKS = ("capabilities", "mechanism", "limits", "numbers", "reading-grade", "word-count")


@dataclass(frozen=True)
class Term:
    """One phrase a term-based rule looks for, with its own advice where it has some."""

    phrase: str
    suggestion: str = ""
    replacement: str | None = None
    not_before: tuple[str, ...] = ()
    not_after: tuple[str, ...] = ()


@dataclass(frozen=True)
class Examples:
    """Sentences a rule must flag (fail), must not flag (passing) and their fixed forms."""

    fail: tuple[str, ...] = ()
    passing: tuple[str, ...] = ()
    fixed: tuple[str, ...] = ()
    audience: str = ""


@dataclass(frozen=True)
class Rule:
    """A check described as data; see docs/rules.md for every field."""

    id: str
    category: str
    kind: str
    level: str
    message: str
    suggestion: str
    examples: Examples
    pack: str = "core"
    audiences: tuple[str, ...] = ()
    weight: float = 1.0
    terms: tuple[Term, ...] = ()
    patterns: tuple[str, ...] = ()
    exempt: tuple[str, ...] = ()
    inflect: bool = True
    check: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()

    def applies_to(self, audience: str, base: str | None = None) -> bool:
        """Whether the rule runs for an audience (empty ``audiences`` means all)."""
        return (
            not self.audiences
            or audience in self.audiences
            or (base is not None and base in self.audiences)
        )
