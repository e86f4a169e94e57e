"""Translate library errors to one-line messages and named exit codes, in one place."""

from __future__ import annotations

import sys

import click
import typer

from plainspoken.errors import ExitCode, PlainspokenError


def run_safely(app: typer.Typer) -> int:
    """Run the Typer app and return the process exit code."""
    try:
        result = app(standalone_mode=False)
    except PlainspokenError as exc:
        print(f"plainspoken: {exc}", file=sys.stderr)
        return int(exc.exit_code)
    except click.exceptions.Exit as exc:
        if exc.exit_code == 130:  # Typer turns Ctrl-C into exit 130; ours is INTERRUPTED
            print("plainspoken: interrupted", file=sys.stderr)
            return int(ExitCode.INTERRUPTED)
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return int(ExitCode.USAGE)
    except click.exceptions.Abort:
        print("plainspoken: interrupted", file=sys.stderr)
        return int(ExitCode.INTERRUPTED)
    except KeyboardInterrupt:
        print("plainspoken: interrupted", file=sys.stderr)
        return int(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        return int(ExitCode.OK)
    return result if isinstance(result, int) else int(ExitCode.OK)
