"""Influencers: rank a dataset's genuine voices on a topic as a job; read the ranking and a
dossier per account; export JSON, CSV and HTML."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from plainspoken.community.importing import check_name
from plainspoken.community.stats import dataset_folder
from plainspoken.errors import NotFoundError, UsageError
from plainspoken.store import JobInfo, UserInfo
from plainspoken.store import jobs as store_jobs
from plainspoken.web.analyses import SLUG, influence_folder
from plainspoken.web.context import WebContext, ctx
from plainspoken.web.render import page
from plainspoken.web.security import editor, viewer

router = APIRouter()
Viewer = Annotated[UserInfo, Depends(viewer)]
Editor = Annotated[UserInfo, Depends(editor)]
EXPORTS = {
    "ranking.json": ("{slug}.ranking.json", "application/json"),
    "ranking.csv": ("{slug}.csv", "text/csv; charset=utf-8"),
    "ranking.html": ("{slug}.html", "text/html; charset=utf-8"),
}


def rankings(context: WebContext, name: str) -> list[dict[str, Any]]:
    """The rankings kept for dataset ``name``, newest first (without their accounts)."""
    check_name(name)
    folder = influence_folder(context.workspace.root, name)
    found = []
    for path in folder.glob("*.json") if folder.is_dir() else ():
        if not SLUG.fullmatch(path.stem):
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        found.append(
            {k: data[k] for k in ("created_at", "topic", "asked", "ranked", "topic_threads")}
            | {"slug": path.stem, "excluded": len(data["excluded"])}
        )
    return sorted(found, key=lambda r: str(r["created_at"]), reverse=True)


def ranking(context: WebContext, name: str, slug: str) -> dict[str, Any]:
    check_name(name)
    path = influence_folder(context.workspace.root, name) / f"{slug}.json"
    if not SLUG.fullmatch(slug) or not path.is_file():
        raise NotFoundError(f"no ranking '{slug}' of dataset '{name}' (see its influencers page)")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def queue(context: WebContext, user: UserInfo, name: str, topic: str) -> JobInfo:
    check_name(name)
    topic = " ".join(topic.split())
    if not topic:
        raise UsageError(
            "the topic is empty (give tags, keywords or example posts, e.g. "
            "'tag:backup, restore tests, post:1234')"
        )
    if len(topic) > 500:
        raise UsageError("the topic is over 500 characters; name fewer tags and words")
    dataset_folder(context.workspace, name)
    params = {"name": name, "topic": topic, "workspace": str(context.workspace.root.resolve())}
    return store_jobs.create_job(
        context.store, "influencers", f"influencers of '{name}' on {topic}", params, user.id
    )


def _wake(request: Request) -> None:
    if request.app.state.worker is not None:
        request.app.state.worker.wake()


@router.get("/community/{name}/influencers", include_in_schema=False)
async def influencers_page(request: Request, name: str, user: Viewer) -> Response:
    context = ctx(request)
    return page(request, "influencers.html", {"name": name, "rankings": rankings(context, name)})


@router.post("/community/{name}/influencers", include_in_schema=False)
async def influencers_run(
    request: Request, name: str, user: Editor, topic: Annotated[str, Form()]
) -> Response:
    job = queue(ctx(request), user, name, topic)
    _wake(request)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/community/{name}/influencers/{slug}", include_in_schema=False)
async def ranking_page(request: Request, name: str, slug: str, user: Viewer) -> Response:
    data = ranking(ctx(request), name, slug)
    return page(
        request,
        "ranking.html",
        {"name": name, "slug": slug, "data": data, "exports": list(EXPORTS)},
    )


@router.get("/community/{name}/influencers/{slug}/{export}", include_in_schema=False)
async def ranking_export(
    request: Request, name: str, slug: str, export: str, user: Viewer
) -> Response:
    ranking(ctx(request), name, slug)  # refuses unknown names and slugs
    if export not in EXPORTS:
        raise NotFoundError(f"no export '{export}' (exports: {', '.join(EXPORTS)})")
    pattern, media = EXPORTS[export]
    path = influence_folder(ctx(request).workspace.root, name) / pattern.format(slug=slug)
    return FileResponse(path, media_type=media, filename=f"{name}-{slug}-{export}")


class RankRequest(BaseModel):
    topic: str = Field(description="Tags, words or example posts: 'tag:mqtt, home assistant'.")


@router.get("/api/datasets/{name}/influencers", tags=["community"])
async def api_rankings(request: Request, name: str, user: Viewer) -> list[dict[str, Any]]:
    """The influencer rankings kept for a dataset, newest first."""
    return rankings(ctx(request), name)


@router.get("/api/datasets/{name}/influencers/{slug}", tags=["community"])
async def api_ranking(request: Request, name: str, slug: str, user: Viewer) -> dict[str, Any]:
    """One ranking: the top accounts with their four facets, evidence and dossier, and the
    accounts left out with the reason."""
    return ranking(ctx(request), name, slug)


@router.post("/api/datasets/{name}/influencers", tags=["community"], status_code=202)
async def api_rank(request: Request, name: str, body: RankRequest, user: Editor) -> JSONResponse:
    """Queue a ranking of a dataset's accounts on a topic; poll ``/api/jobs/{id}``."""
    job = queue(ctx(request), user, name, body.topic)
    _wake(request)
    return JSONResponse(job.to_dict(), status_code=202)
