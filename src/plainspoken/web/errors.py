"""Errors translated once, at the edge: one JSON envelope for the API, one page for people.

The envelope is ``{"error": {"status": 404, "code": "not_found", "message": "..."}}``.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from plainspoken.errors import AccessError, NotFoundError, PlainspokenError
from plainspoken.store.users import LoginFailedError, ThrottledError
from plainspoken.web.security import (
    CsrfError,
    ForbiddenError,
    NotLoggedInError,
    PasswordChangeError,
)

log = logging.getLogger("plainspoken.web")


class TooLargeError(PlainspokenError):
    """A request body over the upload limit."""


class BadUploadError(PlainspokenError):
    """An upload that cannot be read: wrong kind of file, empty, or cut off."""


def classify(exc: Exception) -> tuple[int, str]:
    """The HTTP status and error code of an exception."""
    table: list[tuple[type[Exception], int, str]] = [
        (ThrottledError, 429, "throttled"),
        (LoginFailedError, 401, "login_failed"),
        (NotLoggedInError, 401, "login_required"),
        (CsrfError, 403, "csrf_failed"),
        (PasswordChangeError, 403, "password_change_required"),
        (ForbiddenError, 403, "forbidden"),
        (AccessError, 403, "forbidden"),
        (NotFoundError, 404, "not_found"),
        (TooLargeError, 413, "too_large"),
        (BadUploadError, 400, "bad_upload"),
        (PlainspokenError, 400, "bad_input"),
    ]
    for kind, status, code in table:
        if isinstance(exc, kind):
            return status, code
    return 500, "internal_error"


def envelope(status: int, code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": {"status": status, "code": code, "message": message, **extra}}


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


_HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    422: "invalid_request",
}


def _page(request: Request, status: int, code: str, message: str) -> Response:
    from plainspoken.web.render import page  # templates need the app's context

    if code in ("login_required",) and request.method == "GET":
        target = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
        return RedirectResponse(f"/login?next={target}&why={quote(message)}", status_code=303)
    if code == "password_change_required" and request.method == "GET":
        return RedirectResponse("/account", status_code=303)
    try:
        return page(
            request, "error.html", {"status": status, "code": code, "message": message}, status
        )
    except Exception:
        return Response(f"{status} {message}", status_code=status, media_type="text/plain")


def respond(request: Request, status: int, code: str, message: str) -> Response:
    headers = {"Retry-After": "60"} if status == 429 else None
    if is_api(request):
        return JSONResponse(envelope(status, code, message), status_code=status, headers=headers)
    response = _page(request, status, code, message)
    if headers:
        response.headers.update(headers)
    return response


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into the envelope or the error page."""

    async def library_error(request: Request, exc: Exception) -> Response:
        status, code = classify(exc)
        if isinstance(exc, ThrottledError):
            response = respond(request, status, code, str(exc))
            response.headers["Retry-After"] = str(exc.retry_after)
            return response
        if status == 500:
            log.exception("unexpected error on %s %s", request.method, request.url.path)
            return respond(request, 500, code, "something went wrong on the server (see its log)")
        return respond(request, status, code, str(exc))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        code = _HTTP_CODES.get(exc.status_code, f"http_{exc.status_code}")
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"no page or endpoint at {request.url.path}"
        return respond(request, exc.status_code, code, detail)

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        problems = []
        for item in exc.errors():
            where = ".".join(str(p) for p in item.get("loc", ()) if p != "body")
            problems.append(f"{where}: {item.get('msg', 'invalid')}")
        message = "the request is not valid: " + "; ".join(problems)
        return respond(request, 422, "invalid_request", message)

    app.add_exception_handler(PlainspokenError, library_error)
    app.add_exception_handler(Exception, library_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
