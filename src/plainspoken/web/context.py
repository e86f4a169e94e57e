"""What every route needs: the workspace, its settings, the app database, the templates."""

from __future__ import annotations

import os
import secrets
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import Request
from fastapi.templating import Jinja2Templates

from plainspoken.config import Settings
from plainspoken.copy import Checker, build_checker
from plainspoken.errors import WorkspaceError
from plainspoken.store import Store
from plainspoken.store import overrides as store_overrides
from plainspoken.workspace import Workspace

HERE = Path(__file__).resolve().parent
SETTINGS_SECONDS = 2.0
"""How long a server process keeps the settings before reading them again (changes made in
another process show within this time)."""


@dataclass
class WebContext:
    """The workbench's state, one per app."""

    workspace: Workspace
    base_settings: Settings
    store: Store
    templates: Jinja2Templates
    secret: str
    uploads: Path
    _cached: tuple[float, Settings] | None = field(default=None, repr=False)
    _checkers: dict[str | None, tuple[Settings, Checker]] = field(default_factory=dict, repr=False)

    def settings(self) -> Settings:
        """The workspace's settings with the workbench's own changes laid over them (read
        from the app database at most every ``SETTINGS_SECONDS`` per server process)."""
        moment = time.monotonic()
        if self._cached is not None and moment - self._cached[0] < SETTINGS_SECONDS:
            return self._cached[1]
        value = store_overrides.apply(self.base_settings, self.store)
        self._cached = (moment, value)
        return value

    def settings_changed(self) -> None:
        """Forget the cached settings (this process changed them)."""
        self._cached = None
        self._checkers.clear()

    def checker(self, audience: str | None) -> Checker:
        """The compiled checker for ``audience`` under the current settings: kept while the
        settings object is the same, so that a request does not even compute the key of
        ``build_checker``'s own cache (which also watches the rule-pack files)."""
        settings = self.settings()
        kept = self._checkers.get(audience)
        if kept is not None and kept[0] is settings:
            return kept[1]
        compiled = build_checker(settings, audience)
        self._checkers[audience] = (settings, compiled)
        return compiled

    def import_roots(self) -> list[Path]:
        """The folders server-path imports may read from, resolved."""
        roots = []
        for name in self.base_settings["import_roots"]:
            path = Path(name)
            roots.append((path if path.is_absolute() else self.workspace.root / path).resolve())
        return roots


def ctx(request: Request) -> WebContext:
    """The app's context (set by ``create_app``)."""
    context: WebContext = request.app.state.ctx
    return context


def session_secret(workspace: Workspace, settings: Settings) -> str:
    """The key that signs session cookies: read from its file, or made and written with mode
    0600 the first time. A file others can read is refused."""
    configured = str(settings["session_secret_file"] or "")
    path = Path(configured) if configured else workspace.root / ".session-secret"
    if not path.is_absolute():
        path = workspace.root / path
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(48) + "\n")
    mode = path.stat().st_mode
    if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise WorkspaceError(
            f"{path}: the session key can be read by other users (run `chmod 600 {path}`)"
        )
    secret = path.read_text(encoding="utf-8").strip()
    if len(secret) < 32:
        raise WorkspaceError(f"{path}: the session key is too short (delete the file to renew it)")
    return secret
