"""Saved documents: save a checked text, check it again, apply fixes, history and trend."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from plainspoken.copy import fixed_text
from plainspoken.copy.finding import FileReport
from plainspoken.store import DocumentInfo, UserInfo
from plainspoken.store import documents as store_docs
from plainspoken.web.context import WebContext, ctx
from plainspoken.web.render import page, trend_chart
from plainspoken.web.routes.checking import check_kind, check_text, download
from plainspoken.web.routes.copy import result_context
from plainspoken.web.security import editor, viewer

router = APIRouter()
Viewer = Annotated[UserInfo, Depends(viewer)]
Editor = Annotated[UserInfo, Depends(editor)]


def _check_saved(context: WebContext, doc: DocumentInfo, user: UserInfo) -> FileReport:
    """Check a saved document and keep the check in its history."""
    file = check_text(context, doc.text, doc.audience, doc.kind, doc.title)
    store_docs.record_check(context.store, doc.id, user.id, file.to_dict())
    return file


def _save(
    context: WebContext, user: UserInfo, title: str, text: str, audience: str, kind: str
) -> tuple[DocumentInfo, FileReport]:
    check_kind(kind)
    audience = audience or str(context.settings()["audience"])
    check_text(context, text, audience, kind, title)  # refuse what cannot be checked
    doc = store_docs.save_document(context.store, title, kind, audience, text, user.id)
    return doc, _check_saved(context, doc, user)


@router.get("/documents", include_in_schema=False)
async def documents_page(request: Request, user: Viewer) -> Response:
    return page(
        request, "documents.html", {"documents": store_docs.list_documents(ctx(request).store)}
    )


@router.post("/documents", include_in_schema=False)
async def save_page(
    request: Request,
    user: Editor,
    title: Annotated[str, Form()],
    text: Annotated[str, Form()],
    audience: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "markdown",
) -> Response:
    doc, _ = _save(ctx(request), user, title, text, audience, kind)
    return RedirectResponse(f"/documents/{doc.id}", status_code=303)


def _document_context(request: Request, doc_id: int, **extra: Any) -> dict[str, Any]:
    context = ctx(request)
    doc = store_docs.get_document(context.store, doc_id)
    checks = store_docs.history(context.store, doc_id)
    file = check_text(context, doc.text, doc.audience, doc.kind, doc.title)
    return {
        **result_context(request, file, audience=doc.audience, kind=doc.kind, text=doc.text),
        "doc": doc,
        "checks": checks,
        "trend": trend_chart(checks) if checks else "",
        **extra,
    }


@router.get("/documents/{doc_id}", include_in_schema=False)
async def document_page(request: Request, doc_id: int, user: Viewer) -> Response:
    return page(request, "document.html", _document_context(request, doc_id))


@router.post("/documents/{doc_id}/check", include_in_schema=False)
async def recheck_page(
    request: Request,
    doc_id: int,
    user: Editor,
    text: Annotated[str, Form()],
    audience: Annotated[str, Form()] = "",
) -> Response:
    context = ctx(request)
    check_text(context, text, audience, store_docs.get_document(context.store, doc_id).kind)
    doc = store_docs.update_document(context.store, doc_id, text=text, audience=audience or None)
    _check_saved(context, doc, user)
    return RedirectResponse(f"/documents/{doc_id}", status_code=303)


@router.post("/documents/{doc_id}/fix", include_in_schema=False)
async def fix_page(request: Request, doc_id: int, user: Editor) -> Response:
    context = ctx(request)
    doc = store_docs.get_document(context.store, doc_id)
    fixed = fixed_text(check_text(context, doc.text, doc.audience, doc.kind, doc.title))
    doc = store_docs.update_document(context.store, doc_id, text=fixed)
    _check_saved(context, doc, user)
    return RedirectResponse(f"/documents/{doc_id}", status_code=303)


@router.post("/documents/{doc_id}/delete", include_in_schema=False)
async def delete_page(request: Request, doc_id: int, user: Editor) -> Response:
    store_docs.delete_document(ctx(request).store, doc_id)
    return RedirectResponse("/documents", status_code=303)


@router.get("/documents/{doc_id}/report.{fmt}", include_in_schema=False)
async def document_download(request: Request, doc_id: int, fmt: str, user: Viewer) -> Response:
    context = ctx(request)
    doc = store_docs.get_document(context.store, doc_id)
    file = check_text(context, doc.text, doc.audience, doc.kind, doc.title)
    body, media, name = download(context, file, fmt)
    return Response(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


def _doc_json(doc: DocumentInfo) -> dict[str, Any]:
    return {
        "id": doc.id,
        "title": doc.title,
        "kind": doc.kind,
        "audience": doc.audience,
        "owner": doc.owner,
        "created_at": doc.created_at.isoformat(),
        "updated_at": doc.updated_at.isoformat(),
        "last_score": doc.last_score,
        "checks": doc.checks,
    }


class NewDocument(BaseModel):
    title: str = Field(max_length=200)
    text: str
    audience: str | None = None
    kind: Literal["markdown", "text", "html"] = "markdown"


class DocumentChange(BaseModel):
    text: str | None = None
    audience: str | None = None
    fix: bool = Field(False, description="Apply the safe fixes to the saved text first.")


@router.get("/api/documents", tags=["documents"])
async def api_documents(request: Request, user: Viewer) -> list[dict[str, Any]]:
    """Saved documents with their latest score."""
    return [_doc_json(d) for d in store_docs.list_documents(ctx(request).store)]


@router.post("/api/documents", tags=["documents"], status_code=201)
async def api_save(request: Request, body: NewDocument, user: Editor) -> JSONResponse:
    """Save a document and check it."""
    doc, file = _save(ctx(request), user, body.title, body.text, body.audience or "", body.kind)
    data = {
        **_doc_json(store_docs.get_document(ctx(request).store, doc.id)),
        "report": file.to_dict(),
    }
    return JSONResponse(data, status_code=201)


@router.get("/api/documents/{doc_id}", tags=["documents"])
async def api_document(request: Request, doc_id: int, user: Viewer) -> dict[str, Any]:
    """One saved document, its text and the history of its checks."""
    context = ctx(request)
    doc = store_docs.get_document(context.store, doc_id)
    checks = store_docs.history(context.store, doc_id)
    return {
        **_doc_json(doc),
        "text": doc.text,
        "history": [
            {"id": c.id, "score": c.score, "findings": c.findings, "words": c.words,
             "audience": c.audience, "user": c.user, "created_at": c.created_at.isoformat()}
            for c in checks
        ],
    }  # fmt: skip


@router.post("/api/documents/{doc_id}/check", tags=["documents"])
async def api_recheck(
    request: Request, doc_id: int, body: DocumentChange, user: Editor
) -> dict[str, Any]:
    """Change a saved document (text, audience, safe fixes) and check it again."""
    context = ctx(request)
    doc = store_docs.get_document(context.store, doc_id)
    text = body.text if body.text is not None else doc.text
    audience = body.audience or doc.audience
    file = check_text(context, text, audience, doc.kind, doc.title)
    if body.fix:
        text = fixed_text(file)
    doc = store_docs.update_document(context.store, doc_id, text=text, audience=audience)
    return {"document": _doc_json(doc), "report": _check_saved(context, doc, user).to_dict()}


@router.delete("/api/documents/{doc_id}", tags=["documents"], status_code=204)
async def api_delete(request: Request, doc_id: int, user: Editor) -> Response:
    """Delete a saved document and its history."""
    store_docs.delete_document(ctx(request).store, doc_id)
    return Response(status_code=204)
