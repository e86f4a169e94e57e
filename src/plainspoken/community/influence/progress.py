"""Named steps a long ranking or evaluation reports to its caller (``progress=``).

A callback takes the name of the step that begins ("scoring topic relevance of 8,204
threads"); the command line shows it as a spinner or a timestamped line, others pass None.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[str], None]


def within(progress: Progress | None, prefix: str) -> Progress | None:
    """``progress`` with every step named as part of ``prefix`` ("topic mqtt (2 of 5): …")."""
    if progress is None:
        return None
    report = progress
    return lambda step: report(f"{prefix}: {step}")
