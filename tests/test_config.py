"""Settings: one table, a documented lookup order, unknown keys rejected with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from plainspoken import ConfigError, load_settings


def test_defaults_without_any_file(tmp_path: Path) -> None:
    settings = load_settings(start=tmp_path)
    assert settings["audience"] == "it-practitioner" and settings.source is None


def test_nearest_plainspoken_toml_up_the_tree(tmp_path: Path) -> None:
    (tmp_path / "plainspoken.toml").write_text('audience = "cio-turnaround"\n', encoding="utf-8")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    settings = load_settings(start=deep)
    assert settings["audience"] == "cio-turnaround"
    assert settings.source == tmp_path / "plainspoken.toml"


def test_pyproject_tool_table_and_precedence(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.plainspoken]\nfail_under = 70\n', encoding="utf-8"
    )
    assert load_settings(start=tmp_path)["fail_under"] == 70
    (tmp_path / "plainspoken.toml").write_text("fail_under = 40\n", encoding="utf-8")
    assert load_settings(start=tmp_path)["fail_under"] == 40


def test_explicit_config_wins(tmp_path: Path) -> None:
    (tmp_path / "plainspoken.toml").write_text("fail_under = 40\n", encoding="utf-8")
    other = tmp_path / "ci.toml"
    other.write_text("fail_under = 90\n", encoding="utf-8")
    assert load_settings(config=other, start=tmp_path)["fail_under"] == 90


def test_unknown_key_names_file_line_and_valid_keys(tmp_path: Path) -> None:
    path = tmp_path / "plainspoken.toml"
    path.write_text('audience = "it-practitioner"\n\naudeince = "x"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(start=tmp_path)
    message = str(info.value)
    assert f"{path}:3" in message and "audeince" in message and "fail_level" in message


def test_wrong_type_is_explained(tmp_path: Path) -> None:
    (tmp_path / "plainspoken.toml").write_text("fail_under = 150\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="whole number from 0 to 100"):
        load_settings(start=tmp_path)


@pytest.mark.parametrize("value", ["0", "1.5", '"2"', "true"])
def test_stage_threads_must_be_a_whole_number_of_at_least_one(tmp_path: Path, value: str) -> None:
    (tmp_path / "plainspoken.toml").write_text(f"duckdb_stage_threads = {value}\n", "utf-8")
    with pytest.raises(ConfigError, match=r"duckdb_stage_threads.*whole number of at least 1"):
        load_settings(start=tmp_path)
