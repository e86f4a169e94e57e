"""Facet weights: the defaults, reading and checking other weights, re-scoring a ranking under
other weights without ranking again, and the development-split search that chose them."""

from __future__ import annotations

import importlib.util
import math
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import pytest

from fixtures.community.influence_community import write_influence_dataset
from plainspoken.community.influence import FACET_WEIGHTS, FACETS, InfluenceParams, rank
from plainspoken.community.influence.evaluation import (
    predictive_validity,
    score_topic,
    topic_outcome,
)
from plainspoken.community.influence.facets import composite, parse_weights
from plainspoken.engine import DuckDBEngine
from plainspoken.errors import UsageError

CHOOSE = Path(__file__).resolve().parents[2] / "eval" / "influence" / "choose_weights.py"


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[DuckDBEngine]:
    with DuckDBEngine("256MB") as started:
        started.register(write_influence_dataset(tmp_path / "forum"))
        yield started


@pytest.fixture(scope="module")
def choose() -> Iterator[ModuleType]:
    spec = importlib.util.spec_from_file_location("choose_weights", CHOOSE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks itself up there
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


def test_default_weights_give_every_facet_a_share() -> None:
    assert set(FACET_WEIGHTS) == set(FACETS)
    assert math.isclose(sum(FACET_WEIGHTS.values()), 1.0)
    assert min(FACET_WEIGHTS.values()) >= 0.1
    assert InfluenceParams().facet_weights == dict(FACET_WEIGHTS)


def test_parse_weights_by_name_or_in_order() -> None:
    named = parse_weights("participation=0.1, audience=0.4,mobilizes=0.3,reactions=0.2")
    assert named == {"mobilizes": 0.3, "reactions": 0.2, "audience": 0.4, "participation": 0.1}
    assert parse_weights("1,1,1,1") == {f: 1.0 for f in FACETS}
    assert parse_weights("0,1,1,1")["mobilizes"] == 0.0  # one facet may be left out on purpose


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1,2,3", "expected 4 numbers"),
        ("1,2,3,4,5", "expected 4 numbers"),
        ("mobilizes=1,2,3,4", "name every weight"),
        ("mobilizes=1,reactions=1,audience=1", "no weight for 'participation'"),
        ("mobilizes=1,reactions=1,audience=1,participation=1,fame=1", "unknown facet 'fame'"),
        ("mobilizes=1,mobilizes=1,audience=1,participation=1", "mobilizes is given twice"),
        ("1,much,1,1", "'much' is not a number (for reactions)"),
        ("1,-0.5,1,1", "reactions is -0.5, expected 0 or more"),
        ("1,nan,1,1", "reactions is nan"),
        ("0,0,0,0", "all are zero"),
    ],
)
def test_parse_weights_rejects_bad_values(text: str, message: str) -> None:
    with pytest.raises(UsageError, match="facet weights") as caught:
        parse_weights(text)
    assert message in str(caught.value)


def test_params_check_the_weights(engine: DuckDBEngine) -> None:
    with pytest.raises(UsageError, match="no weight for 'mobilizes'"):
        rank(engine, "zigbee", excluded={}, params=InfluenceParams(facet_weights={"audience": 1}))


def test_a_topic_outcome_rescored_under_other_weights(engine: DuckDBEngine) -> None:
    cutoff = datetime(2021, 2, 15, tzinfo=UTC)
    data = topic_outcome(engine, "zigbee", cutoff, excluded={})
    assert score_topic(data) == predictive_validity(engine, "zigbee", cutoff, excluded={})
    # The ranking's own score is the composite of its facets under the default weights.
    for account in data.ranking.accounts:
        assert account.score == pytest.approx(composite(account.facets, FACET_WEIGHTS))
    only = {f: 1.0 if f == "participation" else 0.0 for f in FACETS}
    other = score_topic(
        data, 20, {a.account_id: composite(a.facets, only) for a in data.ranking.accounts}
    )
    rescored = predictive_validity(
        engine, "zigbee", cutoff, excluded={}, params=InfluenceParams(facet_weights=only)
    )
    assert other.ours == rescored.ours
    assert other.scores[1:] == score_topic(data).scores[1:]  # the baselines do not move


def test_the_weight_search_grid_and_rule(choose: ModuleType) -> None:
    grid = choose.weight_grid()
    assert len(grid) == 84 + 35  # C(9, 3) + C(7, 3): no weighting is on both grids
    assert all(math.isclose(sum(w.values()), 1.0) for w in grid)
    assert all(min(w.values()) >= 0.1 for w in grid)
    assert {f: 0.25 for f in FACETS} in grid and dict(FACET_WEIGHTS) in grid
    candidate = choose.Candidate
    equal = candidate({f: 0.25 for f in FACETS}, (0.70,), 0)
    near = candidate({"mobilizes": 0.3, "reactions": 0.2, "audience": 0.3, "participation": 0.2},
                     (0.728,), 0)  # fmt: skip
    best = candidate({"mobilizes": 0.5, "reactions": 0.1, "audience": 0.3, "participation": 0.1},
                     (0.730,), 0)  # fmt: skip
    assert choose.choose([equal, near, best], 0.005) is near
    assert choose.choose([equal, near, best], 0.0) is best
