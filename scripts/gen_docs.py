"""Regenerate docs/rules.md and docs/settings.md from the rule packs and the settings table."""

from __future__ import annotations

from pathlib import Path

from plainspoken.copy import all_audiences, all_rules
from plainspoken.reports.rulebook import rules_markdown, settings_markdown

DOCS = Path(__file__).resolve().parent.parent / "docs"


def main() -> None:
    (DOCS / "rules.md").write_text(rules_markdown(all_rules(), all_audiences().values()),
                                   encoding="utf-8")
    (DOCS / "settings.md").write_text(settings_markdown(), encoding="utf-8")
    print(f"wrote {DOCS / 'rules.md'} and {DOCS / 'settings.md'}")


if __name__ == "__main__":
    main()
