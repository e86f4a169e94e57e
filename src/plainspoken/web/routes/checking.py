"""Checking text or an uploaded file for the copy and document routes."""

from __future__ import annotations

import contextlib
import secrets
import shutil
from dataclasses import replace
from pathlib import Path

from fastapi import UploadFile

from plainspoken import __version__
from plainspoken.copy import check
from plainspoken.copy.finding import FileReport, Report
from plainspoken.errors import UsageError
from plainspoken.reports import render
from plainspoken.text.loaders import CHECKABLE, from_text
from plainspoken.web.context import WebContext
from plainspoken.web.errors import BadUploadError
from plainspoken.web.uploads import read_upload, safe_filename

KINDS = ("markdown", "text", "html")
DOWNLOADS = {
    "json": ("application/json", "json"),
    "sarif": ("application/sarif+json", "sarif"),
    "html": ("text/html; charset=utf-8", "html"),
}
MAX_TEXT = 2_000_000


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise UsageError(f"unknown kind '{kind}' (kinds: {', '.join(KINDS)})")
    return kind


def check_text(
    context: WebContext, text: str, audience: str | None, kind: str, name: str = "pasted text"
) -> FileReport:
    """Check text typed or pasted into the workbench.

    Text goes straight to the checker as a document, never through ``check``'s "is this the
    name of a file?" test, so a pasted path cannot make the server read one of its files.
    """
    check_kind(kind)
    if not text.strip():
        raise UsageError("there is no text to check: paste some copy or upload a file")
    if len(text) > MAX_TEXT:
        raise UsageError(f"the text is {len(text):,} characters; check at most {MAX_TEXT:,}")
    return context.checker(audience or None).check(from_text(text, name, kind))


async def check_upload(context: WebContext, upload: UploadFile, audience: str | None) -> FileReport:
    """Check an uploaded Markdown, text, HTML, DOCX or PDF file."""
    settings = context.settings()
    name = safe_filename(upload.filename, "document.txt")
    suffix = Path(name).suffix.lower()
    if suffix not in CHECKABLE:
        raise BadUploadError(
            f"{name}: cannot check this kind of file (use one of {', '.join(sorted(CHECKABLE))})"
        )
    data = await read_upload(upload, int(float(settings["max_file_mb"]) * 1_048_576))
    folder = context.uploads / f"check-{secrets.token_hex(8)}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    try:
        path.write_bytes(data)
        report = check(path, audience=audience or None, settings=settings, jobs=1)
    finally:
        with contextlib.suppress(OSError):
            shutil.rmtree(folder)
    if report.errors or not report.files:
        message = report.errors[0].message if report.errors else "nothing could be checked"
        raise BadUploadError(message.replace(str(path), name))
    return replace(report.files[0], path=name)


def download(context: WebContext, file: FileReport, fmt: str) -> tuple[str, str, str]:
    """The report of one document as (body, media type, file name)."""
    if fmt not in DOWNLOADS:
        raise UsageError(f"unknown download format '{fmt}' (formats: {', '.join(DOWNLOADS)})")
    checker = context.checker(file.audience)
    body = render(Report((file,)), fmt, checker.rules, __version__)
    media, extension = DOWNLOADS[fmt]
    stem = safe_filename(Path(file.path).stem, "report")
    return body, media, f"{stem}.{extension}"
