"""Expand command-line inputs (files, folders, globs) into the files to check."""

from __future__ import annotations

import fnmatch
import glob
from collections.abc import Iterable
from pathlib import Path

from plainspoken.errors import InputError
from plainspoken.text.loaders import CHECKABLE

ALWAYS_IGNORED = (
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    ".venv",
    "venv",
    "__pycache__",
    ".tox",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
)


def _ignored(path: Path, patterns: Iterable[str]) -> bool:
    text = path.as_posix()
    return any(
        fnmatch.fnmatch(text, p) or fnmatch.fnmatch(path.name, p) or fnmatch.fnmatch(text, f"*/{p}")
        for p in patterns
    )


def expand(inputs: Iterable[str], ignore: Iterable[str] = ()) -> list[Path]:
    """Files named by ``inputs``; folders are walked for checkable files, globs expanded.

    A file named directly is always checked, whatever its extension; a folder with no
    checkable file in it is an error naming the folder.
    """
    patterns = list(ignore)
    found: list[Path] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            inside = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in CHECKABLE
                and not any(part in ALWAYS_IGNORED for part in p.relative_to(path).parts)
                and not _ignored(p, patterns)
            )
            if not inside:
                raise InputError(
                    str(path),
                    "folder has no checkable files",
                    "give .md, .txt, .html, .docx or .pdf files",
                )
            found.extend(inside)
        elif path.exists():
            found.append(path)
        elif glob.has_magic(item):
            matched = sorted(Path(p) for p in glob.glob(item, recursive=True) if Path(p).is_file())
            matched = [p for p in matched if not _ignored(p, patterns)]
            if not matched:
                raise InputError(item, "pattern matches no files", "check the glob")
            found.extend(matched)
        else:
            raise InputError(item, "file not found", "check the path")
    unique: dict[Path, None] = dict.fromkeys(found)
    return list(unique)
