"""One error tree for the whole library, and the exit codes the CLI maps it to.

The library raises subclasses of :class:`PlainspokenError`; the faces (CLI, web) translate
them once, at the edge. Every message names the thing, the place and the fix.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes shared by every command."""

    OK = 0
    FINDINGS = 1
    USAGE = 2
    INTERRUPTED = 3


class PlainspokenError(Exception):
    """Base class of every error the library raises on purpose."""

    exit_code: ExitCode = ExitCode.USAGE


class UsageError(PlainspokenError):
    """The caller asked for something that does not exist or does not fit together."""


class InputError(PlainspokenError):
    """An input file cannot be read or understood."""

    def __init__(self, path: str, problem: str, fix: str = "") -> None:
        self.path = path
        self.problem = problem
        self.fix = fix
        text = f"{path}: {problem}"
        if fix:
            text += f" ({fix})"
        super().__init__(text)


class ConfigError(PlainspokenError):
    """A settings file or a setting's value is wrong."""


class RulePackError(PlainspokenError):
    """A rule pack (YAML) is malformed or a rule in it is invalid."""


class WorkspaceError(PlainspokenError):
    """A workspace folder is missing, unreadable or not a workspace."""


class DatasetError(PlainspokenError):
    """A community dataset is missing, incomplete or written by an incompatible version."""


class EngineError(PlainspokenError):
    """The analysis engine cannot start, or cannot run a named query."""


class AccessError(PlainspokenError):
    """Wrong credentials, too many failed logins, an expired session, a missing CSRF token, or
    a role that may not do this."""


class NotFoundError(PlainspokenError):
    """A saved document, job or account asked for by id does not exist."""
