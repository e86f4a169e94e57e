"""The API's own documentation page (drawn on the server: no script from elsewhere)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from plainspoken.store import UserInfo
from plainspoken.web.render import page
from plainspoken.web.security import public

router = APIRouter()
Anyone = Annotated[UserInfo | None, Depends(public)]


@router.get("/api/docs", include_in_schema=False)
async def api_docs(request: Request, me: Anyone) -> Response:
    spec: dict[str, Any] = request.app.openapi()
    endpoints = []
    for path, methods in spec.get("paths", {}).items():
        for method, operation in methods.items():
            body = operation.get("requestBody", {}).get("content", {})
            endpoints.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "description": operation.get("description", "").replace("``", ""),
                    "tag": (operation.get("tags") or ["other"])[0],
                    "parameters": [
                        (p["name"], p["in"], p.get("required", False))
                        for p in operation.get("parameters", [])
                    ],
                    "body": ", ".join(body),
                }
            )
    return page(request, "api_docs.html", {"endpoints": endpoints, "spec": spec})


@router.get("/healthz", include_in_schema=False)
async def health(me: Anyone) -> dict[str, str]:
    return {"status": "ok"}
