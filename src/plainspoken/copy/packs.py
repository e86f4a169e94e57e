"""Load rule packs: built-in YAML files, files named in settings, and entry points."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import yaml

from plainspoken.copy.matcher import trie_regex, variants
from plainspoken.copy.rule import DOCUMENT_CHECKS, EXEMPTIONS, KINDS, LEVELS, Examples, Rule, Term
from plainspoken.errors import RulePackError

ENTRY_POINT_GROUP = "plainspoken.rule_packs"
RULE_FIELDS = (
    "id",
    "category",
    "kind",
    "level",
    "message",
    "suggestion",
    "audiences",
    "weight",
    "terms",
    "swap",
    "patterns",
    "exempt",
    "inflect",
    "check",
    "params",
    "examples",
    "aliases",
)
TERM_FIELDS = ("phrase", "suggestion", "replacement", "not_before", "not_after")
_ID = re.compile(r"^[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$")


class _Marked(dict[str, Any]):
    """A mapping that remembers where it and each of its keys start in the YAML file."""

    line = 0
    column = 0
    key_marks: dict[str, tuple[int, int]]


_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """The safe loader (libyaml's when present), keeping line and column of each mapping."""


def _construct(loader: _Loader, node: yaml.MappingNode) -> _Marked:
    loader.flatten_mapping(node)
    result = _Marked()
    result.line, result.column = node.start_mark.line + 1, node.start_mark.column + 1
    result.key_marks = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        result[str(key)] = loader.construct_object(value_node, deep=True)
        result.key_marks[str(key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct)


@dataclass(frozen=True)
class Pack:
    """A named set of rules from one YAML file."""

    name: str
    path: str
    rules: tuple[Rule, ...]
    macros: dict[str, str]


def _where(path: str, node: Any, key: str | None = None) -> str:
    if isinstance(node, _Marked):
        line, col = (
            node.key_marks.get(key, (node.line, node.column)) if key else (node.line, node.column)
        )
        return f"{path}:{line}:{col}"
    return path


def _strs(value: Any, path: str, node: Any, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise RulePackError(f"{_where(path, node, key)}: '{key}' must be a string or a list of strings")


def _term(raw: Any, path: str, node: Any) -> Term:
    if isinstance(raw, str):
        return Term(raw)
    if not isinstance(raw, dict) or not isinstance(raw.get("phrase"), str):
        raise RulePackError(
            f"{_where(path, raw if isinstance(raw, _Marked) else node, 'terms')}: "
            "a term is a string or a mapping with a 'phrase' string"
        )
    unknown = sorted(set(raw) - set(TERM_FIELDS))
    if unknown:
        raise RulePackError(
            f"{_where(path, raw, unknown[0])}: unknown term field '{unknown[0]}' "
            f"(valid fields: {', '.join(TERM_FIELDS)})"
        )
    return Term(
        phrase=raw["phrase"],
        suggestion=str(raw.get("suggestion", "")),
        replacement=raw.get("replacement"),
        not_before=_strs(raw.get("not_before"), path, raw, "not_before"),
        not_after=_strs(raw.get("not_after"), path, raw, "not_after"),
    )


def _require(raw: _Marked, key: str, path: str, choices: Iterable[str] | None = None) -> str:
    value = raw.get(key)
    rid = raw.get("id", "?")
    if not isinstance(value, str) or not value.strip():
        raise RulePackError(f"{_where(path, raw)}: rule '{rid}' needs a '{key}' string")
    if choices is not None and value not in choices:
        raise RulePackError(
            f"{_where(path, raw, key)}: rule '{rid}' has {key} '{value}' "
            f"(valid: {', '.join(choices)})"
        )
    return value


def _rule(raw: Any, pack: str, path: str, macros: dict[str, str]) -> Rule:
    if not isinstance(raw, _Marked):
        raise RulePackError(f"{path}: each entry under 'rules' must be a mapping")
    unknown = sorted(set(raw) - set(RULE_FIELDS))
    if unknown:
        raise RulePackError(
            f"{_where(path, raw, unknown[0])}: rule '{raw.get('id', '?')}' has "
            f"unknown field '{unknown[0]}' (valid fields: {', '.join(RULE_FIELDS)})"
        )
    rid = _require(raw, "id", path)
    if not _ID.match(rid):
        raise RulePackError(
            f"{_where(path, raw, 'id')}: rule id '{rid}' must look like "
            "'category.name' (lower case, digits, hyphens)"
        )
    kind = _require(raw, "kind", path, KINDS)
    terms = [_term(t, path, raw) for t in (raw.get("terms") or [])]
    swap = raw.get("swap") or {}
    if not isinstance(swap, dict):
        raise RulePackError(f"{_where(path, raw, 'swap')}: 'swap' maps phrases to replacements")
    terms.extend(Term(str(k), f"Write '{v}'.", str(v)) for k, v in swap.items())
    patterns = []
    for pattern in _strs(raw.get("patterns"), path, raw, "patterns"):
        pattern = _expand(pattern, macros, f"{_where(path, raw, 'patterns')}: rule '{rid}'")
        try:
            re.compile(pattern)
        except re.error as exc:
            raise RulePackError(
                f"{_where(path, raw, 'patterns')}: rule '{rid}' has a bad pattern: {exc}"
            ) from exc
        patterns.append(pattern)
    exempt = _strs(raw.get("exempt"), path, raw, "exempt")
    for name in exempt:
        if name not in EXEMPTIONS:
            raise RulePackError(
                f"{_where(path, raw, 'exempt')}: rule '{rid}' has exemption "
                f"'{name}' (valid: {', '.join(EXEMPTIONS)})"
            )
    check = str(raw.get("check", ""))
    if kind in ("document", "metric") and check not in DOCUMENT_CHECKS:
        raise RulePackError(
            f"{_where(path, raw, 'check')}: rule '{rid}' needs 'check', one of "
            f"{', '.join(DOCUMENT_CHECKS)}"
        )
    if kind in ("existence", "substitution") and not terms:
        raise RulePackError(f"{_where(path, raw)}: rule '{rid}' of kind {kind} needs 'terms'")
    if kind == "claim" and not (terms or patterns):
        raise RulePackError(
            f"{_where(path, raw)}: rule '{rid}' of kind claim needs 'terms' or 'patterns'"
        )
    if patterns and kind in ("existence", "substitution"):
        raise RulePackError(
            f"{_where(path, raw, 'patterns')}: rule '{rid}' of kind {kind} takes no "
            "'patterns' (use kind pattern or claim)"
        )
    if kind == "pattern" and not patterns:
        raise RulePackError(f"{_where(path, raw)}: rule '{rid}' of kind pattern needs 'patterns'")
    ex = raw.get("examples")
    if not isinstance(ex, _Marked) or not ex.get("fail") or not ex.get("pass"):
        raise RulePackError(
            f"{_where(path, raw)}: rule '{rid}' needs examples with 'fail' and "
            "'pass' lists (every rule ships its examples)"
        )
    examples = Examples(
        fail=_strs(ex.get("fail"), path, ex, "fail"),
        passing=_strs(ex.get("pass"), path, ex, "pass"),
        fixed=_strs(ex.get("fixed"), path, ex, "fixed"),
        audience=str(ex.get("audience") or ""),
    )
    if examples.fixed and len(examples.fixed) != len(examples.fail):
        raise RulePackError(
            f"{_where(path, ex, 'fixed')}: rule '{rid}' needs one 'fixed' "
            "example per 'fail' example"
        )
    weight = raw.get("weight", 1.0)
    params = raw.get("params") or {}
    if not isinstance(weight, int | float) or not isinstance(params, dict):
        raise RulePackError(f"{_where(path, raw)}: rule '{rid}': weight is a number, params a map")
    return Rule(
        id=rid,
        category=_require(raw, "category", path),
        kind=kind,
        level=_require(raw, "level", path, LEVELS),
        message=_require(raw, "message", path),
        suggestion=_require(raw, "suggestion", path),
        examples=examples,
        pack=pack,
        audiences=_strs(raw.get("audiences"), path, raw, "audiences"),
        weight=float(weight),
        terms=tuple(terms),
        patterns=tuple(patterns),
        exempt=exempt,
        inflect=bool(raw.get("inflect", True)),
        check=check,
        params=dict(params),
        aliases=_strs(raw.get("aliases"), path, raw, "aliases"),
    )


_MACRO_REF = re.compile(r"\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}")


def _macros(raw: Any, path: str, node: Any) -> dict[str, str]:
    """Named regex pieces: a string is used as written; a list of words or phrases becomes
    one trie-shaped group (hyphen or space between words, no inflection) that matches any
    of them quickly."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise RulePackError(f"{_where(path, node, 'macros')}: 'macros' maps names to regexes")
    macros: dict[str, str] = {}
    for name, body in raw.items():
        if isinstance(body, str):
            macros[str(name)] = body
        elif isinstance(body, list) and body and all(isinstance(b, str) for b in body):
            forms = {v for b in body for v in variants(b, inflect=False)}
            macros[str(name)] = "(?:" + trie_regex(sorted(forms)) + ")"
        else:
            odd = [b for b in body if not isinstance(b, str)] if isinstance(body, list) else []
            hint = f" ({odd[0]!r} is not a string: quote it)" if odd else ""
            raise RulePackError(
                f"{_where(path, raw, str(name))}: macro '{name}' must be a regex string or a "
                f"list of words and phrases{hint}"
            )
    return macros


def _expand(pattern: str, macros: dict[str, str], where: str) -> str:
    """Replace ``{{NAME}}`` with its macro; macros may use other macros."""
    for _ in range(8):
        if not _MACRO_REF.search(pattern):
            return pattern
        unknown = [m for m in _MACRO_REF.findall(pattern) if m not in macros]
        if unknown:
            raise RulePackError(f"{where} uses unknown macro '{{{{{unknown[0]}}}}}'")
        pattern = _MACRO_REF.sub(lambda m: macros[m.group(1)], pattern)
    raise RulePackError(f"{where}: macros nest too deeply (a macro uses itself?)")


def parse_pack(text: str, path: str) -> Pack:
    """Parse one YAML rule pack, naming file, line and column on any problem."""
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else path
        context = ""
        if exc.context and exc.context_mark:
            cm = exc.context_mark
            context = f" ({exc.context} that starts at {cm.line + 1}:{cm.column + 1})"
        raise RulePackError(f"{where}: not valid YAML: {exc.problem or exc}{context}") from exc
    except yaml.YAMLError as exc:
        raise RulePackError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, _Marked) or not isinstance(data.get("rules"), list):
        raise RulePackError(f"{path}: a rule pack is a mapping with 'pack' and a 'rules' list")
    name = str(data.get("pack") or Path(path).stem)
    macros = _macros(data.get("macros"), path, data)
    rules = tuple(_rule(r, name, path, macros) for r in data["rules"])
    return Pack(name, path, rules, macros)


def builtin_packs() -> list[Pack]:
    """The packs shipped inside the package (parsed once per process)."""
    return list(_builtin_packs())


@functools.cache
def _builtin_packs() -> tuple[Pack, ...]:
    folder = resources.files("plainspoken.copy") / "packs"
    packs = []
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".yaml"):
            packs.append(
                parse_pack(item.read_text(encoding="utf-8"), f"plainspoken/copy/packs/{item.name}")
            )
    return tuple(packs)


def plugin_packs() -> list[Pack]:
    """Packs published by other distributions under the entry-point group."""
    packs = []
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        target = ep.load()
        location = Path(str(target() if callable(target) else target))
        packs.append(load_pack_file(location))
    return packs


def load_pack_file(path: Path) -> Pack:
    """Load a pack from a YAML file on disk."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RulePackError(f"{path}: cannot read rule pack ({exc})") from exc
    return parse_pack(text, str(path))


def all_rules(extra: Iterable[Path] = ()) -> list[Rule]:
    """Every rule from built-in, plugin and extra packs; duplicate ids are an error."""
    packs = builtin_packs() + plugin_packs() + [load_pack_file(p) for p in extra]
    seen: dict[str, str] = {}
    rules: list[Rule] = []
    for pack in packs:
        for rule in pack.rules:
            if rule.id in seen:
                raise RulePackError(
                    f"{pack.path}: rule id '{rule.id}' is already defined in {seen[rule.id]}"
                )
            seen[rule.id] = pack.path
            rules.append(rule)
    return rules
