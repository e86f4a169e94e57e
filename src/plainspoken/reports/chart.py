"""Small server-side SVG charts: a bar chart and a line chart, drawn from plain numbers.

A chart is data first (``BarChart``, ``LineChart``) and SVG second (``to_svg``), so tests can
assert on what is drawn without reading pixels. The SVG has no script and no external links.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

PALETTE = ("#1565c0", "#e65100", "#2e7d32", "#6a1b9a", "#c62828", "#00838f")
_W, _H = 720, 260
_LEFT, _RIGHT, _TOP, _BOTTOM = 56, 16, 28, 74
_LEGEND_ROW = 16
_CHAR_WIDTH = 6.2  # an 11px sans-serif character, on average


def axis(top: float, counts: bool = False) -> tuple[float, ...]:
    """Round y-axis ticks from zero to at or above ``top``: at most five steps of 1, 2, 2.5 or 5
    times a power of ten (0 to 1 when there is nothing to draw); whole steps for ``counts``."""
    if top <= 0:
        return (0.0, 1.0) if counts else (0.0, 0.25, 0.5, 0.75, 1.0)
    power = 10.0 ** math.floor(math.log10(top / 5))
    if counts:
        power = max(power, 1.0)
    for factor in (1, 2, 2.5, 5, 10):
        step = power * factor
        if counts and step != math.floor(step):
            continue
        steps = max(1, math.ceil(top / step - 1e-9))
        if steps <= 5:
            return tuple(step * i for i in range(steps + 1))
    raise AssertionError("unreachable: a step of 10 × the power always fits in five")


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 or value == int(value) else f"{value:.2g}"


def _y(value: float, ticks: Sequence[float]) -> float:
    plot_h = _H - _TOP - _BOTTOM
    return _TOP + plot_h - plot_h * value / ticks[-1]


def _frame(
    title: str, ticks: Sequence[float], y_format: Callable[[float], str], height: int = _H
) -> list[str]:
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_W} {height}" role="img" '
        f'aria-label="{escape(title)}" class="chart" font-family="system-ui,sans-serif" '
        'font-size="11">',
        f"<title>{escape(title)}</title>",
        f'<text x="{_LEFT}" y="16" font-size="13" font-weight="600">{escape(title)}</text>',
    ]
    for value in ticks:
        y = _y(value, ticks)
        parts.append(
            f'<line x1="{_LEFT}" x2="{_W - _RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text class="tick" x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#555">'
            f"{escape(y_format(value))}</text>"
        )
    return parts


def _x_labels(labels: Sequence[str], centers: Sequence[float]) -> list[str]:
    every = max(1, -(-len(labels) // 16))  # at most 16 labels
    y = _H - _BOTTOM + 14
    return [
        f'<text x="{x:.1f}" y="{y}" text-anchor="end" fill="#555" '
        f'transform="rotate(-35 {x:.1f} {y})">{escape(label)}</text>'
        for i, (label, x) in enumerate(zip(labels, centers, strict=True))
        if i % every == 0
    ]


def legend_rows(names: Sequence[str]) -> list[list[tuple[str, float]]]:
    """Legend entries as rows of (name, x), wrapped so that no row runs past the plot."""
    rows: list[list[tuple[str, float]]] = [[]]
    x = float(_LEFT)
    for name in names:
        width = 14 + _CHAR_WIDTH * len(name) + 18
        if rows[-1] and x + width > _W - _RIGHT:
            rows.append([])
            x = float(_LEFT)
        rows[-1].append((name, x))
        x += width
    return rows


@dataclass(frozen=True)
class BarChart:
    """One bar per label; ``values`` share one y axis that starts at zero (whole-number ticks
    for ``counts``)."""

    title: str
    labels: tuple[str, ...]
    values: tuple[float, ...]
    y_format: Callable[[float], str] = _number
    counts: bool = True

    def to_svg(self) -> str:
        ticks = axis(max(self.values, default=0), self.counts)
        parts = _frame(self.title, ticks, self.y_format)
        plot_w, bottom = _W - _LEFT - _RIGHT, _y(0, ticks)
        slot = plot_w / max(1, len(self.values))
        centers = []
        for i, (label, value) in enumerate(zip(self.labels, self.values, strict=True)):
            top = _y(value, ticks)
            x = _LEFT + i * slot + slot * 0.1
            centers.append(x + slot * 0.4)
            parts.append(
                f'<rect class="bar" x="{x:.1f}" y="{top:.1f}" '
                f'width="{slot * 0.8:.1f}" height="{bottom - top:.1f}" fill="{PALETTE[0]}" '
                f'data-value="{value:g}"><title>{escape(label)}: '
                f"{escape(self.y_format(value))}</title></rect>"
            )
        parts += _x_labels(self.labels, centers)
        parts.append("</svg>")
        return "".join(parts)


@dataclass(frozen=True)
class LineChart:
    """One line per series over shared x labels; None leaves a gap in that line. Set
    ``counts=False`` for fractions, so the y axis may step by less than one; ``top`` keeps
    the y axis up to at least that value (100 for scores)."""

    title: str
    labels: tuple[str, ...]
    series: tuple[tuple[str, tuple[float | None, ...]], ...]
    y_format: Callable[[float], str] = _number
    counts: bool = True
    top: float = 0

    def to_svg(self) -> str:
        values = [v for _, points in self.series for v in points if v is not None]
        ticks = axis(max(*values, self.top, 0), self.counts)
        legend = legend_rows([name for name, _ in self.series])
        height = _H + _LEGEND_ROW * (len(legend) - 1)
        parts = _frame(self.title, ticks, self.y_format, height)
        plot_w = _W - _LEFT - _RIGHT
        step = plot_w / max(1, len(self.labels) - 1)
        centers = [_LEFT + i * step for i in range(len(self.labels))]
        if len(self.labels) == 1:
            centers = [_LEFT + plot_w / 2]
        colors = {name: PALETTE[n % len(PALETTE)] for n, (name, _) in enumerate(self.series)}
        for name, points in self.series:
            runs: list[list[str]] = [[]]
            for x, value in zip(centers, points, strict=True):
                if value is None:
                    runs.append([])
                    continue
                runs[-1].append(f"{x:.1f},{_y(value, ticks):.1f}")
            for run in runs:
                if len(run) > 1:
                    parts.append(
                        f'<polyline class="line" fill="none" stroke="{colors[name]}" '
                        f'stroke-width="2" points="{" ".join(run)}" '
                        f'data-series="{escape(name)}"/>'
                    )
                elif run:
                    cx, cy = run[0].split(",")
                    parts.append(
                        f'<circle class="point" cx="{cx}" cy="{cy}" r="3" fill="{colors[name]}" '
                        f'data-series="{escape(name)}"/>'
                    )
        for row_number, row in enumerate(legend):
            y = _H - 14 + _LEGEND_ROW * row_number
            for name, x in row:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y}" width="10" height="10" fill="{colors[name]}"/>'
                    f'<text class="legend" x="{x + 14:.1f}" y="{y + 9}">{escape(name)}</text>'
                )
        parts += _x_labels(self.labels, centers)
        parts.append("</svg>")
        return "".join(parts)
