"""Community: datasets, imports as background jobs, statistics with charts, exports."""

from __future__ import annotations

import csv
import io
import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from plainspoken.community import stats
from plainspoken.community.importers import FORMATS
from plainspoken.community.importing import check_name
from plainspoken.community.stats import SHARES, CommunityStats
from plainspoken.errors import UsageError
from plainspoken.reports.stats import bucket_label, charts, duration, percent, rate_labels
from plainspoken.store import JobInfo, UserInfo
from plainspoken.store import jobs as store_jobs
from plainspoken.web.context import WebContext, ctx
from plainspoken.web.render import page
from plainspoken.web.security import editor, viewer
from plainspoken.web.uploads import inside_roots, save_upload

router = APIRouter()
Viewer = Annotated[UserInfo, Depends(viewer)]
Editor = Annotated[UserInfo, Depends(editor)]


def datasets(context: WebContext) -> list[dict[str, Any]]:
    """The workspace's datasets as their manifests say (a broken one says what is wrong)."""
    found = []
    folder = context.workspace.datasets
    for path in sorted(folder.iterdir() if folder.is_dir() else ()):
        if not path.is_dir() or path.name.startswith("."):
            continue
        try:
            manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
            found.append(
                {
                    "name": path.name,
                    "format": manifest.get("format"),
                    "imported_at": manifest.get("imported_at"),
                    "counts": manifest.get("counts", {}),
                    "time_range": manifest.get("time_range", {}),
                    "problem": None,
                }
            )
        except (OSError, ValueError) as exc:
            found.append({"name": path.name, "counts": {}, "problem": f"unreadable ({exc})"})
    return found


async def queue_import(
    context: WebContext,
    user: UserInfo,
    name: str,
    fmt: str,
    upload: UploadFile | None,
    server_path: str,
    mapping: str = "",
) -> JobInfo:
    """Check the request, keep the upload, and queue an import job."""
    check_name(name)
    if fmt not in FORMATS:
        raise UsageError(f"unknown format '{fmt}' (formats: {', '.join(FORMATS)})")
    roots = context.import_roots()
    mapping_path = str(inside_roots(mapping, roots)) if mapping.strip() else None
    params: dict[str, Any] = {
        "format": fmt,
        "name": name,
        "workspace": str(context.workspace.root.resolve()),
        "mapping": mapping_path,
    }
    if upload is not None and upload.filename:
        limit = int(float(context.base_settings["upload_mb"]) * 1_048_576)
        source = await save_upload(upload, context.uploads, limit)
        params |= {"source": str(source), "upload_dir": str(source.parent), "shown": source.name}
    elif server_path.strip():
        source = inside_roots(server_path, roots)
        params |= {"source": str(source), "shown": server_path.strip()}
    else:
        raise UsageError("choose a dump to upload, or give its path on the server")
    job = store_jobs.create_job(
        context.store, "import", f"import {params['shown']} as '{name}' ({fmt})", params, user.id
    )
    return job


def _wake(request: Request) -> None:
    worker = request.app.state.worker
    if worker is not None:
        worker.wake()


@router.get("/community", include_in_schema=False)
async def community_page(request: Request, user: Viewer) -> Response:
    context = ctx(request)
    return page(
        request,
        "community.html",
        {
            "datasets": datasets(context),
            "formats": FORMATS,
            "roots": context.import_roots(),
            "jobs": [j for j in store_jobs.list_jobs(context.store, 20) if j.kind == "import"],
        },
    )


@router.post("/community/import", include_in_schema=False)
async def import_page(
    request: Request,
    user: Editor,
    name: Annotated[str, Form()],
    fmt: Annotated[str, Form(alias="format")],
    path: Annotated[str, Form()] = "",
    mapping: Annotated[str, Form()] = "",
    file: UploadFile | None = None,
) -> Response:
    job = await queue_import(ctx(request), user, name, fmt, file, path, mapping)
    _wake(request)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


def _stats(request: Request, name: str) -> CommunityStats:
    context = ctx(request)
    check_name(name)
    return stats(name, context.workspace.root, settings=context.settings())


@router.get("/community/{name}", include_in_schema=False)
def dataset_page(request: Request, name: str, user: Viewer) -> Response:
    result = _stats(request, name)
    drawn = {key: chart.to_svg() for key, chart in charts(result).items()}
    labels = rate_labels(result.parameters)
    return page(
        request,
        "dataset.html",
        {
            "stats": result,
            "charts": drawn,
            "labels": [labels[s] for s in SHARES],
            "shares": SHARES,
            "percent": percent,
            "duration": duration,
            "bucket_label": bucket_label,
            "rows": [*result.base_rates, result.overall],
        },
    )


def base_rates_csv(result: CommunityStats) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    fields = ["month", "answers", "threads", *SHARES]
    writer.writerow(fields)
    for row in (*result.base_rates, result.overall):
        data = row.to_dict()
        writer.writerow(["" if data[f] is None else data[f] for f in fields])
    return out.getvalue()


@router.get("/community/{name}/export.{fmt}", include_in_schema=False)
def dataset_export(request: Request, name: str, fmt: str, user: Viewer) -> Response:
    if fmt not in ("json", "csv"):
        raise UsageError(f"unknown export format '{fmt}' (formats: json, csv)")
    result = _stats(request, name)
    if fmt == "json":
        body, media = json.dumps(result.to_dict(), indent=2) + "\n", "application/json"
    else:
        body, media = base_rates_csv(result), "text/csv; charset=utf-8"
    filename = f"{name}-{'stats' if fmt == 'json' else 'base-rates'}.{fmt}"
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/api/datasets", tags=["community"])
async def api_datasets(request: Request, user: Viewer) -> list[dict[str, Any]]:
    """The workspace's community datasets (from their manifests)."""
    return datasets(ctx(request))


@router.get("/api/datasets/{name}/stats", tags=["community"])
def api_stats(request: Request, name: str, user: Viewer) -> dict[str, Any]:
    """Counts, monthly activity, reply latency and base rates of one dataset."""
    return _stats(request, name).to_dict()


class ImportRequest(BaseModel):
    """Import a dump already on the server (inside an import folder)."""

    name: str = Field(description="Dataset name.")
    format: str = Field(description=f"One of {', '.join(FORMATS)}.")
    path: str = Field(description="Path of the dump, inside one of the import folders.")
    mapping: str = Field("", description="For format generic: the mapping YAML's path.")


@router.post("/api/datasets/import", tags=["community"], status_code=202)
async def api_import(request: Request, body: ImportRequest, user: Editor) -> JSONResponse:
    """Queue an import of a dump on the server; poll ``/api/jobs/{id}`` for progress."""
    job = await queue_import(
        ctx(request), user, body.name, body.format, None, body.path, body.mapping
    )
    _wake(request)
    return JSONResponse(job.to_dict(), status_code=202)


@router.post("/api/datasets/upload", tags=["community"], status_code=202)
async def api_upload(
    request: Request,
    user: Editor,
    file: UploadFile,
    name: Annotated[str, Form()],
    fmt: Annotated[str, Form(alias="format")],
) -> JSONResponse:
    """Upload a dump (multipart: file, name, format) and queue its import."""
    job = await queue_import(ctx(request), user, name, fmt, file, "")
    _wake(request)
    return JSONResponse(job.to_dict(), status_code=202)
