"""The web workbench: ``create_app`` builds the FastAPI app over one workspace."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from html import escape
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from plainspoken import __version__
from plainspoken.config import Settings, load_settings
from plainspoken.store import database_url, open_store
from plainspoken.web import errors
from plainspoken.web.context import HERE, WebContext, session_secret
from plainspoken.web.errors import TooLargeError
from plainspoken.web.jobs import Worker
from plainspoken.web.render import setup_filters
from plainspoken.web.routes import ROUTERS
from plainspoken.web.security import SESSION_COOKIE
from plainspoken.workspace import open_workspace

WORKSPACE_ENV = "PLAINSPOKEN_WORKSPACE"


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes: at once when Content-Length says so,
    otherwise as soon as the streamed body passes it."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit
        mb = f"{limit / 1_048_576:.0f} MB"
        for key, value in scope.get("headers", []):
            if key == b"content-length" and value.isdigit() and int(value) > limit:
                await self._refuse(scope, receive, send, mb)
                return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise TooLargeError(f"the upload is over the {mb} limit (upload_mb setting)")
            return message

        await self.app(scope, counted, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, mb: str) -> None:
        message = f"the upload is over the {mb} limit (upload_mb setting)"
        response: Response
        if scope.get("path", "").startswith("/api/"):
            response = JSONResponse(errors.envelope(413, "too_large", message), status_code=413)
        else:
            response = HTMLResponse(
                f"<!doctype html><title>Too large</title><p>{escape(message)}. "
                '<a href="/">Back to the workbench</a></p>',
                status_code=413,
            )
        await response(scope, receive, send)


class SecurityHeaders:
    """Headers that keep pages from being framed, sniffed or running outside scripts."""

    POLICY = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", self.POLICY.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"same-origin"),
                ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


def create_app(
    workspace: Path,
    settings: Settings | None = None,
    *,
    worker: bool = True,
    secure_cookies: bool = False,
) -> FastAPI:
    """The workbench for ``workspace`` (an existing workspace folder).

    ``worker`` starts the background job worker with the app (on its lifespan);
    ``secure_cookies`` marks the session cookie Secure (behind HTTPS).
    """
    ws = open_workspace(workspace)
    resolved = settings or load_settings(start=ws.root)
    store = open_store(database_url(ws, resolved))
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    setup_filters(templates.env)
    uploads = ws.root / "uploads"
    uploads.mkdir(exist_ok=True)
    context = WebContext(ws, resolved, store, templates, session_secret(ws, resolved), uploads)
    job_worker = Worker(store) if worker else None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if job_worker is not None:
            job_worker.start()
        try:
            yield
        finally:
            if job_worker is not None:
                job_worker.stop()
            store.close()

    app = FastAPI(
        title="plainspoken workbench",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    app.state.ctx = context
    app.state.worker = job_worker
    errors.install(app)
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.add_middleware(
        SessionMiddleware,
        secret_key=context.secret,
        session_cookie=SESSION_COOKIE,
        # the cookie outlives the session, so that an expired login can be told apart from
        # no login at all; the session's own age is checked on every request (security.py)
        max_age=int(float(resolved["session_hours"]) * 3600) + 14 * 86_400,
        same_site="lax",
        https_only=secure_cookies,
    )
    app.add_middleware(BodyLimit, limit=int(float(resolved["upload_mb"]) * 1_048_576))
    app.add_middleware(SecurityHeaders)
    return app


def app_from_environment() -> FastAPI:
    """For ``uvicorn --factory`` with several workers: the workspace comes from
    ``PLAINSPOKEN_WORKSPACE`` (and a settings file from ``PLAINSPOKEN_CONFIG``)."""
    config = os.environ.get("PLAINSPOKEN_CONFIG")
    workspace = Path(os.environ.get(WORKSPACE_ENV, "."))
    settings = load_settings(Path(config), start=workspace) if config else None
    secure = os.environ.get("PLAINSPOKEN_SECURE_COOKIES") == "1"
    return create_app(workspace, settings, secure_cookies=secure)
