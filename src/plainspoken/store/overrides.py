"""Settings changed in the web workbench, kept in the app database and laid over the
workspace's settings file (vocabularies, disabled rules, audiences, rule packs)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete, select

from plainspoken.config import Settings
from plainspoken.store.database import Store
from plainspoken.store.models import SettingValue, now

EDITABLE = (
    "audience",
    "vocabulary_accept",
    "vocabulary_reject",
    "disable",
    "audiences",
    "rule_packs",
)
"""The settings the workbench may change."""


def overrides(store: Store) -> dict[str, Any]:
    with store.session() as session:
        return {row.name: json.loads(row.value) for row in session.scalars(select(SettingValue))}


def apply(settings: Settings, store: Store) -> Settings:
    """``settings`` with the workbench's changes laid over them."""
    return settings.with_overrides(**overrides(store))


def set_setting(store: Store, settings: Settings, name: str, value: Any) -> Settings:
    """Validate and keep one change; returns the settings with it applied."""
    from plainspoken.errors import UsageError

    if name not in EDITABLE:
        raise UsageError(f"'{name}' cannot be changed here (editable: {', '.join(EDITABLE)})")
    updated = settings.with_overrides(**{name: value})  # validates, or raises ConfigError
    with store.session() as session:
        session.merge(SettingValue(name=name, value=json.dumps(value), updated_at=now()))
    return updated


def reset_setting(store: Store, name: str) -> None:
    with store.session() as session:
        session.execute(delete(SettingValue).where(SettingValue.name == name))
