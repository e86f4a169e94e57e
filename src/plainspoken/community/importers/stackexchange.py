"""Stack Exchange data dumps: Posts, Users, Comments, Votes, PostLinks and Tags XML files.

Questions become threads (a thread's id is its question's id) and posts of kind ``question``;
answers are posts of kind ``answer`` under their question. Comments are posts of kind
``comment`` whose parent is the post they comment on; comment ids carry a ``c`` prefix
(``c42``) because the dump numbers comments apart from posts, and their thread is looked up
from that post once every post is known. Other post types (tag wikis and their excerpts,
moderator nominations, privilege wikis) are not conversation: they are counted, not imported.

On a big dump, ``Posts.xml`` is staged here while a second process stages the other files.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path

from plainspoken.community.dataset import BATCH_ROWS, Part, Staging
from plainspoken.community.importers.archive import Member, list_members, stream
from plainspoken.community.importers.base import ImportResult, Progress
from plainspoken.community.importers.stackexchange_tables import HANDLERS, Context, Sink
from plainspoken.community.importers.workers import Background, use_second_process
from plainspoken.errors import InputError

REQUIRED = ("Posts.xml", "Users.xml")
OPTIONAL = ("Comments.xml", "Votes.xml", "PostLinks.xml", "Tags.xml")
_HOST = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}$")
_WITHOUT = {
    "Comments.xml": "no comments imported",
    "Votes.xml": "reactions (votes) are empty",
    "PostLinks.xml": "links between questions come from post bodies only",
    "Tags.xml": "no tags table (threads still carry their tags)",
}


def site_of(source: Path) -> str | None:
    """The site's host from the dump's name (``iot.stackexchange.com.7z`` → that host)."""
    name = source.name.lower()
    name = re.sub(r"\.7z$", "", name)
    name = re.sub(r"-(posts|users|comments|votes|postlinks|tags|badges|posthistory)$", "", name)
    return name if _HOST.match(name) else None


def _check(source: Path, members: dict[str, Member]) -> None:
    missing = [name for name in REQUIRED if name.lower() not in members]
    if len(missing) == len(REQUIRED):
        held = ", ".join(sorted(m.name for m in members.values())[:8]) or "nothing"
        raise InputError(
            str(source),
            f"not a Stack Exchange dump: it holds {held}, with no Posts.xml or Users.xml",
            "give the site's .7z from the data dump, or the folder it unpacks to",
        )
    if missing:
        raise InputError(
            str(source),
            f"{missing[0]} is missing (a Stack Exchange dump needs Posts.xml and Users.xml)",
            "unpack the whole dump, or give the site's .7z",
        )


def _stage(
    members: Collection[Member],
    staging: Staging,
    context: Context,
    batch_rows: int,
    progress: Progress | None,
) -> dict[str, int]:
    """Stage these files of the dump; returns their row counts."""
    sinks = {
        m.name.lower(): Sink(
            HANDLERS[m.name.lower()](staging, m.label, context), m.label, batch_rows
        )
        for m in members
    }
    stream(members, sinks, progress)
    return {m.name: sinks[m.name.lower()].reader.rows for m in members}


def stage_in_background(
    source: Path,
    names: list[str],
    folder: Path,
    site: str | None,
    batch_rows: int,
    *,
    report: Progress,
) -> tuple[list[Part], dict[str, int], dict[str, int]]:
    """In the second process: stage the named files into ``folder`` (parts, skips, rows)."""
    members = list_members(source)
    staging = Staging(folder)
    result = ImportResult()
    try:
        rows = _stage(
            [members[n] for n in names], staging, Context(site, result), batch_rows, report
        )
    finally:
        staging.close()
    return staging.parts, result.skipped, rows


def import_stackexchange(
    source: Path,
    staging: Staging,
    *,
    mapping: Path | None = None,
    progress: Progress | None = None,
    batch_rows: int = BATCH_ROWS,
) -> ImportResult:
    """Stage a Stack Exchange dump: a folder of XML files, or the site's ``.7z`` archive."""
    members = list_members(source)
    _check(source, members)
    result = ImportResult()
    site = site_of(source)
    if site:
        result.details["site"] = site
    else:
        result.notes.append(
            f"the site's host is not in the name '{source.name}': links between its questions "
            "are found only from PostLinks.xml and relative links"
        )
    for name in OPTIONAL:
        if name.lower() not in members:
            result.notes.append(f"no {name} in the dump: {_WITHOUT[name]}")
    wanted = [m for key, m in members.items() if key in HANDLERS]
    posts = [m for m in wanted if m.name.lower() == "posts.xml"]
    others = [m for m in wanted if m.name.lower() != "posts.xml"]
    if others and use_second_process(sum(m.size or 0 for m in wanted)):
        rows = _split(source, staging, result, site, posts, others, batch_rows, progress)
        result.details["processes"] = 2
    else:
        rows = _stage(wanted, staging, Context(site, result), batch_rows, progress)
        result.details["processes"] = 1
    result.details["rows"] = rows
    return result


def _split(
    source: Path,
    staging: Staging,
    result: ImportResult,
    site: str | None,
    posts: list[Member],
    others: list[Member],
    batch_rows: int,
    progress: Progress | None,
) -> dict[str, int]:
    """Posts.xml here, the other files in a second process at the same time (from an archive,
    each process reads it, decompressing what it needs)."""
    total = sum(m.size or 0 for m in (*posts, *others))
    background = Background(
        __name__, "stage_in_background", source, [m.name.lower() for m in others],
        staging.folder / "second", site, batch_rows,
    )  # fmt: skip
    try:

        def report(done: int, _: int | None) -> None:
            if progress is not None:
                progress(done + background.done, total)

        rows = _stage(posts, staging, Context(site, result), batch_rows, report)
        done = sum(m.size or 0 for m in posts)
        while not background.wait(0.25):
            report(done, total)
        parts, skipped, other_rows = background.result()
    finally:
        background.stop()
    staging.parts.extend(parts)
    for reason, count in skipped.items():
        result.skip(reason, count)
    return {**rows, **other_rows}
