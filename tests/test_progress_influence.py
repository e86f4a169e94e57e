"""`--progress` on `community influencers` and `community evaluate-influence`: the named steps
of a ranking in order, the same standard output, silence in pipes by default."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import CLI, one_line_error
from fixtures.community.influence_community import write_influence_dataset
from plainspoken.community.influence import influencers
from plainspoken.community.influence.progress import within
from plainspoken.workspace import init

LINE = re.compile(r"^\[\d+:\d\d:\d\d\] ")

RANK_STEPS = (
    "reading the threads' titles, tags and questions",
    "scoring topic relevance of # threads",
    "collecting reactions to the posts of # topic threads",
    "finding reciprocal clusters and insular groups among # pairs of accounts",
    "measuring participation, audience and link uptake",
    "building the reaction graph of # reactions",
    "finding terms taken up in # topic posts",
    "PageRank on # accounts and # edges",
    "facets, scores and evidence of # accounts",
)
"""The steps of one ranking; `#` stands for a number."""

AUTHENTICITY = "authenticity flags"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    ws = init(tmp_path / "ws")
    write_influence_dataset(ws.datasets / "forum")
    return ws.root


def _steps(stderr: str, label: str) -> list[str]:
    """The steps of a `--progress plain` run, the authenticity analysis's own steps (its
    business) folded into one "… authenticity flags" entry per run of them."""
    lines = stderr.strip().splitlines()
    assert lines and all(LINE.match(line) and f"] {label}: " in line for line in lines), lines
    steps: list[str] = []
    for line in lines:
        step = line.split(f"] {label}: ", 1)[1]
        head, found, _ = step.partition(f"{AUTHENTICITY}: ")
        if found:
            step = head + AUTHENTICITY
            if steps and steps[-1] == step:
                continue
        steps.append(step)
    return steps


def _assert_steps(steps: list[str], expected: list[str]) -> None:
    """Each step as expected, `#` in the expected text matching a number."""
    patterns = [r"\d[\d,]*".join(map(re.escape, e.split("#"))) for e in expected]
    assert len(steps) == len(expected), "\n".join(steps)
    for step, pattern in zip(steps, patterns, strict=True):
        assert re.fullmatch(pattern, step), f"{step!r} is not {pattern!r}"


def test_plain_influencers_progress_names_each_step_in_order(cli: CLI, workspace: Path) -> None:
    args = ("community", "influencers", "forum", "-t", "zigbee", "-w", str(workspace), "-f", "json")
    plain = cli(*args, "--progress", "plain")
    assert plain.returncode == 0, plain.stderr
    _assert_steps(
        _steps(plain.stderr, "influencers"),
        [AUTHENTICITY, "reading dataset 'forum'", *RANK_STEPS],
    )
    quiet = cli(*args)  # by default a pipe gets no progress, and the same report
    assert quiet.returncode == 0 and quiet.stderr == ""
    assert plain.stdout == quiet.stdout
    assert json.loads(plain.stdout)["accounts"][0]["account_id"] == "ex"


def test_plain_evaluate_influence_progress_names_each_topic(cli: CLI, workspace: Path) -> None:
    args = ("community", "evaluate-influence", "forum", "-t", "zigbee", "-t", "hub",
            "-w", str(workspace), "--cutoff", "2021-03-01", "--rings", "1",
            "-f", "json")  # fmt: skip
    plain = cli(*args, "--progress", "plain")
    assert plain.returncode == 0, plain.stderr
    after = [
        "scoring the baselines of # candidates",
        "counting what the candidates received after the cut-off",
    ]

    def rings(topic: str, tag: str) -> list[str]:
        planted = f"forum-rings-{tag}-#"
        planting = f"planting # rings of sock accounts in dataset '{planted}'"
        reading = f"reading dataset '{planted}'"
        counting = "counting ring accounts in each top #"
        steps = [planting, AUTHENTICITY, reading, *RANK_STEPS, counting]
        return [f"rings on {topic}: {s}" for s in steps]

    _assert_steps(
        _steps(plain.stderr, "evaluate-influence"),
        [
            AUTHENTICITY,
            "reading dataset 'forum'",
            *(f"topic zigbee (1 of 2): {s}" for s in [*RANK_STEPS, *after]),
            *(f"topic hub (2 of 2): {s}" for s in [*RANK_STEPS, *after]),
            "topic zigbee (1 of 2): bootstrap margins over # candidates",
            "topic hub (2 of 2): bootstrap margins over # candidates",
            *rings("topic zigbee (1 of 2)", "zigbee"),
            *rings("topic hub (2 of 2)", "hub"),
        ],
    )
    quiet = cli(*args)
    assert quiet.returncode == 0 and quiet.stderr == ""
    assert plain.stdout == quiet.stdout
    data = json.loads(plain.stdout)
    assert [t["topic"] for t in data["predictive_validity"]] == ["tag:zigbee", "hub"]
    assert len(data["manipulation"]) == 2


def test_by_default_a_text_report_in_a_pipe_gets_no_progress(cli: CLI, workspace: Path) -> None:
    result = cli("community", "evaluate-influence", "forum", "-t", "zigbee", "-w", str(workspace),
                 "--cutoff", "2021-03-01")  # fmt: skip
    assert result.returncode == 0 and result.stderr == ""
    assert "| forum | tag:zigbee | 2021-03-01 |" in result.stdout


@pytest.mark.parametrize("command", ["influencers", "evaluate-influence"])
def test_an_unknown_mode_exits_2(cli: CLI, workspace: Path, command: str) -> None:
    args = ("community", command, "forum", "-t", "zigbee", "-w", str(workspace))
    line = one_line_error(cli(*args, "--progress", "loud"))
    assert "--progress 'loud'" in line and "auto, plain, none" in line


def test_the_library_names_its_steps_and_ranks_the_same(workspace: Path) -> None:
    seen: list[str] = []
    ranking = influencers("forum", "zigbee", workspace, excluded={}, progress=seen.append)
    assert ranking.to_dict() == influencers("forum", "zigbee", workspace, excluded={}).to_dict()
    _assert_steps(seen, ["reading dataset 'forum'", *RANK_STEPS])


def test_within_names_steps_as_part_of_a_larger_one() -> None:
    seen: list[str] = []
    report = within(seen.append, "topic mqtt (2 of 5)")
    assert report is not None
    report("PageRank on 3 accounts and 2 edges")
    assert seen == ["topic mqtt (2 of 5): PageRank on 3 accounts and 2 edges"]
    assert within(None, "topic mqtt (2 of 5)") is None
