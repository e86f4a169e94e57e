"""Authenticity: run the analysis of a dataset as a job; read its flagged threads, accounts
and campaigns with their evidence and timelines; export JSON, HTML and CSV."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response

from plainspoken.community.authenticity import SIGNALS
from plainspoken.community.importing import check_name
from plainspoken.community.stats import dataset_folder
from plainspoken.errors import NotFoundError
from plainspoken.store import JobInfo, UserInfo
from plainspoken.store import jobs as store_jobs
from plainspoken.web.analyses import authenticity_folder
from plainspoken.web.context import WebContext, ctx
from plainspoken.web.render import page
from plainspoken.web.security import editor, viewer

router = APIRouter()
Viewer = Annotated[UserInfo, Depends(viewer)]
Editor = Annotated[UserInfo, Depends(editor)]
EXPORTS = {
    "report.json": ("{name}.json", "application/json"),
    "report.html": ("{name}.html", "text/html; charset=utf-8"),
    "threads.csv": ("{name}-threads.csv", "text/csv; charset=utf-8"),
    "accounts.csv": ("{name}-accounts.csv", "text/csv; charset=utf-8"),
    "campaigns.csv": ("{name}-campaigns.csv", "text/csv; charset=utf-8"),
}


def saved(context: WebContext, name: str) -> dict[str, Any] | None:
    """The latest analysis of dataset ``name`` kept in the workspace, or None."""
    check_name(name)
    path = authenticity_folder(context.workspace.root) / f"{name}.json"
    if not path.is_file():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def queue(context: WebContext, user: UserInfo, name: str) -> JobInfo:
    check_name(name)
    dataset_folder(context.workspace, name)  # a missing dataset is said now, not in the job
    params = {"name": name, "workspace": str(context.workspace.root.resolve())}
    return store_jobs.create_job(
        context.store, "authenticity", f"authenticity analysis of '{name}'", params, user.id
    )


def _wake(request: Request) -> None:
    if request.app.state.worker is not None:
        request.app.state.worker.wake()


@router.get("/community/{name}/authenticity", include_in_schema=False)
async def authenticity_page(request: Request, name: str, user: Viewer) -> Response:
    context = ctx(request)
    data = saved(context, name)
    running = [
        j
        for j in store_jobs.list_jobs(context.store, 50)
        if j.kind == "authenticity" and j.params.get("name") == name and not j.finished
    ]
    report = (data or {}).get("report", {})
    return page(
        request,
        "authenticity.html",
        {
            "name": name,
            "data": data,
            "report": report,
            "flagged": [t for t in report.get("threads", []) if t["flagged"]],
            "accounts": [a for a in report.get("accounts", []) if a["flagged"]],
            "campaigns": [c for c in report.get("campaigns", []) if c["flagged"]],
            "running": running,
            "exports": list(EXPORTS),
            "rates": [(s, report.get("base_rates", {}).get(s)) for s in SIGNALS],
        },
    )


@router.post("/community/{name}/authenticity", include_in_schema=False)
async def authenticity_run(request: Request, name: str, user: Editor) -> Response:
    job = queue(ctx(request), user, name)
    _wake(request)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/community/{name}/authenticity/{export}", include_in_schema=False)
async def authenticity_export(request: Request, name: str, export: str, user: Viewer) -> Response:
    check_name(name)
    if export not in EXPORTS:
        raise NotFoundError(f"no export '{export}' (exports: {', '.join(EXPORTS)})")
    pattern, media = EXPORTS[export]
    path = authenticity_folder(ctx(request).workspace.root) / pattern.format(name=name)
    if not path.is_file():
        raise NotFoundError(f"no authenticity analysis of '{name}' yet (run one first)")
    return FileResponse(path, media_type=media, filename=f"{name}-authenticity-{export}")


@router.get("/api/datasets/{name}/authenticity", tags=["community"])
async def api_authenticity(request: Request, name: str, user: Viewer) -> dict[str, Any]:
    """The latest authenticity analysis of a dataset: flagged threads, accounts and campaigns,
    each with its evidence, and the base rates they were judged against."""
    data = saved(ctx(request), name)
    if data is None:
        raise NotFoundError(
            f"no authenticity analysis of '{name}' yet (POST /api/datasets/{name}/authenticity)"
        )
    return {"created_at": data["created_at"], **data["report"]}


@router.post("/api/datasets/{name}/authenticity", tags=["community"], status_code=202)
async def api_authenticity_run(request: Request, name: str, user: Editor) -> JSONResponse:
    """Queue an authenticity analysis of a dataset; poll ``/api/jobs/{id}``."""
    job = queue(ctx(request), user, name)
    _wake(request)
    return JSONResponse(job.to_dict(), status_code=202)
