"""Saved documents and the history of their checks (score, findings, the report as JSON)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from plainspoken.errors import NotFoundError, UsageError
from plainspoken.store.database import Store
from plainspoken.store.models import Check, Document, User, now

MAX_TITLE = 200


@dataclass(frozen=True)
class DocumentInfo:
    id: int
    title: str
    kind: str
    audience: str
    text: str
    owner: str | None
    created_at: datetime
    updated_at: datetime
    last_score: int | None = None
    checks: int = 0


@dataclass(frozen=True)
class CheckInfo:
    id: int
    document_id: int
    audience: str
    score: int
    words: int
    findings: int
    user: str | None
    created_at: datetime
    report: dict[str, Any]


def _title(title: str) -> str:
    cleaned = " ".join(title.split())
    if not cleaned:
        raise UsageError("a saved document needs a title (type one in the Title field)")
    if len(cleaned) > MAX_TITLE:
        raise UsageError(f"the title is {len(cleaned)} characters long; use at most {MAX_TITLE}")
    return cleaned


def save_document(
    store: Store, title: str, kind: str, audience: str, text: str, owner_id: int | None
) -> DocumentInfo:
    """Save a new document."""
    with store.session() as session:
        doc = Document(
            title=_title(title),
            kind=kind,
            audience=audience,
            text=text,
            owner_id=owner_id,
            created_at=now(),
            updated_at=now(),
        )
        session.add(doc)
        session.flush()
        return _doc(session.get(User, owner_id) if owner_id else None, doc)


def _doc(owner: User | None, doc: Document, score: int | None = None, n: int = 0) -> DocumentInfo:
    return DocumentInfo(
        doc.id,
        doc.title,
        doc.kind,
        doc.audience,
        doc.text,
        owner.username if owner else None,
        doc.created_at,
        doc.updated_at,
        score,
        n,
    )


def get_document(store: Store, document_id: int) -> DocumentInfo:
    """One saved document, or a message saying it does not exist."""
    with store.session() as session:
        doc = session.get(Document, document_id)
        if doc is None:
            raise NotFoundError(f"no saved document with id {document_id}")
        owner = session.get(User, doc.owner_id) if doc.owner_id else None
        n = session.scalar(select(func.count()).where(Check.document_id == doc.id)) or 0
        last = session.scalar(
            select(Check.score)
            .where(Check.document_id == doc.id)
            .order_by(Check.created_at.desc(), Check.id.desc())
            .limit(1)
        )
        return _doc(owner, doc, last, int(n))


def update_document(
    store: Store,
    document_id: int,
    *,
    text: str | None = None,
    audience: str | None = None,
    title: str | None = None,
) -> DocumentInfo:
    """Change a saved document's text, audience or title."""
    with store.session() as session:
        doc = session.get(Document, document_id)
        if doc is None:
            raise NotFoundError(f"no saved document with id {document_id}")
        if text is not None:
            doc.text = text
        if audience is not None:
            doc.audience = audience
        if title is not None:
            doc.title = _title(title)
        doc.updated_at = now()
    return get_document(store, document_id)


def list_documents(store: Store) -> list[DocumentInfo]:
    """Every saved document, the most recently changed first, with its latest score."""
    with store.session() as session:
        latest = (
            select(Check.document_id, func.max(Check.id).label("last_id"), func.count().label("n"))
            .group_by(Check.document_id)
            .subquery()
        )
        rows = session.execute(
            select(Document, User, Check.score, latest.c.n)
            .outerjoin(User, User.id == Document.owner_id)
            .outerjoin(latest, latest.c.document_id == Document.id)
            .outerjoin(Check, Check.id == latest.c.last_id)
            .order_by(Document.updated_at.desc(), Document.id.desc())
        ).all()
        return [_doc(owner, doc, score, int(n or 0)) for doc, owner, score, n in rows]


def delete_document(store: Store, document_id: int) -> None:
    with store.session() as session:
        doc = session.get(Document, document_id)
        if doc is None:
            raise NotFoundError(f"no saved document with id {document_id}")
        session.delete(doc)


def record_check(
    store: Store, document_id: int, user_id: int | None, report: dict[str, Any]
) -> CheckInfo:
    """Keep one check of a saved document (``report`` is one file's ``FileReport.to_dict``)."""
    with store.session() as session:
        if session.get(Document, document_id) is None:
            raise NotFoundError(f"no saved document with id {document_id}")
        row = Check(
            document_id=document_id,
            user_id=user_id,
            audience=str(report["audience"]),
            score=int(report["score"]),
            words=int(report["words"]),
            findings=len(report["findings"]),
            report=json.dumps(report),
            created_at=now(),
        )
        session.add(row)
        session.flush()
        user = session.get(User, user_id) if user_id else None
        return _check(row, user)


def _check(row: Check, user: User | None) -> CheckInfo:
    return CheckInfo(
        row.id,
        row.document_id,
        row.audience,
        row.score,
        row.words,
        row.findings,
        user.username if user else None,
        row.created_at,
        json.loads(row.report),
    )


def history(store: Store, document_id: int) -> list[CheckInfo]:
    """The checks of one document, oldest first."""
    with store.session() as session:
        rows = session.execute(
            select(Check, User)
            .outerjoin(User, User.id == Check.user_id)
            .where(Check.document_id == document_id)
            .order_by(Check.created_at, Check.id)
        ).all()
        return [_check(row, user) for row, user in rows]
