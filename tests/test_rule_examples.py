"""Every rule ships failing, passing and (for fixes) fixed examples, and they hold."""

from __future__ import annotations

import pytest

from plainspoken.copy import Checker, all_rules, fixed_text
from plainspoken.copy.audience import Audience, all_audiences
from plainspoken.copy.rule import CATEGORIES, Rule
from plainspoken.text import from_text

RULES = all_rules()


def _checker(rule: Rule) -> Checker:
    audiences = all_audiences()
    name = rule.examples.audience or (rule.audiences[0] if rule.audiences else "it-practitioner")
    base = audiences[name]
    params = {rid: {**values} for rid, values in base.params.items()}
    params.setdefault(rule.id, {})["min_document_words"] = 0
    weights = {**base.weights, rule.category: 1.0}
    profile = Audience(base.name, base.description, weights, (), params, base.base)
    return Checker([rule], profile)


def test_rules_exist_in_every_category() -> None:
    assert {r.category for r in RULES} >= set(CATEGORIES)


def test_rule_ids_are_unique() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_has_examples(rule: Rule) -> None:
    assert rule.examples.fail, f"{rule.id} has no failing example"
    assert rule.examples.passing, f"{rule.id} has no passing example"
    if any(t.replacement is not None for t in rule.terms):
        assert rule.examples.fixed, f"{rule.id} offers fixes but has no fixed example"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_failing_examples_are_flagged(rule: Rule) -> None:
    checker = _checker(rule)
    for text in rule.examples.fail:
        hits = [f for f in checker.check(from_text(text)).findings if f.rule == rule.id]
        assert hits, f"{rule.id} does not flag: {text!r}"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_passing_examples_are_clean(rule: Rule) -> None:
    checker = _checker(rule)
    for text in rule.examples.passing:
        hits = [f for f in checker.check(from_text(text)).findings if f.rule == rule.id]
        assert not hits, f"{rule.id} flags {[h.text for h in hits]} in: {text!r}"


@pytest.mark.parametrize("rule", [r for r in RULES if r.examples.fixed], ids=lambda r: r.id)
def test_fixed_examples_match(rule: Rule) -> None:
    checker = _checker(rule)
    for text, expected in zip(rule.examples.fail, rule.examples.fixed, strict=True):
        assert fixed_text(checker.check(from_text(text, "x.md"))) == expected
