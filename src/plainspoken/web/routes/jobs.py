"""Jobs: their list, one job's live progress (the page polls the API), cancel."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from plainspoken.store import UserInfo
from plainspoken.store import jobs as store_jobs
from plainspoken.web.context import ctx
from plainspoken.web.render import page
from plainspoken.web.security import editor, viewer

router = APIRouter()
Viewer = Annotated[UserInfo, Depends(viewer)]
Editor = Annotated[UserInfo, Depends(editor)]


@router.get("/jobs", include_in_schema=False)
async def jobs_page(request: Request, user: Viewer) -> Response:
    return page(request, "jobs.html", {"jobs": store_jobs.list_jobs(ctx(request).store)})


@router.get("/jobs/{job_id}", include_in_schema=False)
async def job_page(request: Request, job_id: int, user: Viewer) -> Response:
    return page(request, "job.html", {"job": store_jobs.get_job(ctx(request).store, job_id)})


@router.post("/jobs/{job_id}/cancel", include_in_schema=False)
async def cancel_page(request: Request, job_id: int, user: Editor) -> Response:
    store_jobs.cancel_job(ctx(request).store, job_id)
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


@router.get("/api/jobs", tags=["jobs"])
async def api_jobs(request: Request, user: Viewer) -> list[dict[str, Any]]:
    """The newest jobs first, with status and progress."""
    return [j.to_dict() for j in store_jobs.list_jobs(ctx(request).store)]


@router.get("/api/jobs/{job_id}", tags=["jobs"])
async def api_job(request: Request, job_id: int, user: Viewer) -> dict[str, Any]:
    """One job: status (queued, running, done, failed, cancelled, interrupted), progress
    from 0 to 1, message, result or error."""
    return store_jobs.get_job(ctx(request).store, job_id).to_dict()


@router.post("/api/jobs/{job_id}/cancel", tags=["jobs"])
async def api_cancel(request: Request, job_id: int, user: Editor) -> dict[str, Any]:
    """Cancel a queued job, or ask a running one to stop."""
    return store_jobs.cancel_job(ctx(request).store, job_id).to_dict()
