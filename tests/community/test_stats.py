"""Community statistics as numbers (`community.stats`) and as drawn (`reports.stats`, charts)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fixtures.engine.tiny_community import BASE_RATES, write_tiny_dataset
from plainspoken.community import CommunityStats, stats
from plainspoken.community.stats import SHARES, BaseRates
from plainspoken.engine import LATENCY_EDGES, DuckDBEngine
from plainspoken.errors import UsageError
from plainspoken.reports.chart import BarChart, LineChart, axis, legend_rows
from plainspoken.reports.stats import bucket_label, charts, duration, rate_labels, render_stats
from plainspoken.workspace import init


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> CommunityStats:
    ws = init(tmp_path_factory.mktemp("stats") / "ws")
    write_tiny_dataset(ws.datasets / "tiny")
    return stats("tiny", ws.root, engine="duckdb")


def test_stats_hold_the_base_rates_and_their_shares(result: CommunityStats) -> None:
    by_month = {r.month: r for r in result.base_rates}
    assert list(by_month) == sorted(BASE_RATES)
    march = by_month["2020-03"]
    assert march.share_young_day == pytest.approx(1 / 4)
    assert march.share_young_week == pytest.approx(2 / 4)
    assert march.share_first_post == pytest.approx(2 / 4)
    assert march.share_fast_threads == pytest.approx(1 / 2)
    assert by_month["2020-06"].share_fast_threads is None  # no thread began that month
    overall = result.overall
    assert (overall.month, overall.answers, overall.threads) == ("all", 7, 5)
    assert overall.answers_young_week == sum(r["answers_young_week"] for r in BASE_RATES.values())


def test_overall_shares_divide_totals_not_average_months(result: CommunityStats) -> None:
    # 2020-03: 1 of 4 answers by a day-old account; 2020-04 and 2020-06: 0 of 2 with a known age
    assert result.overall.share_young_day == pytest.approx(1 / 6)


def test_every_share_is_named_and_unknown_ones_are_refused() -> None:
    rates = BaseRates("2020-01", 10, 8, 2, 4, 5, 4, 1)
    assert [rates.share(name) for name in SHARES] == [0.25, 0.5, 0.5, 0.25]
    assert set(SHARES) <= set(rates.to_dict())
    with pytest.raises(UsageError, match="unknown share 'share_old'"):
        rates.share("share_old")


def test_stats_reuse_an_engine_the_caller_started(tmp_path: Path) -> None:
    ws = init(tmp_path / "ws")
    write_tiny_dataset(ws.datasets / "tiny")
    with DuckDBEngine("256MB") as engine:
        first = stats("tiny", ws.root, engine=engine)
        assert engine.rows("table_counts")  # still open after stats
    assert first.engine == "duckdb" and first.counts["posts"] == 14


def test_duckdb_spill_folder_is_removed_after_stats(tmp_path: Path) -> None:
    ws = init(tmp_path / "ws")
    write_tiny_dataset(ws.datasets / "tiny")
    stats("tiny", ws.root)
    assert sorted(p.name for p in ws.datasets.iterdir()) == ["tiny"]


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(None, "—"), (30, "30 s"), (60, "1 min"), (372, "6.2 min"), (3600, "1 h"), (5400, "1.5 h")],
)
def test_durations_read_like_a_person_wrote_them(seconds: float | None, text: str) -> None:
    assert duration(seconds) == text


def test_latency_buckets_have_readable_labels() -> None:
    labels = [
        bucket_label(low, LATENCY_EDGES[i + 1] if i + 1 < len(LATENCY_EDGES) else None)
        for i, low in enumerate(LATENCY_EDGES)
    ]
    assert labels[:3] == ["under 1 min", "1–5 min", "5–15 min"]
    assert "30 min–1 h" in labels and "12 h–1 d" in labels
    assert labels[-1] == "30 d and more"


def test_rate_labels_follow_the_windows_used() -> None:
    labels = rate_labels(
        {"young_day_seconds": 7200, "fast_window_seconds": 1800, "fast_answers": 3}
    )
    assert labels["share_young_day"] == "answers by accounts < 2 h old"
    assert labels["share_fast_threads"] == "threads with 3+ answers within 30 min"


def test_charts_draw_the_numbers_of_the_result(result: CommunityStats) -> None:
    drawn = charts(result)
    activity = drawn["activity"]
    assert isinstance(activity, LineChart)
    assert activity.labels == ("2020-03", "2020-04", "2020-05", "2020-06")
    assert dict(activity.series)["answer"] == (4.0, 2.0, 0.0, 1.0)
    latency = drawn["latency"]
    assert isinstance(latency, BarChart)
    assert latency.values == tuple(float(b.answers) for b in result.latency.histogram)
    assert latency.labels[0] == "under 1 min"
    assert isinstance(drawn["base_rates"], LineChart)
    rates = dict(drawn["base_rates"].series)
    assert rates["answers by accounts < 1 d old"] == (0.25, 0.0, None, 0.0)


def test_a_bar_chart_svg_has_one_bar_per_value_scaled_to_a_round_maximum() -> None:
    svg = BarChart("Waits", ("a", "b", "c"), (3.0, 0.0, 7.0)).to_svg()
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert re.findall(r'data-value="([^"]+)"', svg) == ["3", "0", "7"]
    heights = [float(h) for h in re.findall(r'class="bar"[^>]*height="([\d.]+)"', svg)]
    assert heights[1] == 0 and heights[0] / heights[2] == pytest.approx(3 / 7, rel=1e-2)
    ticks = re.findall(r'class="tick"[^>]*>([^<]+)</text>', svg)
    assert ticks == ["0", "2", "4", "6", "8"]  # whole, round steps to just above 7
    assert "<script" not in svg


def test_a_line_breaks_where_a_value_is_missing() -> None:
    chart = LineChart(
        "Shares", ("m1", "m2", "m3", "m4", "m5"), (("s", (0.1, 0.2, None, 0.3, 0.4)),)
    )
    svg = chart.to_svg()
    assert svg.count('<polyline class="line"') == 2
    lone = LineChart("Shares", ("m1", "m2", "m3"), (("s", (0.1, None, 0.3)),)).to_svg()
    assert lone.count('<circle class="point"') == 2 and "<polyline" not in lone


@pytest.mark.parametrize(
    ("top", "counts", "ticks"),
    [
        (7, True, (0, 2, 4, 6, 8)),
        (50, True, (0, 10, 20, 30, 40, 50)),
        (1, True, (0, 1)),
        (0, True, (0, 1)),
        (1.0, False, (0, 0.2, 0.4, 0.6, 0.8, 1.0)),
        (0.012, False, (0, 0.0025, 0.005, 0.0075, 0.01, 0.0125)),
    ],
)
def test_y_axes_step_in_round_numbers(top: float, counts: bool, ticks: tuple[float, ...]) -> None:
    assert axis(top, counts) == pytest.approx(ticks)


def test_long_legends_wrap_and_the_chart_grows_to_fit() -> None:
    names = [f"a fairly long series name number {i}" for i in range(4)]
    rows = legend_rows(names)
    assert len(rows) > 1 and [name for row in rows for name, _ in row] == names
    chart = LineChart("Shares", ("m1",), tuple((n, (0.5,)) for n in names))
    size = re.search(r'viewBox="0 0 720 (\d+)"', chart.to_svg())
    assert size is not None and int(size.group(1)) == 260 + 16 * (len(rows) - 1)


def test_an_unknown_format_is_refused(result: CommunityStats) -> None:
    with pytest.raises(UsageError, match="valid formats: text, json, html"):
        render_stats(result, "csv")
