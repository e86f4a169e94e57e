"""The background worker: a thread that runs queued jobs one at a time and records progress.

Each server process runs one worker. Jobs are claimed through the app database, so several
processes never run the same job. When a server starts, jobs that a stopped server left
running are marked interrupted. A cancel request stops a job at its next progress report;
an import then keeps the dataset's previous version (``import_dataset`` swaps in a finished
dataset only).
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import shutil
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from plainspoken.errors import PlainspokenError
from plainspoken.store import JobInfo, Store
from plainspoken.store import jobs as store_jobs
from plainspoken.web.analyses import run_authenticity, run_influencers

log = logging.getLogger("plainspoken.web.jobs")
HOST = socket.gethostname()
_REPORT_EVERY = 0.25  # seconds between progress writes


class StoppedError(PlainspokenError):
    """A job stopped on request (cancel) or because the server is shutting down."""


def runner_name() -> str:
    return f"{HOST}:{os.getpid()}:{secrets.token_hex(4)}"


def runner_alive(runner: str) -> bool:
    """Whether the process that claimed a job may still be running it (jobs of other hosts
    are left alone; on this host, a process that is gone cannot be)."""
    host, _, rest = runner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != HOST or not pid_text.isdigit():
        return True
    pid = int(pid_text)
    if pid == os.getpid():
        return False  # this process has just started: it runs nothing yet
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _size(number: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if number < 1024 or unit == "GB":
            return f"{number:.0f} {unit}" if unit == "B" else f"{number:.1f} {unit}"
        number /= 1024
    return f"{number:.1f} GB"


JobFunction = Callable[[dict[str, Any], Callable[[float, str], None]], dict[str, Any]]


def run_import(params: dict[str, Any], report: Callable[[float, str], None]) -> dict[str, Any]:
    """An import job: ``import_dataset`` with its progress turned into a fraction."""

    def progress(done: int, total: int | None) -> None:
        if total:
            report(done / total, f"read {_size(done)} of {_size(total)}")
        else:
            report(0.0, f"read {_size(done)}")

    from plainspoken.community import import_dataset

    mapping = params.get("mapping")
    manifest = import_dataset(
        Path(params["source"]),
        str(params["format"]),
        str(params["name"]),
        Path(params["workspace"]),
        mapping=Path(mapping) if mapping else None,
        progress=progress,
    )
    return {"dataset": manifest["name"], "counts": manifest["counts"]}


JOBS: dict[str, JobFunction] = {
    "import": run_import,
    "authenticity": run_authenticity,
    "influencers": run_influencers,
}


class Worker:
    """Runs queued jobs in a daemon thread until ``stop``."""

    def __init__(self, store: Store, poll_seconds: float = 0.5) -> None:
        self.store = store
        self.poll_seconds = poll_seconds
        self.name = runner_name()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> list[int]:
        """Mark jobs a stopped server left running as interrupted, then start the thread."""
        interrupted = store_jobs.mark_interrupted(self.store, runner_alive)
        for job_id in interrupted:  # their uploads will not be read again
            upload = store_jobs.get_job(self.store, job_id).params.get("upload_dir")
            if upload:
                shutil.rmtree(upload, ignore_errors=True)
        self._thread = threading.Thread(target=self._loop, name="plainspoken-jobs", daemon=True)
        self._thread.start()
        return interrupted

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 10) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                job = store_jobs.claim_next(self.store, self.name)
            except Exception:  # the database may be briefly unreachable: try again
                log.exception("cannot look for queued jobs")
                job = None
            if job is None:
                self._wake.wait(self.poll_seconds)
                self._wake.clear()
                continue
            self.run(job)

    def run(self, job: JobInfo) -> None:
        """Run one claimed job to its end state."""
        last = 0.0

        def report(fraction: float, message: str) -> None:
            nonlocal last
            if self._stop.is_set():
                raise StoppedError("the server is shutting down")
            moment = time.monotonic()
            if moment - last < _REPORT_EVERY and fraction < 1:
                return
            last = moment
            if store_jobs.report_progress(self.store, job.id, fraction, message):
                raise StoppedError("cancelled")

        function = JOBS.get(job.kind)
        try:
            try:
                if function is None:
                    raise PlainspokenError(f"unknown job kind '{job.kind}'")
                result = function(job.params, report)
            finally:  # the upload goes before the job is seen to end
                upload = job.params.get("upload_dir")
                if upload:
                    with contextlib.suppress(OSError):
                        shutil.rmtree(upload)
        except StoppedError as exc:
            if str(exc) == "cancelled":
                store_jobs.finish_job(
                    self.store, job.id, "cancelled", "cancelled; nothing it had done was kept"
                )
            else:
                store_jobs.finish_job(
                    self.store,
                    job.id,
                    "interrupted",
                    "interrupted by a server shutdown; nothing half-done was kept",
                )
        except PlainspokenError as exc:
            store_jobs.finish_job(self.store, job.id, "failed", "failed", error=str(exc))
        except Exception as exc:  # a bug must not stop the worker: record it and go on
            log.exception("job %s failed", job.id)
            store_jobs.finish_job(
                self.store,
                job.id,
                "failed",
                "failed",
                error=f"unexpected error: {exc.__class__.__name__}: {exc}",
            )
        else:
            store_jobs.finish_job(self.store, job.id, "done", "done", result=result)
