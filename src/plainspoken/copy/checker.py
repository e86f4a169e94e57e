"""Run compiled rules over a document and turn matches into findings."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping
from typing import Any

from plainspoken.copy import context
from plainspoken.copy.audience import Audience
from plainspoken.copy.controls import Controls
from plainspoken.copy.finding import FileReport, Finding
from plainspoken.copy.matcher import PhraseIndex, trie_regex
from plainspoken.copy.prefilter import Prefilter
from plainspoken.copy.rule import DISTINCT, PRECEDENCE, Examples, Rule, Term
from plainspoken.copy.score import score, verdict
from plainspoken.text.document import Document
from plainspoken.text.readability import grade
from plainspoken.text.sentences import Sentence, split, words

_NUMBER = re.compile(
    r"\d+(?:[.,]\d+)*\s*%?|(?<![\w])(?:" + trie_regex(context._NUMBER_WORDS.split("|")) + r")\b"
)
_Hit = tuple[int, int, Rule, str, str | None]  # start, end, rule, suggestion, replacement
# Categories whose words, inside a proper name ('Cloud Excellence Awards'), are not the writer's.
_NAMEABLE = frozenset({"buzzword", "unsupported-superlative", "vague-claim"})


def vocabulary_rule(phrases: Iterable[str]) -> Rule:
    """A rule that flags the workspace's own rejected words."""
    return Rule(
        id="buzzword.workspace-vocabulary",
        category="buzzword",
        kind="existence",
        level="warning",
        message="'{text}' is on this workspace's list of words to avoid.",
        suggestion="Say what the product does instead, in words the reader uses.",
        examples=Examples(fail=("(workspace list)",), passing=("(workspace list)",)),
        pack="workspace",
        terms=tuple(Term(p) for p in phrases),
    )


class Checker:
    """Rules compiled for one audience; ``check`` runs them on one document at a time."""

    def __init__(
        self,
        rules: Iterable[Rule],
        audience: Audience,
        disable: Iterable[str] = (),
        accept: Iterable[str] = (),
    ) -> None:
        off = set(disable) | set(audience.disable)
        self.audience = audience
        self.rules = [
            r
            for r in rules
            if r.applies_to(audience.name, audience.base)
            and audience.weight(r.category) > 0
            and r.id not in off
            and r.category not in off
            and not off.intersection(r.aliases)
        ]
        self._terms: PhraseIndex[tuple[Rule, Term]] = PhraseIndex()
        # Each rule's patterns as one regex: for lower-cased text (fast) and, for patterns
        # that care about case or text whose length changes in lower case, case-insensitive.
        self._patterns: list[tuple[Rule, re.Pattern[str] | None, re.Pattern[str]]] = []
        self._documents: list[Rule] = []
        self._document_patterns: dict[str, list[re.Pattern[str]]] = {}
        for rule in self.rules:
            if rule.kind in ("existence", "substitution", "claim"):
                for term in rule.terms:
                    self._terms.add(term.phrase, (rule, term), rule.inflect)
            if rule.kind in ("pattern", "claim"):
                if rule.patterns:
                    joined = "|".join(f"(?:{p})" for p in rule.patterns)
                    fast = None if "(?-i" in joined else re.compile(joined)
                    self._patterns.append((rule, fast, re.compile(joined, re.IGNORECASE)))
            elif rule.kind in ("document", "metric"):
                self._documents.append(rule)
                self._document_patterns[rule.id] = [
                    re.compile(p, re.IGNORECASE) for p in rule.patterns
                ]
        self._prefilter = Prefilter([fast and fast.pattern for _, fast, _ in self._patterns])
        self._accept: PhraseIndex[str] = PhraseIndex()
        for phrase in accept:
            self._accept.add(phrase, phrase, inflect=False)
        self._terms.compile()

    def params(self, rule: Rule) -> Mapping[str, Any]:
        return {**rule.params, **self.audience.rule_params(rule.id)}

    def _exempt(
        self, rule: Rule, text: str, sentences: list[Sentence], index: int, start: int
    ) -> bool:
        if index < 0:
            return False
        if rule.kind == "claim" and context.hedged(text, sentences[index], start):
            return True
        needs = set(rule.exempt) | ({"evidence"} if rule.kind == "claim" else set())
        if "evidence" in needs and context.has_evidence(sentences, index):
            return True
        if "source" in needs and context.has_source(sentences, index):
            return True
        return "reader-effect" in needs and context.has_reader_effect(sentences[index])

    def _hits(self, text: str, sentences: list[Sentence]) -> list[_Hit]:
        starts = [s.start for s in sentences]

        def sentence_of(pos: int) -> int:
            i = bisect.bisect_right(starts, pos) - 1
            return i if i >= 0 and pos < sentences[i].end else -1

        hits: list[_Hit] = []
        for start, end, owners in self._terms.finditer(text):
            index = sentence_of(start)
            for rule, term in owners:
                if term.not_before and context.word_after(text, end) in term.not_before:
                    continue
                if term.not_after and context.word_before(text, start) in term.not_after:
                    continue
                if self._exempt(rule, text, sentences, index, start):
                    continue
                if (
                    rule.category in _NAMEABLE
                    and index >= 0
                    and context.in_name(text, sentences[index], start, end)
                ):
                    continue
                hits.append(
                    (start, end, rule, term.suggestion or rule.suggestion, term.replacement)
                )
        lower = text.lower()
        same = len(lower) == len(text)
        whole = [(0, len(text))]
        windows = self._prefilter.windows(lower, starts) if same else None
        for i, (rule, fast, safe) in enumerate(self._patterns):
            pattern, subject = (fast, lower) if fast is not None and same else (safe, text)
            spans = windows[i] if windows is not None else None
            if spans is None:
                spans = whole
            elif not spans:
                continue  # none of the words this pattern needs occurs in the text
            for a, b in spans:
                for match in pattern.finditer(subject, a, b):
                    start, end = match.span()
                    if end > start and not self._exempt(
                        rule, text, sentences, sentence_of(start), start
                    ):
                        hits.append((start, end, rule, rule.suggestion, None))
        return _drop_nested(_drop_overlaps(hits))

    def _document_findings(
        self, doc: Document, sentences: list[Sentence], n: int, tokens: list[str]
    ) -> list[Finding]:
        found = []
        for rule in self._documents:
            p = self.params(rule)
            if n < int(p.get("min_document_words", 0)):
                continue
            problem = _document_problem(
                rule, self._document_patterns[rule.id], doc.text, sentences, n, p, tokens
            )
            if problem is not None:
                found.append(
                    Finding(
                        rule.id,
                        rule.category,
                        rule.level,
                        None,
                        None,
                        None,
                        None,
                        "",
                        f"{rule.message} {problem}".strip(),
                        rule.suggestion,
                    )
                )
        return found

    def check(self, doc: Document) -> FileReport:
        text = doc.text
        sentences = split(text)
        tokens = words(text)
        n = sum(1 for w in tokens if not w[0].isdigit())
        accepted = [(s, e) for s, e, _ in self._accept.finditer(text)]
        quotes = context.quoted_spans(text)
        controls = Controls(doc.source)
        findings: list[Finding] = []
        for start, end, rule, suggestion, replacement in self._hits(text, sentences):
            if any(a <= start and end <= b for a, b in accepted):
                continue
            s, e = doc.span_to_source(start, end)
            if controls.suppressed(rule.id, rule.category, s):
                continue
            matched = doc.source[s:e]
            line, col = doc.line_col(s)
            quoted = any(a <= start and end <= b for a, b in quotes)
            fix = (
                _cased(replacement, matched)
                if replacement is not None and doc.is_editable
                else None
            )
            message = rule.message.replace("{text}", " ".join(matched.split()))
            if quoted:
                message = "In a quotation: " + message
            findings.append(
                Finding(
                    rule.id,
                    rule.category,
                    rule.level,
                    s,
                    e,
                    line,
                    col,
                    matched,
                    message,
                    suggestion.replace("{text}", matched),
                    fix,
                    quoted,
                )
            )
        findings.extend(
            f
            for f in self._document_findings(doc, sentences, n, tokens)
            if not controls.suppressed(f.rule, f.category, None)
        )
        weights = {r.id: r.weight for r in self.rules}
        value, breakdown = score(
            findings, n, lambda f: weights.get(f.rule, 1.0) * self.audience.weight(f.category)
        )
        return FileReport(
            doc.path,
            self.audience.name,
            value,
            n,
            tuple(findings),
            breakdown,
            verdict(value),
            doc.source,
            doc.kind,
        )


def _drop_overlaps(hits: list[_Hit]) -> list[_Hit]:
    """Keep one finding per rule category where spans overlap: the longest, then the first."""
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    kept: list[_Hit] = []
    last_end: dict[str, int] = {}
    for hit in hits:
        start, end, rule = hit[0], hit[1], hit[2]
        if start < last_end.get(rule.category, -1):
            continue
        kept.append(hit)
        last_end[rule.category] = end
    return kept


def _drop_nested(hits: list[_Hit]) -> list[_Hit]:
    """Report one problem once: drop a finding that lies inside another category's finding.

    'rock-solid' inside the claim 'rock-solid reliability', or 'enablement' inside the pile
    'workforce enablement', is the same problem; the wider finding explains it. Rankings and
    sales pushes (``DISTINCT``) are separate problems and stay. On equal spans the more
    specific category (``PRECEDENCE``) wins.
    """
    hits.sort(key=lambda h: (h[0], h[0] - h[1], _rank(h[2].category)))
    kept: list[_Hit] = []
    open_: list[_Hit] = []  # earlier hits that still reach past the current start
    for hit in hits:
        start, end, category = hit[0], hit[1], hit[2].category
        open_ = [o for o in open_ if o[1] > start]
        if not any(
            o[1] >= end
            and o[2].category != category
            and (category not in DISTINCT or (o[0], o[1]) == (start, end))
            for o in open_
        ):
            kept.append(hit)
        open_.append(hit)
    return kept


def _rank(category: str) -> int:
    return PRECEDENCE.index(category) if category in PRECEDENCE else len(PRECEDENCE)


def _cased(replacement: str, matched: str) -> str:
    if matched[:1].isupper() and replacement:
        return replacement[0].upper() + replacement[1:]
    return replacement


def _document_problem(
    rule: Rule,
    patterns: list[re.Pattern[str]],
    text: str,
    sentences: list[Sentence],
    n: int,
    p: Mapping[str, Any],
    tokens: list[str],
) -> str | None:
    """Why a document fails a document-level rule, or None when it passes."""
    if rule.check in ("capabilities", "mechanism", "limits"):
        hit = any(pattern.search(text) for pattern in patterns)
        return None if hit else ""
    if rule.check == "numbers":
        count = len(_NUMBER.findall(text.lower()))
        per_100 = count * 100.0 / max(n, 1)
        least = float(p.get("min_per_100", 1.0))
        return (
            None
            if per_100 >= least
            else f"({per_100:.1f} numbers per 100 words; aim for at least {least:g}.)"
        )
    if rule.check == "reading-grade":
        value = grade(sentences, tokens)
        most = float(p.get("max_grade", 12))
        return (
            None
            if value <= most
            else f"(Reading grade {value:.1f}; this audience reads easily up to grade {most:g}.)"
        )
    if rule.check == "word-count":
        low, high = p.get("min_words"), p.get("max_words")
        if low is None and high is None:
            return None
        if (low is not None and n < int(low)) or (high is not None and n > int(high)):
            return f"({n} words; this audience expects {low or 0}-{high or 'any'} words.)"
        return None
    return None
