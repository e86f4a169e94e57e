"""Administration: accounts and roles; workspace settings (vocabularies, audiences, packs)."""

from __future__ import annotations

import tomllib
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from plainspoken.copy import all_audiences, build_checker, parse_pack
from plainspoken.errors import ConfigError, UsageError
from plainspoken.store import ROLES, UserInfo
from plainspoken.store import overrides as store_overrides
from plainspoken.store import users as store_users
from plainspoken.web.context import WebContext, ctx
from plainspoken.web.errors import BadUploadError
from plainspoken.web.render import page
from plainspoken.web.security import admin
from plainspoken.web.uploads import read_upload, safe_filename

router = APIRouter()
Admin = Annotated[UserInfo, Depends(admin)]
LISTS = ("vocabulary_accept", "vocabulary_reject", "disable")


def _user_json(user: UserInfo) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "role": user.role,
        "must_change_password": user.must_change_password,
        "created_at": user.created_at.isoformat(),
    }


@router.get("/users", include_in_schema=False)
async def users_page(request: Request, user: Admin) -> Response:
    return page(
        request, "users.html", {"users": store_users.list_users(ctx(request).store), "roles": ROLES}
    )


@router.post("/users", include_in_schema=False)
async def add_user_page(
    request: Request,
    user: Admin,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    role: Annotated[str, Form()],
) -> Response:
    store_users.add_user(ctx(request).store, username.strip(), password, role, must_change=True)
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{user_id}/role", include_in_schema=False)
async def role_page(
    request: Request, user_id: int, user: Admin, role: Annotated[str, Form()]
) -> Response:
    store_users.set_role(ctx(request).store, user_id, role)
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{user_id}/delete", include_in_schema=False)
async def delete_user_page(request: Request, user_id: int, user: Admin) -> Response:
    store_users.remove_user(ctx(request).store, user_id)
    return RedirectResponse("/users", status_code=303)


def _settings_view(context: WebContext) -> dict[str, Any]:
    settings = context.settings()
    custom = settings["audiences"]
    return {
        "settings": settings,
        "lists": {name: "\n".join(settings[name]) for name in LISTS},
        "audiences": list(all_audiences(custom).values()),
        "custom_audiences": _toml(custom),
        "packs": list(settings["rule_packs"]),
        "overridden": sorted(store_overrides.overrides(context.store)),
    }


def _toml(tables: dict[str, Any]) -> str:
    """Custom audiences as TOML tables, for the settings form."""
    import json

    lines: list[str] = []
    for name, table in tables.items():
        lines.append(f"[{name}]")
        for key, value in table.items():
            lines.append(f"{key} = {json.dumps(value)}")
        lines.append("")
    return "\n".join(lines)


def change_settings(context: WebContext, changes: dict[str, Any]) -> None:
    """Validate every change together (the rules must still compile), then keep them."""
    settings = context.settings()
    trial = settings.with_overrides(**changes)
    build_checker(trial, None)  # raises ConfigError / RulePackError on a bad combination
    all_audiences(trial["audiences"])
    for name, value in changes.items():
        if value != settings[name]:  # only what changed is laid over the settings file
            store_overrides.set_setting(context.store, settings, name, value)
    context.settings_changed()


@router.get("/settings", include_in_schema=False)
async def settings_page(request: Request, user: Admin) -> Response:
    return page(request, "settings.html", _settings_view(ctx(request)))


@router.post("/settings", include_in_schema=False)
async def settings_submit(
    request: Request,
    user: Admin,
    audience: Annotated[str, Form()],
    vocabulary_accept: Annotated[str, Form()] = "",
    vocabulary_reject: Annotated[str, Form()] = "",
    disable: Annotated[str, Form()] = "",
    audiences: Annotated[str, Form()] = "",
) -> Response:
    lines = {
        "vocabulary_accept": vocabulary_accept,
        "vocabulary_reject": vocabulary_reject,
        "disable": disable,
    }
    changes: dict[str, Any] = {
        name: [line.strip() for line in text.splitlines() if line.strip()]
        for name, text in lines.items()
    }
    try:
        changes["audiences"] = tomllib.loads(audiences)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"custom audiences: not valid TOML ({exc})") from exc
    changes["audience"] = audience
    change_settings(ctx(request), changes)
    return RedirectResponse("/settings?saved=1", status_code=303)


@router.post("/settings/packs", include_in_schema=False)
async def pack_upload(request: Request, user: Admin, file: UploadFile) -> Response:
    """Add a YAML rule pack: checked with the rule-pack parser before it is kept."""
    context = ctx(request)
    name = safe_filename(file.filename, "pack.yaml")
    if not name.endswith((".yaml", ".yml")):
        raise BadUploadError(f"{name}: a rule pack is a .yaml file")
    data = await read_upload(file, 1_048_576, "a rule pack")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadUploadError(f"{name}: not UTF-8 text (save the pack as UTF-8)") from exc
    parse_pack(text, name)  # raises RulePackError naming the line
    folder = context.workspace.root / "rule-packs"
    folder.mkdir(exist_ok=True)
    target = folder / name
    target.write_text(text, encoding="utf-8")
    packs = [p for p in context.settings()["rule_packs"] if p != str(target)]
    try:
        change_settings(context, {"rule_packs": [*packs, str(target)]})
    except Exception:
        target.unlink(missing_ok=True)
        raise
    return RedirectResponse("/settings?saved=1", status_code=303)


@router.post("/settings/packs/remove", include_in_schema=False)
async def pack_remove(request: Request, user: Admin, path: Annotated[str, Form()]) -> Response:
    context = ctx(request)
    packs = list(context.settings()["rule_packs"])
    if path not in packs:
        raise UsageError(f"'{path}' is not one of the rule packs in use")
    change_settings(context, {"rule_packs": [p for p in packs if p != path]})
    return RedirectResponse("/settings?saved=1", status_code=303)


class NewUser(BaseModel):
    username: str = Field(max_length=64)
    password: str
    role: str = "viewer"


class UserChange(BaseModel):
    role: str


@router.get("/api/users", tags=["admin"])
async def api_users(request: Request, user: Admin) -> list[dict[str, Any]]:
    """Every account (admins only)."""
    return [_user_json(u) for u in store_users.list_users(ctx(request).store)]


@router.post("/api/users", tags=["admin"], status_code=201)
async def api_add_user(request: Request, body: NewUser, user: Admin) -> JSONResponse:
    """Create an account; its holder must change the password at first login."""
    created = store_users.add_user(
        ctx(request).store, body.username, body.password, body.role, must_change=True
    )
    return JSONResponse(_user_json(created), status_code=201)


@router.patch("/api/users/{user_id}", tags=["admin"])
async def api_set_role(
    request: Request, user_id: int, body: UserChange, user: Admin
) -> dict[str, Any]:
    """Change an account's role."""
    return _user_json(store_users.set_role(ctx(request).store, user_id, body.role))


@router.delete("/api/users/{user_id}", tags=["admin"], status_code=204)
async def api_remove_user(request: Request, user_id: int, user: Admin) -> Response:
    """Delete an account (the last administrator stays)."""
    store_users.remove_user(ctx(request).store, user_id)
    return Response(status_code=204)


@router.get("/api/settings", tags=["admin"])
async def api_settings(request: Request, user: Admin) -> dict[str, Any]:
    """The settings in force, and which of them the workbench changed."""
    context = ctx(request)
    return {
        "settings": dict(context.settings().values),
        "changed_here": sorted(store_overrides.overrides(context.store)),
        "editable": list(store_overrides.EDITABLE),
    }


@router.put("/api/settings", tags=["admin"])
async def api_change_settings(
    request: Request, body: dict[str, Any], user: Admin
) -> dict[str, Any]:
    """Change editable settings (vocabularies, disabled rules, audiences, rule packs)."""
    for name in body:
        if name not in store_overrides.EDITABLE:
            raise UsageError(
                f"'{name}' cannot be changed here (editable: {', '.join(store_overrides.EDITABLE)})"
            )
    change_settings(ctx(request), body)
    return dict(ctx(request).settings().values)
