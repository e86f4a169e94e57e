"""The shortcuts that make checking fast must not change what it finds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from plainspoken import check
from plainspoken.copy import all_audiences, all_rules, build_checker
from plainspoken.copy.matcher import PhraseIndex
from plainspoken.copy.prefilter import Prefilter, required_literals
from plainspoken.text.sentences import split

EVAL = Path(__file__).resolve().parents[1] / "eval" / "copy"


def _passages() -> list[str]:
    texts = [p["text"] for name in ("devset.yaml", "heldout.yaml") for p in _load(name)]
    for rule in all_rules():
        texts.extend(rule.examples.fail)
        texts.extend(rule.examples.passing)
    return texts


def _load(name: str) -> list[dict[str, str]]:
    data: list[dict[str, str]] = yaml.safe_load((EVAL / name).read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize(
    ("pattern", "texts"),
    [
        (r"\bleading[ \t]+(?:\w+[ \t]+)?vendor", ["the leading\tvendor", "a leading cloud vendor"]),
        (r"\b(?:easy|simple)[ \t]+to[ \t]+use\b", ["easy to use", "simple to use"]),
        (r"\bcomp(?:lete|rehensive)\b", ["complete", "comprehensive"]),
        (r"\bunlock(?:s|ed)?\b", ["unlock", "unlocked", "unlocks"]),
    ],
)
def test_every_match_contains_a_required_literal(pattern: str, texts: list[str]) -> None:
    needed = required_literals(pattern)
    assert needed is not None
    assert all(len(word) >= 3 for word in needed)
    for text in texts:
        match = re.search(pattern, text)
        assert match is not None
        assert any(word in match.group() for word in needed), (pattern, text, needed)


@pytest.mark.parametrize("pattern", [r"\b\w+ly\b", r"(?:abc)?xyz|q+", r"\b(?:a|an)\b"])
def test_patterns_without_a_long_literal_run_everywhere(pattern: str) -> None:
    assert required_literals(pattern) is None


def test_prefilter_windows_hold_every_match_of_every_rule_pattern() -> None:
    patterns = []
    for audience in all_audiences():
        for _, fast, _ in build_checker(audience=audience)._patterns:
            if fast is not None and fast.pattern not in patterns:
                patterns.append(fast.pattern)
    compiled = [re.compile(p) for p in patterns]
    prefilter = Prefilter(patterns)
    assert sum(r is not None for r in prefilter.requirements) >= len(patterns) // 2
    for text in _passages():
        lower = text.lower()
        windows = prefilter.windows(lower, [s.start for s in split(text)])
        for pattern, spans in zip(compiled, windows, strict=True):
            everywhere = [m.span() for m in pattern.finditer(lower)]
            if spans is None:
                continue
            inside = [m.span() for a, b in spans for m in pattern.finditer(lower, a, b)]
            assert inside == everywhere, (pattern.pattern[:80], text)


def test_phrases_match_across_line_breaks_and_runs_of_spaces() -> None:
    index: PhraseIndex[str] = PhraseIndex()
    index.add("next generation", "ng")
    index.add("leverage", "lv")
    text = "A Next\n   Generation  tool that LEVERAGES  data, unleveraged, next-generationx."
    found = [(text[s:e], owners) for s, e, owners in index.finditer(text)]
    assert found == [("Next\n   Generation", ["ng"]), ("LEVERAGES", ["lv"])]


def test_parallel_run_reports_exactly_what_one_process_reports(tmp_path: Path) -> None:
    for i, text in enumerate(_passages()[:40]):
        (tmp_path / f"page-{i:02}.md").write_text(text + "\n", encoding="utf-8")
    one = check(tmp_path, jobs=1)
    two = check(tmp_path, jobs=2)
    assert [f.path for f in one.files] == [f.path for f in two.files]
    assert one.findings == two.findings
    assert [f.score for f in one.files] == [f.score for f in two.files]
