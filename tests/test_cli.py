"""The command line as users run it: exit codes, formats, fixes, and one-line errors."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from conftest import CLI

HYPE = "# Launch\n\nWe utilize a robust platform in order to help teams.\n"


def _no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_check_text_output_and_exit_codes(cli: CLI, tmp_path: Path) -> None:
    (tmp_path / "page.md").write_text(HYPE, encoding="utf-8")
    result = cli("check", "page.md")
    assert result.returncode == 0, result.stderr
    assert "robust" in result.stdout and "score" in result.stdout
    assert cli("check", "page.md", "--fail-level", "warning").returncode == 1
    assert cli("check", "page.md", "--fail-level", "warning", "--no-fail").returncode == 0
    assert cli("check", "page.md", "--fail-under", "99").returncode == 1


def test_stdin(cli: CLI) -> None:
    result = cli("check", "--format", "json", "-", stdin="A seamless tool.")
    data = json.loads(result.stdout)
    assert data["files"][0]["path"] == "<stdin>"
    assert data["files"][0]["findings"][0]["text"] == "seamless"


def test_sarif_and_github_formats(cli: CLI, tmp_path: Path) -> None:
    (tmp_path / "page.md").write_text(HYPE, encoding="utf-8")
    sarif = json.loads(cli("check", "page.md", "-f", "sarif").stdout)
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    assert {r["ruleId"] for r in results} >= {"buzzword.hype-adjective", "wordy.phrase"}
    region = results[0]["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 3
    github = cli("check", "page.md", "-f", "github").stdout.splitlines()
    assert github[0].startswith("::") and "file=page.md,line=3" in github[0]
    assert github[-1].startswith("plainspoken: ")


def test_github_annotations_are_capped(cli: CLI, tmp_path: Path) -> None:
    (tmp_path / "page.md").write_text("robust " * 30, encoding="utf-8")
    (tmp_path / "plainspoken.toml").write_text("annotation_limit = 5\n", encoding="utf-8")
    lines = cli("check", "page.md", "-f", "github").stdout.splitlines()
    assert len([x for x in lines if x.startswith("::")]) == 5
    assert "(5 shown as annotations)" in lines[-1]


def test_html_report_written_to_file(cli: CLI, tmp_path: Path) -> None:
    (tmp_path / "page.md").write_text(HYPE, encoding="utf-8")
    result = cli("check", "page.md", "-f", "html", "-o", "report.html")
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert result.returncode == 0 and "<mark" in html and "robust</mark>" in html


def test_fix_and_diff(cli: CLI, tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(HYPE, encoding="utf-8")
    diff = cli("check", "page.md", "--diff").stdout
    assert "-We utilize a robust platform in order to help teams." in diff
    assert "+We use a robust platform to help teams." in diff
    assert page.read_text(encoding="utf-8") == HYPE
    cli("check", "page.md", "--fix")
    assert (
        page.read_text(encoding="utf-8") == "# Launch\n\nWe use a robust platform to help teams.\n"
    )


def test_changed_since(cli: CLI, tmp_path: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    git("config", "user.email", "t@example.com")
    git("config", "user.name", "t")
    (tmp_path / "page.md").write_text("A robust tool.\n", encoding="utf-8")
    git("add", ".")
    git("commit", "-qm", "one")
    (tmp_path / "page.md").write_text("A robust tool.\nA seamless tool.\n", encoding="utf-8")
    data = json.loads(cli("check", "page.md", "-f", "json", "--changed-since", "HEAD").stdout)
    assert [f["text"] for f in data["files"][0]["findings"]] == ["seamless"]


def test_rules_explain_audiences_config_init(cli: CLI, tmp_path: Path) -> None:
    assert "buzzword.hype-adjective" in cli("rules").stdout
    explained = cli("explain", "wordy.phrase").stdout
    assert "Why:" in explained and "Fixed:" in explained
    audiences = cli("audiences").stdout
    assert "business-stakeholder" in audiences and "cio-turnaround" in audiences
    assert "fail_level" in cli("config", "show").stdout
    assert cli("init", "ws").returncode == 0
    assert (tmp_path / "ws" / "plainspoken.toml").is_file()
    assert (tmp_path / "ws" / "plainspoken.db").is_file()
    assert (tmp_path / "ws" / "reports").is_dir()


def test_bad_inputs_get_one_line_and_exit_2(cli: CLI, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "blob.txt").write_bytes(b"\x00\x01" * 100)
    bad_pack = tmp_path / "pack.yaml"
    bad_pack.write_text("pack: x\nrules:\n  - id: buzzword.x\n    kind: [oops\n", encoding="utf-8")
    cases = [
        ("check", "missing.md"),
        ("check", "empty"),
        ("check", "blob.txt"),
        (
            "check",
            "-a",
            "cfo",
            "-",
        ),
        ("explain", "no.such-rule"),
    ]
    for args in cases:
        result = cli(*args, stdin="x")
        assert result.returncode == 2, (args, result.stderr)
        _no_traceback(result)
    (tmp_path / "plainspoken.toml").write_text(f'rule_packs = ["{bad_pack}"]\n', encoding="utf-8")
    result = cli("check", "-", stdin="x")
    assert result.returncode == 2 and f"{bad_pack}:" in result.stderr
    assert "starts at 4:11" in result.stderr
    _no_traceback(result)
    (tmp_path / "plainspoken.toml").write_text('disable = ["buzzword.nope"]\n', encoding="utf-8")
    result = cli("check", "-", stdin="x")
    assert result.returncode == 2 and "buzzword.nope" in result.stderr
    _no_traceback(result)
    result = cli("check", "-", "-a", "cfo", stdin="x")
    assert "valid audiences: it-practitioner" in result.stderr
