"""Sign-in state, roles and CSRF: every route declares who may call it, once.

A route depends on ``Role("viewer" | "editor" | "admin")`` or ``Public()``. Both check the
CSRF token of unsafe requests (form field ``csrf_token`` or header ``X-CSRF-Token``); a role
also needs a live session of an account with that role or a higher one.
"""

from __future__ import annotations

import hmac
import secrets
import time
from typing import Any

from fastapi import Request

from plainspoken.errors import AccessError
from plainspoken.store import UserInfo
from plainspoken.store import users as store_users
from plainspoken.store.models import ROLES
from plainspoken.web.context import ctx

SESSION_COOKIE = "plainspoken_session"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class NotLoggedInError(AccessError):
    """No live session: never logged in, logged out, or the session expired."""


class ForbiddenError(AccessError):
    """Logged in, but the account's role may not do this."""


class CsrfError(AccessError):
    """An unsafe request without the page's CSRF token."""


class PasswordChangeError(AccessError):
    """The account logs in with a one-time password that must be changed first."""


def csrf_token(request: Request) -> str:
    """This session's CSRF token, made on first use."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def check_csrf(request: Request) -> None:
    if request.method not in UNSAFE:
        return
    sent = request.headers.get("x-csrf-token")
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get("csrf_token")
        sent = value if isinstance(value, str) else None
    expected = request.session.get("csrf")
    if not sent or not isinstance(expected, str) or not hmac.compare_digest(sent, expected):
        raise CsrfError(
            "the form's security token is missing or out of date (reload the page and submit again)"
        )


def log_in(request: Request, user: UserInfo) -> None:
    """Start a session for ``user`` (a new CSRF token too)."""
    request.session.clear()
    request.session["uid"] = user.id
    request.session["pw"] = user.password_changed_at.timestamp()
    request.session["csrf"] = secrets.token_urlsafe(32)
    request.session["at"] = time.time()


def log_out(request: Request) -> None:
    request.session.clear()


def expired(request: Request) -> bool:
    """Whether the session holds a login older than the ``session_hours`` setting."""
    at = request.session.get("at")
    hours = float(ctx(request).base_settings["session_hours"])
    return "uid" in request.session and (
        not isinstance(at, float) or time.time() - at > hours * 3600
    )


def current_user(request: Request) -> UserInfo | None:
    """The signed-in account, or None (no session, expired, or the password changed since)."""
    uid = request.session.get("uid")
    if not isinstance(uid, int) or expired(request):
        return None
    user = store_users.get_user(ctx(request).store, uid)
    stamp = request.session.get("pw")
    if user is None or not isinstance(stamp, float):
        return None
    if abs(user.password_changed_at.timestamp() - stamp) > 1e-3:
        return None  # the password changed: every older session ends
    return user


class Public:
    """Anyone may call the route (login pages, static files); unsafe requests need CSRF."""

    role = None

    async def __call__(self, request: Request) -> UserInfo | None:
        await check_csrf(request)
        return current_user(request)


class Role:
    """The route needs a signed-in account with ``role`` or a higher one."""

    def __init__(self, role: str, *, allow_password_change: bool = False) -> None:
        assert role in ROLES
        self.role = role
        self.allow_password_change = allow_password_change

    async def __call__(self, request: Request) -> UserInfo:
        user = current_user(request)
        if user is None:
            raise NotLoggedInError(
                "your session has expired: log in again"
                if expired(request)
                else "log in to use the workbench"
            )
        await check_csrf(request)
        if user.must_change_password and not self.allow_password_change:
            raise PasswordChangeError(
                "change the one-time password before using the workbench (Account page)"
            )
        if not user.can(self.role):
            raise ForbiddenError(
                f"this needs the {self.role} role; your account '{user.username}' is a "
                f"{user.role} (ask an administrator)"
            )
        return user

    def __repr__(self) -> str:
        return f"Role({self.role!r})"


viewer = Role("viewer")
editor = Role("editor")
admin = Role("admin")
account = Role("viewer", allow_password_change=True)
public = Public()


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def template_globals(request: Request) -> dict[str, Any]:
    """What every page template gets: the user and the CSRF token."""
    return {"user": current_user(request), "csrf": csrf_token(request)}
