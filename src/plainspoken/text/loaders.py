"""Read Markdown, HTML, plain text, DOCX and PDF into :class:`Document` objects."""

from __future__ import annotations

import io
from pathlib import Path

from charset_normalizer import from_bytes

from plainspoken.errors import InputError
from plainspoken.text import html, markup
from plainspoken.text.document import Document, blank

MARKDOWN = frozenset({".md", ".markdown", ".mdown", ".mkd", ".mdx"})
HTML = frozenset({".html", ".htm", ".xhtml"})
TEXT = frozenset({".txt", ".text", ".rst", ""})
DOCX = frozenset({".docx"})
PDF = frozenset({".pdf"})
CHECKABLE = (MARKDOWN | HTML | TEXT | DOCX | PDF) - {""}


def kind_of(path: Path) -> str:
    """The loader that reads ``path``, by its extension."""
    suffix = path.suffix.lower()
    if suffix in MARKDOWN:
        return "markdown"
    if suffix in HTML:
        return "html"
    if suffix in DOCX:
        return "docx"
    if suffix in PDF:
        return "pdf"
    return "text"


def decode(data: bytes, name: str) -> str:
    """Decode bytes, detecting the encoding; refuse binary data with a clear message."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:8192]:
        raise InputError(
            name,
            "looks like a binary file, not text",
            "give a text, Markdown, HTML, DOCX or PDF file",
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise InputError(
            name, "bytes cannot be decoded as text in any known encoding", "save the file as UTF-8"
        )
    return str(best)


def from_text(source: str, path: str = "<stdin>", kind: str = "markdown") -> Document:
    """Build a document from already-decoded text."""
    if kind == "html":
        text, offsets = html.extract(source)
        return Document(path, source, text, "html", offsets)
    skips = markup.markdown_skips(source) if kind == "markdown" else markup.plain_skips(source)
    return Document(path, source, blank(source, skips), kind)


def _docx_text(data: bytes, name: str) -> str:
    import docx  # python-docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise InputError(
            name,
            f"is not a readable DOCX file ({exc})",
            "save it again from a word processor as .docx",
        ) from exc
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n\n".join(line for line in lines if line.strip())


def _pdf_text(data: bytes, name: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError) as exc:
        raise InputError(name, f"is not a readable PDF ({exc})", "check the file opens") from exc
    text = "\n\n".join(pages)
    if not text.strip():
        raise InputError(name, "PDF has no text layer", "run OCR on it first or give the source")
    return text


def load(path: Path, max_bytes: int = 20 * 1024 * 1024) -> Document:
    """Read one file into a document; raise :class:`InputError` when it cannot be read."""
    name = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise InputError(name, "file not found", "check the path") from exc
    except OSError as exc:
        raise InputError(name, f"cannot be read ({exc.strerror})", "check permissions") from exc
    if size > max_bytes:
        raise InputError(
            name,
            f"is {size / 1_048_576:.1f} MB, over the {max_bytes / 1_048_576:.0f} MB limit",
            "split it, or raise max_file_mb in plainspoken.toml",
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(name, f"cannot be read ({exc.strerror})", "check permissions") from exc
    kind = kind_of(path)
    if kind == "docx":
        text = _docx_text(data, name)
        return Document(name, text, text, "docx")
    if kind == "pdf":
        text = _pdf_text(data, name)
        return Document(name, text, text, "pdf")
    return from_text(decode(data, name), name, kind)
