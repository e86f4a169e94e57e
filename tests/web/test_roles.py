"""Every route, walked as an anonymous visitor and as each role: who may call it is declared
once per route, enforced, and every API answer that is not a success is the error envelope."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute

from plainspoken.store import documents as store_docs
from plainspoken.store import jobs as store_jobs
from plainspoken.store import users as store_users
from plainspoken.store.models import ROLES
from plainspoken.web.routes import ROUTERS
from plainspoken.web.security import Public, Role

from .webtools import PASSWORDS, Client, assert_envelope


def declared(route: APIRoute) -> Role | Public:
    """The one Role or Public dependency of a route."""
    found = [d.call for d in route.dependant.dependencies if isinstance(d.call, Role | Public)]
    assert len(found) == 1, f"{route.path} declares {len(found)} access rules (needs one)"
    return found[0]


def routes(app: FastAPI) -> list[tuple[str, APIRoute]]:
    """Every (method, route) of the workbench's routers, which the app includes as they are."""
    found = [r for router in ROUTERS for r in router.routes]
    assert all(isinstance(r, APIRoute) for r in found)
    return sorted(
        ((method, r) for r in found if isinstance(r, APIRoute) for method in r.methods),
        key=lambda item: (item[1].path, item[0]),
    )


def test_every_route_declares_who_may_call_it(app: FastAPI) -> None:
    walked = routes(app)
    assert len(walked) > 40
    public = {r.path for _, r in walked if isinstance(declared(r), Public)}
    assert public == {
        "/login",
        "/logout",
        "/api/session",
        "/api/docs",
        "/healthz",
    }


def _fill(app: FastAPI, path: str) -> str:
    """The path with its parameters filled by fresh things to act on."""
    store = app.state.ctx.store
    values: dict[str, Any] = {
        "fmt": "json",
        "name": "nosuch",
        "export": "report.json",
        "slug": "x-0123abcd",
    }
    if "{doc_id}" in path:
        values["doc_id"] = store_docs.save_document(
            store, "Walked", "markdown", "it-practitioner", "We utilize tools.", None
        ).id
    if "{job_id}" in path:
        values["job_id"] = store_jobs.create_job(store, "import", "walked", {}, None).id
    if "{user_id}" in path:
        spare = f"spare{len(store_users.list_users(store))}"
        values["user_id"] = store_users.add_user(store, spare, "spare-password-1", "viewer").id
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)


def _call(client: Client, method: str, path: str, api: bool) -> Any:
    if method in ("GET", "HEAD"):
        return client.request(method, path, follow_redirects=False)
    if api:
        return client.request(method, path, json={}, follow_redirects=False)
    return client.request(method, path, data={}, follow_redirects=False)


@pytest.mark.parametrize("who", ["anonymous", *ROLES])
def test_walk_every_route(app: FastAPI, who: str) -> None:
    client = Client(app)
    try:
        if who == "anonymous":
            client.refresh_csrf()
        else:
            assert client.login(who, PASSWORDS[who]).status_code == 200
        for method, route in routes(app):
            if route.path in ("/logout",) or (route.path == "/api/session" and method != "GET"):
                continue  # logging out or in changes who is walking
            rule = declared(route)
            path = _fill(app, route.path)
            api = route.path.startswith("/api/")
            response = _call(client, method, path, api)
            where = f"{method} {path} as {who}"
            if isinstance(rule, Public):
                assert response.status_code not in (401, 403), where
            elif who == "anonymous":
                if api:
                    assert_envelope(response, 401, "login_required")
                elif method == "GET":
                    assert response.status_code == 303, where
                    assert response.headers["location"].startswith("/login?next="), where
                else:
                    assert response.status_code == 401, where
            elif ROLES.index(who) < ROLES.index(rule.role):
                if api:
                    assert_envelope(response, 403, "forbidden")
                else:
                    assert response.status_code == 403, where
                    assert f"needs the {rule.role} role" in response.text, where
            else:
                assert response.status_code not in (401, 403), f"{where}: {response.text}"
                assert response.status_code < 500, f"{where}: {response.text}"
            if api and response.status_code >= 400:
                assert_envelope(response, response.status_code)
    finally:
        client.close()


@pytest.mark.parametrize("who", ["anonymous", "viewer"])
def test_unsafe_requests_without_the_csrf_token_are_refused_everywhere(
    app: FastAPI, who: str
) -> None:
    client = Client(app)
    try:
        if who != "anonymous":
            client.login(who, PASSWORDS[who])
        for method, route in routes(app):
            if method in ("GET", "HEAD"):
                continue
            rule = declared(route)
            if who == "anonymous" and isinstance(rule, Role):
                continue  # refused for being anonymous first (walked above)
            if isinstance(rule, Role) and ROLES.index(who) < ROLES.index(rule.role):
                continue
            path = _fill(app, route.path)
            response = client.request(method, path, csrf=False, json={}, follow_redirects=False)
            if path.startswith("/api/"):
                assert_envelope(response, 403, "csrf_failed")
            else:
                assert response.status_code == 403, f"{method} {path}"
                assert "security token" in response.text
    finally:
        client.close()
