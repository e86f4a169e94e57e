"""`plainspoken community authenticity` on the command line: formats, files and bad input."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import CLI, one_line_error
from fixtures.community.astroturf import CAMPAIGN_THREADS, write_astroturf_dataset
from plainspoken.workspace import init


def _workspace(root: Path) -> Path:
    init(root)
    write_astroturf_dataset(root / "datasets" / "astro")
    return root


def test_text_report_lists_the_flagged_threads_as_signals(cli: CLI, tmp_path: Path) -> None:
    ws = _workspace(tmp_path / "ws")
    run = cli("community", "authenticity", "astro", "-w", str(ws), "--max-flag-rate", "0.05")
    assert run.returncode == 0, run.stderr
    assert "threads with signals" in run.stdout
    for thread in CAMPAIGN_THREADS:
        assert thread in run.stdout
    assert "not verdicts" in run.stdout


def test_json_and_html_files_are_written(cli: CLI, tmp_path: Path) -> None:
    ws = _workspace(tmp_path / "ws")
    out = tmp_path / "auth.json"
    run = cli("community", "authenticity", "astro", "-w", str(ws), "-f", "json", "-o", str(out))
    assert run.returncode == 0, run.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["version"] == 1
    page = tmp_path / "auth.html"
    run = cli("community", "authenticity", "astro", "-w", str(ws), "-f", "html", "-o", str(page))
    assert run.returncode == 0 and page.read_text(encoding="utf-8").startswith("<!doctype html>")


def test_unknown_dataset_lists_the_known_ones(cli: CLI, tmp_path: Path) -> None:
    ws = _workspace(tmp_path / "ws")
    message = one_line_error(cli("community", "authenticity", "nope", "-w", str(ws)))
    assert "no dataset 'nope'" in message and "astro" in message


def test_older_schema_says_how_to_reimport(cli: CLI, tmp_path: Path) -> None:
    ws = _workspace(tmp_path / "ws")
    manifest = ws / "datasets" / "astro" / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    manifest.write_text(json.dumps({**data, "schema_version": 0}), encoding="utf-8")
    message = one_line_error(cli("community", "authenticity", "astro", "-w", str(ws)))
    assert "schema_version" in message and "import" in message


def test_thresholds_out_of_range_are_refused(cli: CLI, tmp_path: Path) -> None:
    ws = _workspace(tmp_path / "ws")
    for flag, value in (("--max-flag-rate", "0"), ("--similarity", "1.5"), ("--young-hours", "-1")):
        message = one_line_error(
            cli("community", "authenticity", "astro", "-w", str(ws), flag, value)
        )
        assert "out of range" in message


def test_a_broken_vocabulary_names_file_and_line(cli: CLI, tmp_path: Path) -> None:
    ws = _workspace(tmp_path / "ws")
    words = tmp_path / "words.yaml"
    words.write_text("products:\n  - name: [unclosed\n", encoding="utf-8")
    message = one_line_error(
        cli("community", "authenticity", "astro", "-w", str(ws), "--vocabulary", str(words))
    )
    assert "words.yaml:" in message and "YAML" in message
