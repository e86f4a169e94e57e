"""Uploaded files and server paths, read safely: size limits, plain file names, no traversal."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from fastapi import UploadFile

from plainspoken.errors import UsageError
from plainspoken.web.errors import BadUploadError, TooLargeError

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
CHUNK = 1 << 20


def safe_filename(name: str | None, default: str = "upload") -> str:
    """The last part of an uploaded file's name, with only letters, digits, '.', '_', '-'."""
    base = re.split(r"[\\/]", name or "")[-1]
    cleaned = _UNSAFE.sub("_", base).strip("._") or default
    return cleaned[:120]


async def read_upload(upload: UploadFile, limit: int, what: str = "the file") -> bytes:
    """The upload's bytes, refused when empty or over ``limit``."""
    data = bytearray()
    while chunk := await upload.read(CHUNK):
        data += chunk
        if len(data) > limit:
            raise TooLargeError(
                f"{safe_filename(upload.filename)}: {what} is over the "
                f"{limit / 1_048_576:.0f} MB limit (split it, or raise the limit in settings)"
            )
    if not data:
        raise BadUploadError(f"{safe_filename(upload.filename)}: the uploaded file is empty")
    return bytes(data)


async def save_upload(upload: UploadFile, folder: Path, limit: int) -> Path:
    """Write the upload into a new folder under ``folder``; returns the file's path."""
    target = folder / f"upload-{secrets.token_hex(8)}"
    target.mkdir(parents=True)
    path = target / safe_filename(upload.filename)
    written = 0
    with path.open("wb") as handle:
        while chunk := await upload.read(CHUNK):
            written += len(chunk)
            if written > limit:
                handle.close()
                path.unlink(missing_ok=True)
                target.rmdir()
                raise TooLargeError(
                    f"{path.name}: the upload is over the {limit / 1_048_576:.0f} MB limit "
                    "(upload_mb setting)"
                )
            handle.write(chunk)
    if written == 0:
        path.unlink(missing_ok=True)
        target.rmdir()
        raise BadUploadError(f"{path.name}: the uploaded file is empty")
    return path


def inside_roots(text: str, roots: list[Path]) -> Path:
    """A server path the workbench may read: it must resolve (links followed) to a place
    inside one of ``roots``."""
    if not text.strip():
        raise UsageError("give the path of the dump on the server")
    if "\x00" in text:
        raise UsageError("the path holds a NUL character")
    if not roots:
        raise UsageError("imports by server path are switched off (import_roots is empty)")
    candidate = Path(text.strip())
    for root in roots:
        full = (candidate if candidate.is_absolute() else root / candidate).resolve()
        if full.is_relative_to(root) and full.exists():
            return full
    shown = ", ".join(str(r) for r in roots)
    raise UsageError(
        f"'{text.strip()}' is not a file or folder inside the import folders ({shown}); put "
        "the dump there, or upload it"
    )
