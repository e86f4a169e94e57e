"""Machine-readable renderings: JSON (schema version 1), SARIF 2.1.0, GitHub annotations."""

from __future__ import annotations

import json
from typing import Any

from plainspoken.copy.finding import Report
from plainspoken.copy.rule import Rule

SARIF_LEVEL = {"error": "error", "warning": "warning", "suggestion": "note"}
GITHUB_LEVEL = {"error": "error", "warning": "warning", "suggestion": "notice"}


def _lines(value: Any, depth: int = 0) -> str:
    """JSON with one finding per line: readable, and written by json's C encoder (indented
    output goes through its pure-Python encoder, several times slower on big reports)."""
    if depth < 3 and isinstance(value, dict) and value:
        pad = "  " * (depth + 1)
        items = [f"{pad}{json.dumps(k)}: {_lines(v, depth + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + "  " * depth + "}"
    if depth < 4 and isinstance(value, list) and value:
        pad = "  " * (depth + 1)
        items = [pad + _lines(v, depth + 1) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + "  " * depth + "]"
    return json.dumps(value, ensure_ascii=False)


def to_json(report: Report) -> str:
    return _lines(report.to_dict()) + "\n"


def to_sarif(report: Report, rules: list[Rule], version: str) -> str:
    used = sorted({f.rule for f in report.findings})
    by_id = {r.id: r for r in rules}
    index = {rid: i for i, rid in enumerate(used)}
    descriptors: list[dict[str, Any]] = []
    for rid in used:
        rule = by_id.get(rid)
        descriptors.append(
            {
                "id": rid,
                "name": rid.replace(".", "-"),
                "shortDescription": {
                    "text": rule.message.replace("'{text}'", "This phrase") if rule else rid
                },
                "help": {"text": rule.suggestion if rule else ""},
                "properties": {"category": rule.category if rule else ""},
            }
        )
    results: list[dict[str, Any]] = []
    for file in report.files:
        for f in file.findings:
            location: dict[str, Any] = {
                "physicalLocation": {"artifactLocation": {"uri": file.path}}
            }
            if (
                f.line is not None
                and f.column is not None
                and f.end is not None
                and f.start is not None
            ):
                end_line = f.line + f.text.count("\n")
                end_col = (
                    (len(f.text) - f.text.rfind("\n")) if "\n" in f.text else f.column + len(f.text)
                )
                location["physicalLocation"]["region"] = {
                    "startLine": f.line,
                    "startColumn": f.column,
                    "endLine": end_line,
                    "endColumn": end_col,
                    "charOffset": f.start,
                    "charLength": f.end - f.start,
                }
            result: dict[str, Any] = {
                "ruleId": f.rule,
                "ruleIndex": index[f.rule],
                "level": SARIF_LEVEL[f.level],
                "message": {"text": f"{f.message} {f.suggestion}".strip()},
                "locations": [location],
            }
            if f.fix is not None and f.start is not None and f.end is not None:
                result["fixes"] = [
                    {
                        "description": {"text": f"Replace with '{f.fix}'"},
                        "artifactChanges": [
                            {
                                "artifactLocation": {"uri": file.path},
                                "replacements": [
                                    {
                                        "deletedRegion": {
                                            "charOffset": f.start,
                                            "charLength": f.end - f.start,
                                        },
                                        "insertedContent": {"text": f.fix},
                                    }
                                ],
                            }
                        ],
                    }
                ]
            results.append(result)
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "plainspoken",
                        "version": version,
                        "informationUri": "https://example.invalid/plainspoken",
                        "rules": descriptors,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(sarif, indent=2, ensure_ascii=False) + "\n"


def _escape(value: str, property_: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def to_github(report: Report, limit: int) -> str:
    lines: list[str] = []
    findings = [(file, f) for file in report.files for f in file.findings]
    for file, f in findings[:limit]:
        props = [f"file={_escape(file.path, True)}"]
        if f.line is not None:
            props += [f"line={f.line}", f"col={f.column}"]
        props.append(f"title={_escape(f.rule, True)}")
        lines.append(
            f"::{GITHUB_LEVEL[f.level]} {','.join(props)}::"
            f"{_escape(f.message + ' ' + f.suggestion)}"
        )
    for error in report.errors:
        lines.append(f"::error file={_escape(error.path, True)}::{_escape(error.message)}")
    shown = min(limit, len(findings))
    lines.append(
        f"plainspoken: {len(findings)} findings in {len(report.files)} files"
        + (f" ({shown} shown as annotations)" if shown < len(findings) else "")
    )
    return "\n".join(lines) + "\n"
