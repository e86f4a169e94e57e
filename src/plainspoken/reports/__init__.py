"""Renderers: the same report drawn as terminal text, JSON, SARIF, GitHub annotations or HTML."""

from plainspoken.reports.formats import FORMATS, render

__all__ = ["FORMATS", "render"]
