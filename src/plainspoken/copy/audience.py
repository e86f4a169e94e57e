"""Audience profiles: who reads the copy, and how that enables, weights and tunes rules."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from plainspoken.errors import ConfigError, UsageError

AUDIENCE_FIELDS = ("base", "description", "weights", "disable", "params")


@dataclass(frozen=True)
class Audience:
    """A reader profile: category weights (0 switches a category off), disabled rules and
    per-rule parameters such as the reading grade or a word-count window."""

    name: str
    description: str
    weights: Mapping[str, float] = field(default_factory=dict)
    disable: tuple[str, ...] = ()
    params: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    base: str | None = None

    def weight(self, category: str) -> float:
        return float(self.weights.get(category, 1.0))

    def rule_params(self, rule_id: str) -> Mapping[str, Any]:
        return self.params.get(rule_id, {})

    def changes(self) -> list[str]:
        """Plain statements of what this profile changes against the defaults."""
        lines = []
        for category, w in sorted(self.weights.items()):
            if w == 0:
                lines.append(f"{category} off")
            elif w != 1:
                lines.append(f"{category} x{w:g}")
        lines.extend(f"{rule} off" for rule in self.disable)
        for rule, values in sorted(self.params.items()):
            pairs = ", ".join(f"{k}={v}" for k, v in sorted(values.items()))
            lines.append(f"{rule}: {pairs}")
        return lines


def _build(
    name: str, raw: Mapping[str, Any], known: Mapping[str, Audience], where: str
) -> Audience:
    unknown = sorted(set(raw) - set(AUDIENCE_FIELDS))
    if unknown:
        raise ConfigError(
            f"{where}: audience '{name}' has unknown field '{unknown[0]}' "
            f"(valid fields: {', '.join(AUDIENCE_FIELDS)})"
        )
    base_name = raw.get("base")
    base = known.get(str(base_name)) if base_name else None
    if base_name and base is None:
        raise ConfigError(
            f"{where}: audience '{name}' has base '{base_name}', which does not "
            f"exist (valid: {', '.join(sorted(known))})"
        )
    weights = dict(base.weights) if base else {}
    weights.update({str(k): float(v) for k, v in (raw.get("weights") or {}).items()})
    params: dict[str, dict[str, Any]] = {
        k: dict(v) for k, v in (base.params if base else {}).items()
    }
    for rule, values in (raw.get("params") or {}).items():
        params.setdefault(str(rule), {}).update(values)
    disable = tuple(base.disable if base else ()) + tuple(raw.get("disable") or ())
    description = str(raw.get("description") or (base.description if base else name))
    return Audience(
        name, description, weights, disable, params, base.base or base.name if base else None
    )


def builtin_audiences() -> dict[str, Audience]:
    """The audiences shipped with the package, in file order."""
    text = (resources.files("plainspoken.copy") / "audiences.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    result: dict[str, Audience] = {}
    for name, raw in data.items():
        result[name] = _build(name, raw, result, "plainspoken/copy/audiences.yaml")
    return result


def all_audiences(custom: Mapping[str, Any] | None = None) -> dict[str, Audience]:
    """Built-in audiences plus the custom ones from settings (``[audiences.NAME]``)."""
    result = builtin_audiences()
    for name, raw in (custom or {}).items():
        if not isinstance(raw, Mapping):
            raise ConfigError(f"settings: [audiences.{name}] must be a table")
        result[name] = _build(name, raw, result, "settings")
    return result


def resolve(name: str, custom: Mapping[str, Any] | None = None) -> Audience:
    """Look an audience up by name, naming the valid ones when it does not exist."""
    audiences = all_audiences(custom)
    if name not in audiences:
        raise UsageError(f"unknown audience '{name}' (valid audiences: {', '.join(audiences)})")
    return audiences[name]
