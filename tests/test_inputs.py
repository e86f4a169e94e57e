"""Reading files: formats, encodings, position maps, and files that cannot be read."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from plainspoken import InputError, check
from plainspoken.text import from_text, load
from plainspoken.text.html import extract
from plainspoken.text.sources import expand


def test_latin1_file_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "old.txt"
    path.write_bytes(
        "Caf\xe9 owners love our robust r\xe9seau tool, d\xe9j\xe0 vu.".encode("latin-1")
    )
    report = check(path)
    assert [f.text for f in report.findings if f.rule == "buzzword.hype-adjective"] == ["robust"]


def test_binary_file_is_refused_with_a_message(tmp_path: Path) -> None:
    path = tmp_path / "blob.txt"
    path.write_bytes(b"\x00\x01\x02robust\x00" * 50)
    with pytest.raises(InputError, match="binary"):
        load(path)


def test_run_goes_on_after_an_unreadable_file(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("A robust tool.", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\x00\xff" * 100)
    report = check(tmp_path)
    assert [Path(f.path).name for f in report.files] == ["a.md"]
    assert len(report.errors) == 1 and "b.txt" in report.errors[0].message


def test_docx_paragraphs_are_checked(tmp_path: Path) -> None:
    path = tmp_path / "brief.docx"
    document = docx.Document()
    document.add_paragraph("Quarterly note from IT.")
    document.add_paragraph("We will leverage a seamless platform.")
    document.save(str(path))
    report = check(path)
    assert {f.text for f in report.findings} >= {"leverage", "seamless"}
    assert all(f.fix is None for f in report.findings)


def _pdf_with_text(text: str) -> bytes:
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def test_pdf_text_layer_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "paper.pdf"
    path.write_bytes(_pdf_with_text("A world-class platform for backup."))
    assert "world-class" in [f.text for f in check(path).findings]


def test_ignore_patterns_and_globs(tmp_path: Path) -> None:
    (tmp_path / "keep.md").write_text("x", encoding="utf-8")
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "skip.md").write_text("x", encoding="utf-8")
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "dep.md").write_text("x", encoding="utf-8")
    found = expand([str(tmp_path)], ignore=["drafts/*"])
    assert [p.name for p in found] == ["keep.md"]
    globbed = expand([str(tmp_path / "**" / "*.md")], ignore=["node_modules/*"])
    assert sorted(p.name for p in globbed) == ["keep.md", "skip.md"]


def test_empty_folder_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no checkable files"):
        expand([str(tmp_path)])


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.md"
    path.write_bytes(b"robust " * 200_000)
    with pytest.raises(InputError, match="over the 1 MB limit"):
        load(path, max_bytes=1024 * 1024)


@given(st.text(alphabet=st.sampled_from(list("ab <>/&;#x1pscript\n\"'=")), max_size=200))
def test_html_offsets_always_point_at_the_same_character(source: str) -> None:
    text, offsets = extract(source)
    assert len(text) == len(offsets)
    assert all(0 <= o < max(1, len(source)) for o in offsets)
    for ch, off in zip(text, offsets, strict=True):
        if ch not in "\n" and source[off] != "&":
            assert source[off] == ch


@given(st.text(max_size=300))
def test_markdown_blanking_keeps_every_offset(source: str) -> None:
    doc = from_text(source, "x.md", "markdown")
    assert len(doc.text) == len(doc.source)
    assert all(a == b or a == " " for a, b in zip(doc.text, doc.source, strict=True))
