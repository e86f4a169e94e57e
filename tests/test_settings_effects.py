"""Settings that change what `check` does: custom audiences, plugin packs, size limits."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import CLI

PLUGIN_PACK = """\
pack: acme-house-style
rules:
  - id: buzzword.acme-house
    category: buzzword
    kind: existence
    level: error
    message: "'{text}' is banned by the Acme style guide."
    suggestion: Say what the box does.
    terms: [hyperconverged magic]
    examples:
      fail: [It is hyperconverged magic.]
      pass: [It is a two-node cluster.]
"""


def test_custom_audience_from_settings(cli: CLI, tmp_path: Path) -> None:
    (tmp_path / "plainspoken.toml").write_text(
        '[audiences.cfo-office]\nbase = "business-stakeholder"\n'
        'description = "Finance leads"\nweights = { wordy = 0 }\n',
        encoding="utf-8",
    )
    text = "We utilize the new SAN cluster on version 8.4."
    listed = cli("audiences").stdout
    assert "cfo-office" in listed and "wordy off" in listed
    custom = cli("check", "-a", "cfo-office", "-f", "json", "-", stdin=text)
    assert custom.returncode == 0, custom.stderr
    rules = {f["rule"] for f in json.loads(custom.stdout)["files"][0]["findings"]}
    assert "wordy.phrase" not in rules
    assert "it-centric-framing.version-number" in rules


def test_unknown_audience_in_settings_names_valid_ones(cli: CLI, tmp_path: Path) -> None:
    (tmp_path / "plainspoken.toml").write_text('audience = "cfo"\n', encoding="utf-8")
    result = cli("check", "-", stdin="A tool.")
    assert result.returncode == 2
    assert "unknown audience 'cfo'" in result.stderr and "business-stakeholder" in result.stderr


def test_rule_pack_from_an_entry_point(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "acme_pack").mkdir(parents=True)
    (site / "acme_pack" / "__init__.py").write_text(
        "from pathlib import Path\nPACK = Path(__file__).with_name('pack.yaml')\n",
        encoding="utf-8",
    )
    (site / "acme_pack" / "pack.yaml").write_text(PLUGIN_PACK, encoding="utf-8")
    dist = site / "acme_pack-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: acme-pack\nVersion: 1.0\n", encoding="utf-8"
    )
    (dist / "entry_points.txt").write_text(
        "[plainspoken.rule_packs]\nacme = acme_pack:PACK\n", encoding="utf-8"
    )
    env = {**os.environ, "PYTHONPATH": str(site), "NO_COLOR": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "plainspoken", "check", "--format", "json", "-"],
        input="Our hyperconverged magic ships today.",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 1, result.stderr  # an error-level finding
    assert "buzzword.acme-house" in result.stdout


def test_file_over_the_size_limit_is_skipped_with_a_message(cli: CLI, tmp_path: Path) -> None:
    (tmp_path / "plainspoken.toml").write_text("max_file_mb = 1\n", encoding="utf-8")
    (tmp_path / "huge.md").write_bytes(b"plain words here. " * 120_000)
    (tmp_path / "small.md").write_text("A robust tool.", encoding="utf-8")
    result = cli("check", "huge.md", "small.md")
    assert result.returncode == 0
    assert "huge.md: is 2.1 MB, over the 1 MB limit" in result.stderr
    assert "small.md" in result.stdout
