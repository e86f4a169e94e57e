"""One importer per source format; each stages rows in the dataset schema.

Importer modules load on first use: they pull in lxml, pyarrow and friends.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from plainspoken.community.importers.base import Importer

FORMATS = ("stackexchange", "discourse", "reddit", "generic")
_MODULES = {fmt: f"plainspoken.community.importers.{fmt}" for fmt in FORMATS}


def importer_for(fmt: str) -> Importer:
    """The importer of ``fmt`` (one of ``FORMATS``)."""
    module = import_module(_MODULES[fmt])
    return cast("Importer", getattr(module, f"import_{fmt}"))


__all__ = ["FORMATS", "importer_for"]
