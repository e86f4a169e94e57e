"""The files of a dump, from a folder or from 7z archives, streamed in chunks without unpacking.

A dump is a folder of files (``Posts.xml``, ``Users.xml``, …), a folder of 7z archives holding
them (Stack Overflow ships one archive per file), or one site's ``.7z``. Members are matched by
file name, ignoring case and folders inside the archive. A 7z member is decompressed straight
into its reader, one chunk at a time: nothing is written to disk and nothing is held whole.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

from plainspoken.errors import InputError

CHUNK = 1 << 20
Progress = Callable[[int, int | None], None]


class Sink(Protocol):
    """Where a member's bytes go: ``feed`` each chunk, then ``close``."""

    def feed(self, data: bytes) -> None: ...

    def close(self) -> int: ...


@dataclass(frozen=True)
class Member:
    """One file of the dump: its name (``Posts.xml``), where it is, and its size in bytes."""

    name: str
    label: str
    size: int | None
    path: Path
    inner: str | None = None  # the member's name inside the 7z archive at ``path``


def _archive_errors() -> tuple[type[BaseException], ...]:
    import lzma
    import zlib

    from py7zr.exceptions import ArchiveError, PasswordRequired

    return (ArchiveError, PasswordRequired, EOFError, lzma.LZMAError, zlib.error)


def _key(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).name.lower()


def _archive_members(path: Path) -> list[Member]:
    import py7zr

    errors: tuple[type[BaseException], ...] = (*_archive_errors(), OSError)
    try:
        with py7zr.SevenZipFile(path, mode="r") as archive:
            infos = archive.list()
    except errors as exc:
        raise InputError(
            str(path), f"not a readable 7z archive ({exc})", "download the site's .7z again"
        ) from None
    members = []
    for info in infos:
        if info.is_directory:
            continue
        name = PurePosixPath(info.filename.replace("\\", "/")).name
        members.append(
            Member(name, f"{path.name}:{info.filename}", info.uncompressed, path, info.filename)
        )
    return members


def list_members(source: Path) -> dict[str, Member]:
    """The dump's files by lowercased name (``posts.xml``)."""
    if not source.exists():
        raise InputError(str(source), "no such file or folder", "check the path")
    found: list[Member] = []
    if source.is_file():
        if source.suffix.lower() != ".7z":
            raise InputError(
                str(source),
                "is neither a folder nor a .7z archive",
                "give the dump's folder of XML files or the site's .7z",
            )
        found = _archive_members(source)
    else:
        for path in sorted(source.iterdir()):
            if path.is_file() and path.suffix.lower() == ".7z":
                found.extend(_archive_members(path))
            elif path.is_file():
                found.append(Member(path.name, str(path), path.stat().st_size, path))
    members: dict[str, Member] = {}
    for member in found:
        members.setdefault(_key(member.name), member)
    return members


class _SinkIO:
    """A py7zr writer that passes each decompressed chunk to a sink."""

    def __init__(self, sink: Sink, report: Callable[[int], None]) -> None:
        self.sink = sink
        self.report = report
        self.closed = False
        self._size = 0

    def write(self, data: bytes | bytearray) -> int:
        self.sink.feed(bytes(data))
        self._size += len(data)
        self.report(len(data))
        return len(data)

    def read(self, size: int | None = None) -> bytes:
        return b""

    def seek(self, offset: int, whence: int = 0) -> int:
        return 0

    def seekable(self) -> bool:
        return False

    def flush(self) -> None:
        return None

    def size(self) -> int:
        return self._size

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.sink.close()


def _factory(sinks: Mapping[str, Sink], report: Callable[[int], None]) -> Any:
    from py7zr.io import Py7zIO, WriterFactory

    class SinkIO(_SinkIO, Py7zIO):
        pass

    class Factory(WriterFactory):
        def __init__(self) -> None:
            self.made: list[SinkIO] = []

        def create(self, filename: str) -> Py7zIO:
            made = SinkIO(sinks[_key(filename)], report)
            self.made.append(made)
            return made

    return Factory()


def stream(
    members: Collection[Member], sinks: Mapping[str, Sink], progress: Progress | None = None
) -> None:
    """Feed each member to ``sinks[member name, lowercased]``, archive by archive, in order."""
    total = sum(m.size or 0 for m in members) or None
    done = 0

    def report(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, total)

    if progress is not None:
        progress(0, total)
    loose = [m for m in members if m.inner is None]
    for member in loose:
        sink = sinks[_key(member.name)]
        with member.path.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                sink.feed(chunk)
                report(len(chunk))
        sink.close()
    by_archive: dict[Path, list[Member]] = {}
    for member in members:
        if member.inner is not None:
            by_archive.setdefault(member.path, []).append(member)
    for path, wanted in by_archive.items():
        _extract(path, wanted, sinks, report)


def _extract(
    path: Path, wanted: list[Member], sinks: Mapping[str, Sink], report: Callable[[int], None]
) -> None:
    import py7zr

    factory = _factory(sinks, report)
    try:
        # An open file (not a path) keeps py7zr on this thread: rows arrive in order.
        with path.open("rb") as handle, py7zr.SevenZipFile(handle, mode="r") as archive:
            archive.extract(targets=[m.inner for m in wanted if m.inner], factory=factory)
    except _archive_errors() as exc:
        raise InputError(
            str(path),
            f"the archive is damaged ({type(exc).__name__}: {exc})",
            "download the site's .7z again",
        ) from None
    for made in factory.made:
        made.close()
