"""Copy check in the workbench: pasted text and uploads, findings inline, fixes, downloads,
saved documents with their history, and bad input that leaves the server serving."""

from __future__ import annotations

import io
import json

import docx

from plainspoken import check

from .webtools import Client, assert_envelope

COPY = (
    "# Launch\n\nWe utilize a robust, seamless platform to empower your teams.\n\n"
    "Backups finish in 4 minutes for 2 TB on one node.\n"
)


def test_the_api_returns_what_the_library_returns(viewer: Client) -> None:
    response = viewer.post("/api/check", json={"text": COPY, "audience": "business-stakeholder"})
    assert response.status_code == 200
    body = response.json()
    expected = check(COPY, audience="business-stakeholder", name="text").to_dict()
    assert body["files"][0]["findings"] == expected["files"][0]["findings"]
    assert body["files"][0]["score"] == expected["files"][0]["score"]
    assert {f["rule"] for f in body["files"][0]["findings"]} >= {"wordy.phrase"}


def test_safe_fixes_are_applied_on_request(viewer: Client) -> None:
    body = viewer.post("/api/check", json={"text": COPY, "fix": True}).json()
    assert "We use a robust" in body["fixed_text"]
    assert "utilize" not in body["fixed_text"]
    assert all(
        f["rule"] != "wordy.phrase" or f["text"] != "utilize" for f in body["files"][0]["findings"]
    )


def test_sarif_and_html_downloads(viewer: Client) -> None:
    sarif = viewer.post("/api/check?format=sarif", json={"text": COPY})
    assert sarif.headers["content-type"].startswith("application/sarif+json")
    assert json.loads(sarif.text)["version"] == "2.1.0"
    page = viewer.post(
        "/copy/download", data={"text": COPY, "audience": "", "kind": "markdown", "format": "html"}
    )
    assert page.headers["content-disposition"].startswith("attachment;")
    assert "<mark" in page.text and "utilize" in page.text


def test_the_result_page_highlights_findings_with_their_explanation(viewer: Client) -> None:
    page = viewer.post("/copy", data={"text": COPY, "audience": "it-practitioner"})
    assert page.status_code == 200
    assert '<mark class="finding suggestion" tabindex="0"' in page.text
    assert 'role="tooltip"' in page.text and "Instead:" in page.text
    assert "Write &#39;use&#39;." in page.text
    assert "Save this document" not in page.text  # a viewer cannot save


def test_pasted_text_that_names_a_server_file_is_checked_as_text(viewer: Client) -> None:
    body = viewer.post("/api/check", json={"text": "/etc/passwd"}).json()
    assert body["files"][0]["words"] <= 2
    page = viewer.post("/copy", data={"text": "/etc/hostname"})
    assert "/etc/hostname" in page.text and "root:" not in page.text


def test_uploads_of_markdown_and_docx_are_checked(viewer: Client) -> None:
    page = viewer.post(
        "/copy",
        data={"audience": "it-practitioner"},
        files={"file": ("launch.md", COPY.encode(), "text/markdown")},
    )
    assert page.status_code == 200 and "Check result: launch.md" in page.text
    assert 'data-rule="wordy.phrase"' in page.text
    document = docx.Document()
    document.add_paragraph("We leverage synergies to empower stakeholders.")
    data = io.BytesIO()
    document.save(data)
    page = viewer.post(
        "/copy", data={}, files={"file": ("memo.docx", data.getvalue(), "application/octet-stream")}
    )
    assert page.status_code == 200 and "<mark" in page.text


def test_bad_uploads_get_a_clear_message_and_the_server_keeps_serving(viewer: Client) -> None:
    binary = viewer.post("/copy", data={}, files={"file": ("notes.txt", b"\x00\x01\x02" * 50)})
    assert binary.status_code == 400 and "notes.txt" in binary.text and "binary" in binary.text
    assert "/tmp" not in binary.text and "uploads" not in binary.text
    kind = viewer.post("/copy", data={}, files={"file": ("run.exe", b"MZ...")})
    assert kind.status_code == 400 and "cannot check this kind of file" in kind.text
    empty = viewer.post("/copy", data={"text": "   "})
    assert empty.status_code == 400 and "no text to check" in empty.text
    assert viewer.post("/api/check", json={"text": COPY}).status_code == 200


def test_an_oversized_body_is_refused_before_it_is_read(app: object, viewer: Client) -> None:
    limit = int(app.state.ctx.base_settings["upload_mb"] * 1_048_576)  # type: ignore[attr-defined]
    big = viewer.post(
        "/api/check", content=b"{}", headers={"content-length": str(limit + 1),
                                              "content-type": "application/json"}
    )  # fmt: skip
    assert_envelope(big, 413, "too_large")


def test_an_upload_over_max_file_mb_is_refused(viewer: Client) -> None:
    page = viewer.post(
        "/copy", data={}, files={"file": ("huge.md", b"word " * (21 * 1024 * 1024 // 5))}
    )
    assert page.status_code == 413 and "huge.md" in page.text and "20 MB limit" in page.text


def test_an_unknown_audience_is_a_400_envelope(viewer: Client) -> None:
    message = assert_envelope(
        viewer.post("/api/check", json={"text": COPY, "audience": "martians"}), 400, "bad_input"
    )
    assert "martians" in message
    assert_envelope(viewer.post("/api/check", json={"kind": "markdown"}), 422, "invalid_request")


def test_saved_documents_keep_a_history_and_a_score_trend(editor: Client) -> None:
    saved = editor.post(
        "/api/documents",
        json={"title": "Launch page", "text": COPY, "audience": "business-stakeholder"},
    )
    assert saved.status_code == 201
    doc = saved.json()
    assert doc["checks"] == 1 and doc["last_score"] == saved.json()["report"]["score"]
    fixed = editor.post(f"/api/documents/{doc['id']}/check", json={"fix": True}).json()
    assert "utilize" not in editor.get(f"/api/documents/{doc['id']}").json()["text"]
    plain = "Backups finish in 4 minutes for 2 TB on one node; restores take 9 minutes.\n"
    editor.post(f"/api/documents/{doc['id']}/check", json={"text": plain})
    history = editor.get(f"/api/documents/{doc['id']}").json()["history"]
    assert len(history) == 3
    assert history[1]["score"] == fixed["report"]["score"]
    assert history[2]["score"] >= history[0]["score"]
    page = editor.get(f"/documents/{doc['id']}")
    assert page.status_code == 200 and "Score by check" in page.text
    assert page.text.count('class="line"') + page.text.count('class="point"') >= 1
    report = editor.get(f"/documents/{doc['id']}/report.sarif")
    assert report.status_code == 200 and json.loads(report.text)["version"] == "2.1.0"
    listing = editor.get("/documents")
    assert "Launch page" in listing.text


def test_saving_from_the_result_page_and_deleting(editor: Client) -> None:
    response = editor.post(
        "/documents",
        data={"title": "Mail", "text": COPY, "audience": "it-practitioner", "kind": "markdown"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    doc_url = response.headers["location"]
    assert editor.get(doc_url).status_code == 200
    fixed = editor.post(f"{doc_url}/fix", data={}, follow_redirects=False)
    assert fixed.status_code == 303
    assert "We use a robust" in editor.get(doc_url).text
    editor.post(f"{doc_url}/delete", data={}, follow_redirects=False)
    missing = editor.get(doc_url)
    assert missing.status_code == 404 and "no saved document" in missing.text
    assert_envelope(editor.get("/api/documents/999"), 404, "not_found")


def test_a_viewer_cannot_change_anything(viewer: Client, editor: Client) -> None:
    doc = editor.post("/api/documents", json={"title": "Kept", "text": COPY}).json()
    for method, url, kwargs in [
        ("POST", "/api/documents", {"json": {"title": "x", "text": "y"}}),
        ("POST", f"/api/documents/{doc['id']}/check", {"json": {"fix": True}}),
        ("DELETE", f"/api/documents/{doc['id']}", {}),
        ("POST", "/api/datasets/import", {"json": {"name": "x", "format": "reddit", "path": "a"}}),
        ("PUT", "/api/settings", {"json": {"vocabulary_accept": ["x"]}}),
    ]:
        assert_envelope(viewer.request(method, url, **kwargs), 403, "forbidden")
    assert editor.get(f"/api/documents/{doc['id']}").json()["history"][0]["score"] >= 0
    assert len(editor.get(f"/api/documents/{doc['id']}").json()["history"]) == 1


def test_html_from_users_or_communities_is_sanitized_before_display() -> None:
    from plainspoken.web.render import clean_html

    shown = str(
        clean_html(
            '<p onclick="steal()">Fine <b>bold</b></p><script>alert(1)</script>'
            '<a href="javascript:alert(2)">x</a><img src=x onerror="alert(3)">'
        )
    )
    assert "<p>Fine <b>bold</b></p>" in shown
    for bad in ("script", "onclick", "javascript:", "onerror", "steal"):
        assert bad not in shown, bad
