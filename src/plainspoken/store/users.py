"""Accounts: argon2 password hashes, roles, login with throttling, password changes."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from plainspoken.errors import AccessError, UsageError
from plainspoken.store.database import Store
from plainspoken.store.models import ROLES, LoginFailure, User, now

USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
MIN_PASSWORD = 10
_HASHER = PasswordHasher()
_DUMMY_HASH = _HASHER.hash("not a password anyone has")


class LoginFailedError(AccessError):
    """The user name or the password is wrong."""


class ThrottledError(AccessError):
    """Too many failed logins for this name or from this client; wait before trying again."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class UserInfo:
    """An account as the faces see it (never the password hash)."""

    id: int
    username: str
    role: str
    must_change_password: bool
    password_changed_at: datetime
    created_at: datetime

    def can(self, role: str) -> bool:
        """Whether this account has ``role`` or a role above it."""
        return ROLES.index(self.role) >= ROLES.index(role)


def _info(user: User) -> UserInfo:
    return UserInfo(
        user.id,
        user.username,
        user.role,
        user.must_change_password,
        user.password_changed_at,
        user.created_at,
    )


def check_role(role: str) -> str:
    if role not in ROLES:
        raise UsageError(f"unknown role '{role}' (roles: {', '.join(ROLES)})")
    return role


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise UsageError(f"the password is too short: use at least {MIN_PASSWORD} characters")
    if len(password) > 1024:
        raise UsageError("the password is too long: use at most 1024 characters")
    return password


def add_user(
    store: Store, username: str, password: str, role: str, *, must_change: bool = False
) -> UserInfo:
    """Create an account; the name must be new."""
    if not USERNAME.fullmatch(username):
        raise UsageError(
            f"{username!r} cannot be a user name: use up to 64 letters, digits, '.', '_', '@' "
            "or '-', starting with a letter or digit"
        )
    check_role(role)
    check_password(password)
    with store.session() as session:
        if session.scalar(select(User).where(User.username == username)) is not None:
            raise UsageError(f"user '{username}' exists already (choose another name)")
        user = User(
            username=username,
            password_hash=_HASHER.hash(password),
            role=role,
            must_change_password=must_change,
            password_changed_at=now(),
            created_at=now(),
        )
        session.add(user)
        session.flush()
        return _info(user)


def get_user(store: Store, user_id: int) -> UserInfo | None:
    with store.session() as session:
        user = session.get(User, user_id)
        return None if user is None else _info(user)


def find_user(store: Store, username: str) -> UserInfo:
    with store.session() as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise UsageError(f"no user '{username}' (see `plainspoken users list`)")
        return _info(user)


def list_users(store: Store) -> list[UserInfo]:
    with store.session() as session:
        return [_info(u) for u in session.scalars(select(User).order_by(User.username))]


def count_users(store: Store) -> int:
    with store.session() as session:
        return int(session.scalar(select(func.count()).select_from(User)) or 0)


def authenticate(
    store: Store,
    username: str,
    password: str,
    client: str,
    *,
    limit: int = 5,
    window_minutes: float = 15,
) -> UserInfo:
    """The account when the password is right; ``LoginFailedError`` or ``ThrottledError`` otherwise.

    After ``limit`` failures within ``window_minutes`` for one name or from one client, every
    attempt (right or wrong) is refused until the oldest of them leaves the window.
    """
    since = now() - timedelta(minutes=window_minutes)
    with store.session() as session:
        failures = list(
            session.scalars(
                select(LoginFailure.at)
                .where(LoginFailure.at >= since)
                .where(or_(LoginFailure.username == username, LoginFailure.client == client))
                .order_by(LoginFailure.at)
            )
        )
        if len(failures) >= limit:
            wait = failures[-limit] + timedelta(minutes=window_minutes) - now()
            minutes = max(1, int(wait.total_seconds() // 60) + 1)
            raise ThrottledError(
                f"too many failed logins for '{username}' or from this address: try again in "
                f"{minutes} minute{'s' if minutes != 1 else ''}",
                int(wait.total_seconds()) + 1,
            )
        user = session.scalar(select(User).where(User.username == username))
        stored = user.password_hash if user is not None else _DUMMY_HASH
        try:
            ok = _HASHER.verify(stored, password) and user is not None
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok or user is None:
            session.add(LoginFailure(username=username[:64], client=client[:64], at=now()))
            session.commit()
            raise LoginFailedError("wrong user name or password (check both and try again)")
        session.execute(delete(LoginFailure).where(LoginFailure.username == username))
        if _HASHER.check_needs_rehash(user.password_hash):
            user.password_hash = _HASHER.hash(password)
        return _info(user)


def change_password(store: Store, user_id: int, old: str, new: str) -> UserInfo:
    """Change one's own password: the old one must be right and the new one different."""
    check_password(new)
    with store.session() as session:
        user = session.get(User, user_id)
        if user is None:
            raise AccessError("this account no longer exists (log in again)")
        try:
            _HASHER.verify(user.password_hash, old)
        except (VerificationError, InvalidHashError):
            raise LoginFailedError("the current password is wrong (type it again)") from None
        if old == new:
            raise UsageError("the new password is the same as the old one (choose another)")
        _set_password(user, new)
        return _info(user)


def _set_password(user: User, password: str) -> None:
    user.password_hash = _HASHER.hash(password)
    user.must_change_password = False
    user.password_changed_at = now()


def set_password(store: Store, username: str, password: str, *, must_change: bool = False) -> None:
    """Reset an account's password (an administrator's action; old sessions end)."""
    check_password(password)
    with store.session() as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise UsageError(f"no user '{username}' (see `plainspoken users list`)")
        _set_password(user, password)
        user.must_change_password = must_change


def _admins(session: Session) -> int:
    return int(
        session.scalar(select(func.count()).select_from(User).where(User.role == "admin")) or 0
    )


def set_role(store: Store, user_id: int, role: str) -> UserInfo:
    """Give an account another role; the last administrator keeps theirs."""
    check_role(role)
    with store.session() as session:
        user = session.get(User, user_id)
        if user is None:
            raise UsageError(f"no user with id {user_id}")
        if user.role == "admin" and role != "admin" and _admins(session) <= 1:
            raise UsageError(f"'{user.username}' is the last administrator and stays one")
        user.role = role
        return _info(user)


def remove_user(store: Store, user_id: int) -> None:
    """Delete an account (its documents and checks stay); the last administrator stays."""
    with store.session() as session:
        user = session.get(User, user_id)
        if user is None:
            raise UsageError(f"no user with id {user_id}")
        if user.role == "admin" and _admins(session) <= 1:
            raise UsageError(f"'{user.username}' is the last administrator and cannot be removed")
        session.delete(user)


def first_admin(store: Store) -> str | None:
    """When there is no account yet, create ``admin`` with a one-time password and return it
    (the holder must change it at first login); None when accounts exist."""
    if count_users(store):
        return None
    password = secrets.token_urlsafe(12)
    try:
        add_user(store, "admin", password, "admin", must_change=True)
    except UsageError:  # another worker created it at the same moment
        return None
    return password
