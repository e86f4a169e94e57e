"""Log in, log out, change one's password; the session API."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlparse

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from plainspoken.errors import AccessError, UsageError
from plainspoken.store import LoginFailedError, ThrottledError, UserInfo
from plainspoken.store import users as store_users
from plainspoken.web.context import ctx
from plainspoken.web.render import page
from plainspoken.web.security import (
    account,
    client_address,
    csrf_token,
    current_user,
    log_in,
    log_out,
    public,
)

router = APIRouter()
Account = Annotated[UserInfo, Depends(account)]
Anyone = Annotated[UserInfo | None, Depends(public)]


def _local(target: str) -> str:
    """``target`` when it is a path on this site, else the home page (no open redirects)."""
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _authenticate(request: Request, username: str, password: str) -> UserInfo:
    context = ctx(request)
    return store_users.authenticate(
        context.store,
        username.strip(),
        password,
        client_address(request),
        limit=int(context.base_settings["login_attempts"]),
    )


@router.get("/login", include_in_schema=False)
async def login_page(request: Request, me: Anyone, next: str = "/", why: str = "") -> Response:
    return page(request, "login.html", {"next": _local(next), "message": why, "username": ""})


@router.post("/login", include_in_schema=False)
async def login_submit(
    request: Request,
    me: Anyone,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
) -> Response:
    try:
        user = _authenticate(request, username, password)
    except (LoginFailedError, ThrottledError) as exc:
        status = 429 if isinstance(exc, ThrottledError) else 401
        return page(
            request,
            "login.html",
            {"next": _local(next), "message": str(exc), "username": username, "error": True},
            status,
        )
    log_in(request, user)
    target = "/account" if user.must_change_password else _local(next)
    return RedirectResponse(target, status_code=303)


@router.post("/logout", include_in_schema=False)
async def logout_submit(request: Request, me: Anyone) -> Response:
    log_out(request)
    return RedirectResponse("/login?why=You+are+logged+out.", status_code=303)


@router.get("/account", include_in_schema=False)
async def account_page(request: Request, user: Account) -> Response:
    return page(request, "account.html", {"message": ""})


@router.post("/account/password", include_in_schema=False)
async def password_submit(
    request: Request,
    user: Account,
    current: Annotated[str, Form()],
    new: Annotated[str, Form()],
    repeat: Annotated[str, Form()],
) -> Response:
    try:
        if new != repeat:
            raise UsageError("the two new passwords differ (type the same one twice)")
        changed = store_users.change_password(ctx(request).store, user.id, current, new)
    except (UsageError, AccessError) as exc:
        return page(request, "account.html", {"message": str(exc), "error": True}, 400)
    log_in(request, changed)
    return page(request, "account.html", {"message": "Your password is changed."})


class Credentials(BaseModel):
    username: str = Field(max_length=64)
    password: str = Field(max_length=1024)


class PasswordChange(BaseModel):
    current: str
    new: str


def _session(request: Request, user: UserInfo | None) -> dict[str, Any]:
    who = None
    if user is not None:
        who = {
            "id": user.id,
            "username": user.username,
            "role": user.role,
            "must_change_password": user.must_change_password,
        }
    return {"user": who, "csrf_token": csrf_token(request)}


@router.get("/api/session", tags=["session"])
async def api_session(request: Request, me: Anyone) -> dict[str, Any]:
    """Who is logged in, and the CSRF token to send as ``X-CSRF-Token`` on changes."""
    return _session(request, current_user(request))


@router.post("/api/session", tags=["session"])
async def api_login(request: Request, body: Credentials, me: Anyone) -> dict[str, Any]:
    """Log in (send the CSRF token from ``GET /api/session``); sets the session cookie."""
    user = _authenticate(request, body.username, body.password)
    log_in(request, user)
    return _session(request, user)


@router.delete("/api/session", tags=["session"])
async def api_logout(request: Request, me: Anyone) -> JSONResponse:
    """Log out."""
    log_out(request)
    return JSONResponse({"user": None})


@router.post("/api/password", tags=["session"])
async def api_password(request: Request, body: PasswordChange, user: Account) -> dict[str, Any]:
    """Change one's own password (other sessions of the account end)."""
    changed = store_users.change_password(ctx(request).store, user.id, body.current, body.new)
    log_in(request, changed)
    return _session(request, changed)
