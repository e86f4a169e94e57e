"""Copy check: paste or upload, pick an audience, see findings inline; downloads; the API."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from plainspoken.copy import all_audiences, fixed_text
from plainspoken.copy.finding import FileReport, Report
from plainspoken.store import UserInfo
from plainspoken.web.context import ctx
from plainspoken.web.render import page, segments
from plainspoken.web.routes.checking import KINDS, check_text, check_upload, download
from plainspoken.web.security import viewer

router = APIRouter()
Viewer = Annotated[UserInfo, Depends(viewer)]


def audiences(request: Request) -> list[tuple[str, str]]:
    found = all_audiences(ctx(request).settings()["audiences"])
    return [(a.name, a.description) for a in found.values()]


def result_context(request: Request, file: FileReport, **extra: Any) -> dict[str, Any]:
    """What the result page draws for one checked document."""
    return {
        "file": file,
        "segments": segments(file),
        "audiences": audiences(request),
        "kinds": KINDS,
        "fixable": sum(1 for f in file.findings if f.fix is not None),
        **extra,
    }


@router.get("/", include_in_schema=False, dependencies=[Depends(viewer)])
async def home() -> RedirectResponse:
    return RedirectResponse("/copy", status_code=303)


@router.get("/copy", include_in_schema=False)
async def copy_page(request: Request, user: Viewer) -> Response:
    settings = ctx(request).settings()
    return page(
        request,
        "copy.html",
        {
            "audiences": audiences(request),
            "kinds": KINDS,
            "audience": settings["audience"],
            "kind": "markdown",
            "text": "",
        },
    )


@router.post("/copy", include_in_schema=False)
async def copy_check(
    request: Request,
    user: Viewer,
    text: Annotated[str, Form()] = "",
    audience: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "markdown",
    fix: Annotated[bool, Form()] = False,
    file: UploadFile | None = None,
) -> Response:
    """Check pasted text or an uploaded file; with ``fix``, apply the safe fixes first."""
    context = ctx(request)
    if file is not None and file.filename:
        report = await check_upload(context, file, audience)
    else:
        report = check_text(context, text, audience, kind)
    applied = 0
    if fix:
        applied = sum(1 for f in report.findings if f.fix is not None)
        report = check_text(context, fixed_text(report), audience, report.kind, report.path)
    return page(
        request,
        "copy_result.html",
        result_context(
            request,
            report,
            audience=report.audience,
            kind=report.kind if report.kind in KINDS else "text",
            text=report.source,
            applied=applied if fix else None,
        ),
    )


@router.post("/copy/download", include_in_schema=False)
async def copy_download(
    request: Request,
    user: Viewer,
    text: Annotated[str, Form()],
    audience: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "markdown",
    fmt: Annotated[str, Form(alias="format")] = "json",
) -> Response:
    context = ctx(request)
    body, media, name = download(context, check_text(context, text, audience, kind), fmt)
    return Response(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


class CheckRequest(BaseModel):
    """Text to check (JSON API)."""

    text: str = Field(description="The copy to check.")
    audience: str | None = Field(None, description="Audience profile (default: the setting).")
    kind: Literal["markdown", "text", "html"] = "markdown"
    fix: bool = Field(False, description="Apply the safe fixes and check the result.")
    name: str = Field("text", max_length=200, description="What to call the text in reports.")


@router.post("/api/check", tags=["copy"])
async def api_check(
    request: Request,
    body: CheckRequest,
    user: Viewer,
    fmt: Annotated[Literal["json", "sarif", "html"], Query(alias="format")] = "json",
) -> Response:
    """Check text for one audience: findings, score and breakdown (JSON), or SARIF or HTML.

    With ``fix``, the response also holds ``fixed_text`` and the check of that text."""
    context = ctx(request)
    report = check_text(context, body.text, body.audience, body.kind, body.name)
    if body.fix:
        report = check_text(context, fixed_text(report), body.audience, body.kind, body.name)
    if fmt != "json":
        rendered, media, _ = download(context, report, fmt)
        return Response(rendered, media_type=media)
    data = Report((report,)).to_dict()
    if body.fix:
        data["fixed_text"] = report.source
    return JSONResponse(data)


@router.get("/api/audiences", tags=["copy"])
async def api_audiences(request: Request, user: Viewer) -> list[dict[str, str]]:
    """The audience profiles a check can use."""
    return [{"name": name, "description": text} for name, text in audiences(request)]
