"""Reddit: Pushshift-style NDJSON of submissions and comments, plain or zstandard-compressed.

Ids are Reddit's full names (``t3_abc`` for a submission, ``t1_xyz`` for a comment), so a
comment's ``parent_id`` and ``link_id`` point at posts as they are. A submission is a thread
and its ``question`` post (thread id = the submission's full name); a comment on the submission
is an ``answer``, a comment on a comment a ``reply``. Authors are accounts keyed by username
(deleted authors have none), created when Pushshift recorded ``author_created_utc``. The
subreddit is the thread's tag. Bodies are Markdown: ``text`` holds them decoded, ``html`` is
empty. Reddit's dumps have no votes, so there are no reactions: ``score`` is on the post.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from plainspoken.community.dataset import BATCH_ROWS, Staging
from plainspoken.community.importers.base import ImportResult, Progress
from plainspoken.community.importers.linkrows import LinkRows
from plainspoken.community.importers.rows import RowBatch
from plainspoken.community.links import canonical
from plainspoken.community.markup import plain_to_text
from plainspoken.community.values import Where, epoch_times, integers, strings
from plainspoken.errors import InputError

SUFFIXES = (".zst", ".ndjson", ".jsonl", ".json", ".txt")
_DELETED = {"[deleted]", "[removed]", ""}
_THREAD_LINK = re.compile(
    r"^https?://(?:[a-z0-9-]+\.)?(?:reddit\.com/(?:r/[^/]+/)?comments/|redd\.it/)([a-z0-9]+)"
)
_WINDOW = 1 << 31  # Pushshift archives use long zstandard windows

POST_FIELDS = ("id", "thread_id", "parent_id", "kind", "author_id", "created_at", "text", "score")


def target(canonical_url: str, domain: str) -> tuple[str | None, str | None]:
    """A link to a Reddit thread points to thread ``t3_ID``."""
    if "reddit" not in domain and domain != "redd.it":
        return None, None
    match = _THREAD_LINK.match(canonical_url)
    return (f"t3_{match.group(1)}", None) if match else (None, None)


def _full_name(record: dict[str, Any], prefix: str) -> str | None:
    name = record.get("name")
    if isinstance(name, str) and name.startswith(prefix):
        return name
    raw = record.get("id")
    return None if raw in (None, "") else f"{prefix}{raw}"


def _author(record: dict[str, Any]) -> str | None:
    author = record.get("author")
    return None if author is None or str(author) in _DELETED else str(author)


class _Stream:
    """Lines of one file, decompressed on the fly when it ends in ``.zst``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.raw: IO[bytes] = path.open("rb")

    def lines(self) -> Iterator[bytes]:
        if self.path.suffix.lower() != ".zst":
            yield from self.raw
            return
        import zstandard

        try:
            yield from self._zst_lines(zstandard.ZstdDecompressor(max_window_size=_WINDOW))
        except zstandard.ZstdError as exc:
            raise InputError(
                str(self.path), f"damaged zstandard data ({exc})", "download the file again"
            ) from None

    def _zst_lines(self, context: Any) -> Iterator[bytes]:
        """Lines of one or more zstandard frames; a frame cut short is an error, not an end."""
        frame = context.decompressobj()
        fed = False
        tail = b""
        while chunk := self.raw.read(1 << 20):
            while chunk:
                data = frame.decompress(chunk)
                fed = True
                if data:
                    *whole, tail = (tail + data).split(b"\n")
                    yield from whole
                if frame.eof:
                    chunk, frame, fed = frame.unused_data, context.decompressobj(), False
                else:
                    chunk = b""
        if fed and not frame.eof:
            raise InputError(
                str(self.path), "the zstandard data ends early (truncated)", "download it again"
            )
        if tail:
            yield tail

    def position(self) -> int:
        return self.raw.tell()

    def close(self) -> None:
        self.raw.close()


class _Writer:
    def __init__(self, staging: Staging, label: str, batch_rows: int) -> None:
        self.label = label
        self.posts_part = staging.part("posts", label)
        self.threads_part = staging.part("threads", label)
        self.authors_part = staging.part("accounts", label, derived=True)
        self.links = LinkRows(staging.part("links", label), target)
        self.posts = RowBatch((*POST_FIELDS, "url"), self._posts, batch_rows)
        self.threads = RowBatch(
            ("id", "title", "tags", "created_at", "author_id", "answer_count"),
            self._threads,
            batch_rows,
        )
        self.authors = RowBatch(("id", "name", "created_at"), self._authors, batch_rows)

    def _posts(self, c: dict[str, list[Any]], where: Where) -> None:
        texts = [plain_to_text(t) for t in c["text"]]
        for post_id, text, url in zip(c["id"], texts, c["url"], strict=True):
            if url:
                link = canonical(url)
                if link is not None:
                    self.links.add_link(post_id, link.url, link.canonical_url, link.domain)
            if text and "http" in text:
                self.links.add(post_id, None, text)
        self.links.write()
        self.posts_part.add(
            {
                **{k: strings(c[k]) for k in ("id", "thread_id", "parent_id", "kind", "author_id")},
                "created_at": epoch_times(c["created_at"], "created_utc", where),
                "text": strings(texts),
                "score": integers(c["score"], "score", where),
            }
        )

    def _threads(self, c: dict[str, list[Any]], where: Where) -> None:
        import pyarrow as pa

        self.threads_part.add(
            {
                "id": strings(c["id"]),
                "title": strings([plain_to_text(t) for t in c["title"]]),
                "tags": pa.array(c["tags"], pa.list_(pa.string())),
                "created_at": epoch_times(c["created_at"], "created_utc", where),
                "author_id": strings(c["author_id"]),
                "answer_count": integers(c["answer_count"], "num_comments", where),
            }
        )

    def _authors(self, c: dict[str, list[Any]], where: Where) -> None:
        self.authors_part.add(
            {
                "id": strings(c["id"]),
                "name": strings(c["name"]),
                "created_at": epoch_times(c["created_at"], "author_created_utc", where),
            }
        )

    def record(self, record: dict[str, Any], place: str, result: ImportResult) -> None:
        author = _author(record)
        if "link_id" in record or ("body" in record and "title" not in record):
            post_id = _full_name(record, "t1_")
            thread = record.get("link_id")
            parent = record.get("parent_id") or thread
            kind = "answer" if str(parent).startswith("t3_") else "reply"
            text, url = record.get("body"), None
        elif "title" in record:
            post_id = thread = _full_name(record, "t3_")
            parent, kind, text = None, "question", record.get("selftext")
            url = None if record.get("is_self") else record.get("url")
            subreddit = record.get("subreddit")
            self.threads.add(
                place, id=post_id, title=record.get("title"), tags=[subreddit] if subreddit else [],
                created_at=record.get("created_utc"), author_id=author,
                answer_count=record.get("num_comments"),
            )  # fmt: skip
        else:
            result.skip("records that are neither a submission nor a comment")
            return
        if post_id is None:
            raise InputError(place, "a record without an id", "is this a Pushshift dump?")
        self.posts.add(
            place, id=post_id, thread_id=thread, parent_id=parent, kind=kind, author_id=author,
            created_at=record.get("created_utc"), text=text, score=record.get("score"), url=url,
        )  # fmt: skip
        if author is not None:
            self.authors.add(
                place, id=author, name=author, created_at=record.get("author_created_utc")
            )

    def close(self) -> None:
        for batch in (self.posts, self.threads, self.authors):
            batch.emit()
        for part in (self.posts_part, self.threads_part, self.authors_part):
            part.close()
        self.links.close()


def _files(source: Path) -> list[Path]:
    if source.is_file():
        return [source]
    return sorted(p for p in source.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)


def import_reddit(
    source: Path,
    staging: Staging,
    *,
    mapping: Path | None = None,
    progress: Progress | None = None,
    batch_rows: int = BATCH_ROWS,
) -> ImportResult:
    """Stage Pushshift submissions and comments (one file, or a folder of them)."""
    files = _files(source)
    if not files:
        raise InputError(
            str(source),
            f"holds no Reddit dump files ({', '.join(SUFFIXES)})",
            "give Pushshift RS_/RC_ files, plain or .zst",
        )
    result = ImportResult()
    total = sum(p.stat().st_size for p in files)
    done = 0
    for path in files:
        label = path.name if path != source else str(path)
        out = _Writer(staging, label, batch_rows)
        stream = _Stream(path)
        try:
            for number, line in enumerate(stream.lines(), start=1):
                if not line.strip():
                    continue
                place = f"{label} line {number}"
                try:
                    record = json.loads(line)
                except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                    raise InputError(
                        place, f"not a JSON object ({exc})", "is the file NDJSON, one per line?"
                    ) from None
                if not isinstance(record, dict):
                    raise InputError(place, "not a JSON object", "is the file NDJSON?")
                out.record(record, place, result)
                if progress is not None and number % 4096 == 0:
                    progress(done + stream.position(), total)
        finally:
            stream.close()
        out.close()
        done += path.stat().st_size
        if progress is not None:
            progress(done, total)
    return result
