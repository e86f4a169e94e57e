"""Background jobs: persisted status, progress, result or error, and cancel requests.

A worker claims a queued job (only one worker can), reports progress, and ends it as done,
failed or cancelled. A job left running by a server that stopped is marked interrupted when
a server starts again: it is never silently lost.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from plainspoken.errors import NotFoundError, UsageError
from plainspoken.store.database import Store
from plainspoken.store.models import FINISHED, Job, User, now


@dataclass(frozen=True)
class JobInfo:
    id: int
    kind: str
    title: str
    status: str
    progress: float
    message: str
    params: dict[str, Any]
    result: dict[str, Any] | None
    error: str | None
    cancel_requested: bool
    user: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    def to_dict(self) -> dict[str, Any]:
        def iso(moment: datetime | None) -> str | None:
            return None if moment is None else moment.isoformat().replace("+00:00", "Z")

        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "status": self.status,
            "progress": self.progress,
            "message": self.message,
            "params": self.params,
            "result": self.result,
            "error": self.error,
            "cancel_requested": self.cancel_requested,
            "user": self.user,
            "created_at": iso(self.created_at),
            "started_at": iso(self.started_at),
            "finished_at": iso(self.finished_at),
        }


def _info(job: Job, user: User | None) -> JobInfo:
    return JobInfo(
        job.id,
        job.kind,
        job.title,
        job.status,
        job.progress,
        job.message,
        json.loads(job.params),
        None if job.result is None else json.loads(job.result),
        job.error,
        job.cancel_requested,
        user.username if user else None,
        job.created_at,
        job.started_at,
        job.finished_at,
    )


def create_job(
    store: Store, kind: str, title: str, params: dict[str, Any], user_id: int | None
) -> JobInfo:
    """Queue a job."""
    with store.session() as session:
        job = Job(
            kind=kind,
            title=title[:200],
            status="queued",
            progress=0.0,
            message="waiting for the worker",
            params=json.dumps(params),
            cancel_requested=False,
            user_id=user_id,
            created_at=now(),
        )
        session.add(job)
        session.flush()
    return get_job(store, job.id)


def get_job(store: Store, job_id: int) -> JobInfo:
    with store.session() as session:
        job = session.get(Job, job_id)
        if job is None:
            raise NotFoundError(f"no job with id {job_id}")
        return _info(job, session.get(User, job.user_id) if job.user_id else None)


def list_jobs(store: Store, limit: int = 100) -> list[JobInfo]:
    """The newest jobs first."""
    with store.session() as session:
        rows = session.execute(
            select(Job, User)
            .outerjoin(User, User.id == Job.user_id)
            .order_by(Job.id.desc())
            .limit(limit)
        ).all()
        return [_info(job, user) for job, user in rows]


def claim_next(store: Store, runner: str) -> JobInfo | None:
    """Take the oldest queued job for ``runner``; None when there is none."""
    with store.session() as session:
        ids = list(
            session.scalars(select(Job.id).where(Job.status == "queued").order_by(Job.id).limit(5))
        )
    for job_id in ids:
        with store.session() as session:
            claimed = session.execute(
                update(Job)
                .where(Job.id == job_id, Job.status == "queued")
                .values(status="running", runner=runner, started_at=now(), message="starting")
            )
            won = getattr(claimed, "rowcount", 0) == 1
        if won:
            return get_job(store, job_id)
    return None


def report_progress(store: Store, job_id: int, progress: float, message: str) -> bool:
    """Record a running job's progress (0 to 1); returns whether a cancel was asked for."""
    with store.session() as session:
        session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == "running")
            .values(progress=max(0.0, min(1.0, progress)), message=message)
        )
        return bool(session.scalar(select(Job.cancel_requested).where(Job.id == job_id)))


def finish_job(
    store: Store,
    job_id: int,
    status: str,
    message: str,
    *,
    result: dict[str, Any] | None = None,
    error: str | None = None,
) -> JobInfo:
    """End a job as done, failed, cancelled or interrupted."""
    if status not in FINISHED:
        raise UsageError(f"'{status}' is not a finished state ({', '.join(FINISHED)})")
    values: dict[str, Any] = {
        "status": status,
        "message": message,
        "finished_at": now(),
        "result": None if result is None else json.dumps(result),
        "error": error,
    }
    if status == "done":
        values["progress"] = 1.0
    with store.session() as session:
        session.execute(update(Job).where(Job.id == job_id).values(**values))
    return get_job(store, job_id)


def cancel_job(store: Store, job_id: int) -> JobInfo:
    """Cancel a queued job at once, or ask a running one to stop at its next progress report."""
    with store.session() as session:
        job = session.get(Job, job_id)
        if job is None:
            raise NotFoundError(f"no job with id {job_id}")
        if job.status in FINISHED:
            raise UsageError(f"job {job_id} has already ended ({job.status}); nothing to cancel")
        if job.status == "queued":
            job.status = "cancelled"
            job.message = "cancelled before it started"
            job.finished_at = now()
        else:
            job.cancel_requested = True
            job.message = "cancelling…"
    return get_job(store, job_id)


def mark_interrupted(store: Store, alive: Callable[[str], bool]) -> list[int]:
    """Mark running jobs whose runner is gone (``alive(runner)`` is False) as interrupted."""
    marked: list[int] = []
    with store.session() as session:
        for job in session.scalars(select(Job).where(Job.status == "running")):
            if job.runner and alive(job.runner):
                continue
            job.status = "interrupted"
            job.message = (
                "interrupted: the server stopped while this job ran; nothing half-done was "
                "kept — start it again"
            )
            job.finished_at = now()
            marked.append(job.id)
    return marked
