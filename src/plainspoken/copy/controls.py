"""Inline control comments that switch rules off and on inside a document.

``<!-- plainspoken-disable [RULE ...] -->`` switches rules (ids or categories; none means
all) off until ``<!-- plainspoken-enable [RULE ...] -->``;
``<!-- plainspoken-disable-next-line [RULE ...] -->`` switches them off for the next line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DIRECTIVE = re.compile(
    r"<!--\s*plainspoken-(disable-next-line|disable|enable)\b([^>]*?)\s*-->", re.IGNORECASE
)


@dataclass(frozen=True)
class _Region:
    start: int
    end: int
    names: frozenset[str] | None  # None: every rule


class Controls:
    """Suppression regions parsed from a document's source."""

    def __init__(self, source: str) -> None:
        self.regions: list[_Region] = []
        open_regions: list[tuple[int, frozenset[str] | None]] = []
        for match in _DIRECTIVE.finditer(source):
            verb = match.group(1).lower()
            names = frozenset(match.group(2).replace(",", " ").split()) or None
            if verb == "disable-next-line":
                line_end = source.find("\n", match.end())
                if line_end == -1:
                    continue
                next_end = source.find("\n", line_end + 1)
                self.regions.append(
                    _Region(line_end + 1, len(source) if next_end == -1 else next_end, names)
                )
            elif verb == "disable":
                open_regions.append((match.end(), names))
            else:
                still_open = []
                for start, open_names in open_regions:
                    if (
                        names is None
                        or open_names == names
                        or (open_names is not None and open_names <= names)
                    ):
                        self.regions.append(_Region(start, match.start(), open_names))
                    else:
                        still_open.append((start, open_names))
                open_regions = still_open
        self.regions.extend(_Region(start, len(source), names) for start, names in open_regions)

    def suppressed(self, rule: str, category: str, position: int | None) -> bool:
        """Whether a finding of ``rule`` at ``position`` (None: whole document) is switched off."""
        for region in self.regions:
            named = region.names is None or rule in region.names or category in region.names
            if not named:
                continue
            if position is None:
                if region.names is not None and rule in region.names:
                    return True
            elif region.start <= position < region.end:
                return True
        return False
