"""The evidence behind each facet of an account: the posts, people and numbers that justify it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from plainspoken.community.influence.facets import Measures
from plainspoken.community.influence.terms import TakenUpTerm


@dataclass(frozen=True)
class Evidence:
    """One reason behind a facet: a post or thread (when there is one), in words, and a number."""

    facet: str
    detail: str
    value: float
    post_id: str | None = None
    thread_id: str | None = None
    later_posts: tuple[str, ...] = ()
    """Later posts by others that took up what ``post_id`` brought (a term, say)."""

    def to_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "facet": self.facet,
            "post_id": self.post_id,
            "thread_id": self.thread_id,
            "detail": self.detail,
            "value": round(self.value, 6),
        }
        if self.later_posts:
            found["later_posts"] = list(self.later_posts)
        return found


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _reaction_words(post: Mapping[str, Any]) -> str:
    parts = []
    for column, word in (
        ("votes_up", "vote up"),
        ("comments", "comment"),
        ("answers", "answer"),
        ("favorites", "favourite"),
        ("votes_down", "vote down"),
    ):
        if int(post[column]):
            parts.append(_plural(int(post[column]), word).replace("vote ups", "votes up"))
    return ", ".join(parts).replace("vote downs", "votes down")


def _received(post: Mapping[str, Any]) -> int:
    return (
        int(post["votes_up"])
        + int(post["comments"])
        + int(post["answers"])
        + int(post["favorites"])
    )


def account_evidence(
    m: Measures,
    posts: Sequence[Mapping[str, Any]],
    reactors: Mapping[str, int],
    limit: int,
    terms: Sequence[TakenUpTerm] = (),
) -> tuple[Evidence, ...]:
    """Up to ``limit`` items per facet, strongest first (and up to ``limit`` terms taken up)."""
    found: list[Evidence] = []
    found.append(
        Evidence(
            "mobilizes",
            f"topic PageRank {m.pagerank:.2f}× the average account; "
            f"{_plural(m.accepted, 'answer')} accepted, linked from "
            f"{_plural(m.linked, 'other thread')}, {_plural(m.taken_up, 'link')} taken up "
            f"by others, terms they introduced reused in {_plural(m.terms_taken_up, 'later post')}",
            m.pagerank,
        )
    )
    for term in terms[:limit]:
        shown = ", ".join(term.later_posts)
        found.append(
            Evidence(
                "mobilizes",
                f'term "{term.term}" first used on the topic in post {term.post_id}, reused by '
                f"{_plural(term.adopters, 'other account')} in later posts ({shown})",
                float(term.adopters),
                term.post_id,
                term.thread_id,
                term.later_posts,
            )
        )
    moving = sorted(
        (p for p in posts if int(p["accepts"]) or int(p["links_in"])),
        key=lambda p: (-(int(p["accepts"]) * 2 + int(p["links_in"])), str(p["post_id"])),
    )
    for p in moving[: max(0, limit - 1)]:
        what = []
        if int(p["accepts"]):
            what.append("accepted")
        if int(p["links_in"]):
            what.append(f"linked from {_plural(int(p['links_in']), 'other thread')}")
        found.append(
            Evidence(
                "mobilizes",
                f"post {p['post_id']}: {' and '.join(what)}",
                float(int(p["accepts"]) + int(p["links_in"])),
                str(p["post_id"]),
                str(p["thread_id"]),
            )
        )
    found.append(
        Evidence(
            "reactions",
            f"{m.reaction_count} reactions on {_plural(m.reacted_posts, 'topic post')} "
            f"({m.reactions_per_post:.1f} per topic post written)",
            m.reactions,
        )
    )
    for p in sorted(posts, key=lambda p: (-_received(p), str(p["post_id"])))[: max(0, limit - 1)]:
        if _received(p) == 0:
            break
        found.append(
            Evidence(
                "reactions",
                f"post {p['post_id']}: {_reaction_words(p)}",
                float(_received(p)),
                str(p["post_id"]),
                str(p["thread_id"]),
            )
        )
    top = sorted(reactors.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    people = ", ".join(f"{a} ({n})" for a, n in top)
    views = f"; {m.views:,} views of their topic threads" if m.views else ""
    found.append(
        Evidence(
            "audience",
            f"{_plural(m.reactors, 'distinct account')} reacted{views}"
            + (f"; most often {people}" if people else ""),
            float(m.reactors),
        )
    )
    found.append(
        Evidence(
            "participation",
            f"took part in {m.threads} of {m.topic_threads} topic threads "
            f"({m.thread_share:.0%}): {_plural(m.answers, 'answer')}, "
            f"{_plural(m.questions, 'question')}, {_plural(m.comments, 'comment')}"
            + (f"; latest {m.last_post:%Y-%m-%d}" if m.last_post else ""),
            m.thread_share,
        )
    )
    return tuple(found)
