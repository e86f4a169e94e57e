"""Docs that are tested: every command, setting, rule and public name is documented."""

from __future__ import annotations

from pathlib import Path

import typer

import plainspoken
from plainspoken.cli.app import app
from plainspoken.config import SETTINGS
from plainspoken.copy import all_audiences, all_rules
from plainspoken.reports.rulebook import rules_markdown, settings_markdown

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _commands(typer_app: typer.Typer, prefix: str = "") -> list[str]:
    names = [prefix + (c.name or "") for c in typer_app.registered_commands]
    for group in typer_app.registered_groups:
        assert group.typer_instance is not None
        names += _commands(group.typer_instance, f"{prefix}{group.name} ")
    return names


def test_every_command_is_documented() -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    for name in _commands(app):
        assert f"`plainspoken {name}" in text, f"docs/cli.md does not document `{name}`"


def test_generated_reference_pages_are_current() -> None:
    rules = (DOCS / "rules.md").read_text(encoding="utf-8")
    assert rules == rules_markdown(all_rules(), all_audiences().values()), (
        "docs/rules.md is stale: run `make docs`"
    )
    assert (DOCS / "settings.md").read_text(encoding="utf-8") == settings_markdown(), (
        "docs/settings.md is stale: run `make docs`"
    )
    for setting in SETTINGS:
        assert f"`{setting.name}`" in settings_markdown()


def test_public_surface_is_complete_and_documented() -> None:
    for name in plainspoken.__all__:
        assert hasattr(plainspoken, name), name
        obj = getattr(plainspoken, name)
        if callable(obj):
            assert obj.__doc__, f"plainspoken.{name} has no docstring"
    public = {n for n in dir(plainspoken) if not n.startswith("_")}
    modules = {
        "cli",
        "community",
        "config",
        "copy",
        "engine",
        "errors",
        "reports",
        "store",
        "text",
        "web",
        "workspace",
    }
    assert public - modules <= set(plainspoken.__all__)


def test_readme_puts_the_two_setup_commands_first() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```sh", 1)[1].split("```", 1)[0]
    assert "make run" in first_block and "make test" in first_block
