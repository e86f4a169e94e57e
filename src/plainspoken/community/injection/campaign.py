"""One campaign, planned into rows: its product, socks, threads, replies, comments, votes,
accepts and camouflage posts. Rows carry temporary ids (``~p12``) until ``ids.assign`` gives
them ids in the community's style.
"""

from __future__ import annotations

import bisect
import random
import re
from collections import Counter
from typing import Any

from plainspoken.community.injection import text as words
from plainspoken.community.injection.accounts import dormant_candidates
from plainspoken.community.injection.draft import Draft, Record, Sock
from plainspoken.community.injection.plan import CampaignPlan
from plainspoken.community.injection.profile import Community, ThreadInfo
from plainspoken.community.injection.render import render
from plainspoken.community.injection.timing import (
    DAY,
    HOUR,
    MINUTE,
    ZONES,
    clamp,
    office_hours,
    reply_times,
    vote_time,
)

_DOMAIN_ENDS = (".io", "-hq.com", "app.com", ".dev", "labs.com", "-pro.net", "cloud.com")
_PATHS = ("", "docs/getting-started", "pricing", "download", "features", "blog/why-{slug}")


def _display(c: Community, tag: str) -> str:
    return c.spellings.get(tag) or " ".join(w.capitalize() for w in tag.split("-"))


def _names(
    c: Community, plan: CampaignPlan, topics: tuple[str, ...], rng: random.Random
) -> tuple[str | None, str, str, str]:
    """(product tag, product, competitor, task) for the campaign's texts."""
    pool = [p for p in c.products if not topics or p in topics or any(
        c.co_tags.get(t, Counter()).get(p) for t in topics)] or c.products  # fmt: skip
    if plan.product:
        tag: str | None = plan.product.lower() if plan.product.lower() in c.tag_threads else None
        product = c.spellings.get(tag, plan.product) if tag else plan.product
    else:
        tag = rng.choice(pool[:30]) if pool else None
        product = _display(c, tag) if tag else "the new tool"
    related = c.co_tags.get(tag or "", Counter())
    rivals = [p for p, _ in related.most_common(20) if p in c.products and p != tag]
    others = [p for p in c.products if p != tag]
    rival = rng.choice(rivals[:5]) if rivals else rng.choice(others) if others else None
    tasks = [t for t, _ in related.most_common(15) if t not in c.products] or list(topics)
    task = rng.choice(tasks).replace("-", " ") if tasks else "this kind of work"
    return tag, product, _display(c, rival) if rival else "the old setup", task


def _link(domain: str, slug: str, n: int, rng: random.Random) -> str:
    path = rng.choice(_PATHS).format(slug=slug)
    medium = rng.choice(("community", "forum", "social", "referral"))
    return (
        f"https://{rng.choice(('', 'www.'))}{domain}/{path}?utm_source=community&"
        f"utm_medium={medium}&utm_campaign={slug}-{rng.randint(10, 99)}&ref=u{n}"
    )


class Builder:
    """Plans one campaign into ``draft``."""

    def __init__(
        self,
        c: Community,
        plan: CampaignPlan,
        draft: Draft,
        rng: random.Random,
        topics: tuple[str, ...],
        ring: bool,
    ) -> None:
        self.c, self.plan, self.draft, self.rng = c, plan, draft, rng
        self.topics, self.ring = topics, ring
        self.zone = rng.choice(ZONES)
        self.record = Record(plan, [Sock(draft.temp("a")) for _ in range(plan.socks)])
        self.thread_times = [th.created for th in c.threads]

    # -- texts --------------------------------------------------------------------------
    def _texts(self) -> None:
        c, rng, plan = self.c, self.rng, self.plan
        tag, product, rival, task = _names(c, plan, self.topics, rng)
        r = self.record
        r.product_tag, r.product, r.competitor = tag, product, rival
        slug = re.sub(r"[^a-z0-9]", "", product.lower()) or "tool"
        if plan.shared_links:
            r.domain = f"{slug}{rng.choice(_DOMAIN_ENDS)}".lstrip("-.")
        self.names = words.Names(product, rival, task)
        self.slug = slug
        target = min(max(rng.choice(c.answer_words), 30), 200)
        sentences = min(max(round(target / 13), 2), 8)  # a pitch, not an essay
        self.skeleton = words.skeleton(
            sentences, rng, attack=rng.random() < 0.7, link=plan.shared_links
        )
        self.base = [words.fill(t, self._names_for(0), rng) for t in self.skeleton]

    def _names_for(self, n: int) -> words.Names:
        link = _link(self.record.domain, self.slug, n, self.rng) if self.record.domain else ""
        return words.Names(self.names.product, self.names.competitor, self.names.task, link)

    def _pitch(self, n: int) -> list[str]:
        if self.plan.wording == "verbatim":
            return list(self.base)
        if self.plan.wording == "template":
            names = self._names_for(n)
            return [words.fill(t, names, self.rng) for t in self.skeleton]
        extra = [words.fill(t, self.names, self.rng) for t in self.rng.sample(words.PRAISE, 3)]
        linked = [self._relink(s, n) for s in self.base]
        return words.paraphrase(linked, self.rng, extra)

    def _relink(self, sentence: str, n: int) -> str:
        if "http" not in sentence or not self.record.domain:
            return sentence
        return re.sub(r"https://\S+", self._names_for(n).link, sentence)

    # -- rows ---------------------------------------------------------------------------
    def _post(
        self, kind: str, thread: str, parent: str | None, sock: Sock, moment: int,
        sentences: list[str],
    ) -> str:  # fmt: skip
        text, html = render(sentences, self.c, kind, self.rng)
        pid = self.draft.temp("p")
        self.draft.posts.append(
            {"id": pid, "thread_id": thread, "parent_id": parent, "kind": kind,
             "author_id": sock.id, "created_at": moment, "text": text, "html": html,
             "score": 0}
        )  # fmt: skip
        sock.times.append(moment)
        if kind == "answer" and not thread.startswith("~"):
            self.draft.answers_added[thread] += 1
        return pid

    def _targets(self) -> list[tuple[str, ThreadInfo | None, int]]:
        c, plan, rng = self.c, self.plan, self.rng
        room = DAY if plan.timing == "burst" else 7 * DAY
        need = {"new": int(plan.age_hours * HOUR), "aged": 30 * DAY, "dormant": 180 * DAY}
        earliest = c.first + need[plan.age]
        if earliest > c.last - room:  # a short dataset: as late as it allows
            earliest = c.first + max(0, (c.last - room - c.first) // 2)
        latest = max(earliest, c.last - room)
        wanted = set(self.topics) or {self.record.product_tag or ""}
        candidates = [
            th for th in c.threads
            if th.id not in self.draft.used_threads and wanted & set(th.tags)
            and earliest <= th.created <= latest
        ]  # fmt: skip
        if plan.age == "dormant":  # later threads leave more accounts long silent
            middle = (earliest + latest) // 2
            candidates = [th for th in candidates if th.created >= middle] or candidates
            earliest = max(earliest, middle) if candidates else earliest
        anchor = rng.choice(candidates).created if candidates else rng.randint(earliest, latest)
        near = sorted(candidates, key=lambda th: (abs(th.created - anchor), th.id))
        out: list[tuple[str, ThreadInfo | None, int]] = []
        spacing = (60 if self.ring else 21) * DAY
        for i in range(plan.threads):
            mode = plan.thread_mode
            if mode == "mixed":
                mode = "new" if i == 0 or rng.random() < 0.5 else "existing"
            if mode == "existing" and near:
                th = near.pop(rng.randrange(min(3, len(near))))
                self.draft.used_threads.add(th.id)
                out.append(("existing", th, th.created))
            else:
                moment = anchor + int(rng.uniform(0, spacing)) * (1 if i else 0)
                out.append(("new", None, clamp(moment, earliest, latest)))
        return sorted(out, key=lambda item: item[2])

    def _take_over(self, moment: int) -> None:
        if self.plan.age != "dormant":
            return
        for days in (180, 120, 60, 30):
            found = dormant_candidates(
                self.c.accounts, moment, days * DAY, self.draft.taken_accounts
            )
            if len(found) >= len(self.record.socks):
                break
        if days < 180:
            self.record.notes.append(
                f"the dataset spans {self.c.span // DAY} days: dormant accounts were silent "
                f"for at least {days} days, not 180"
            )
        chosen = found[: len(self.record.socks) * 4]
        self.rng.shuffle(chosen)
        for sock, account in zip(self.record.socks, chosen, strict=False):
            sock.real = account
            self.draft.taken_accounts.add(account.id)
        if len(chosen) < len(self.record.socks):
            self.record.notes.append("too few dormant accounts: the other socks are new accounts")

    def build(self) -> Record:
        """Plan the campaign's rows into the draft; returns its record."""
        self._texts()
        targets = self._targets()
        self._take_over(targets[0][2])
        socks, plan, rng, c = self.record.socks, self.plan, self.rng, self.c
        answers: list[tuple[str, Sock, int]] = []
        parent: str | None
        for i, (mode, real, start) in enumerate(targets):
            if mode == "new":
                opener = socks[i % len(socks)]
                thread = self._open_thread(opener, start)
                parent = self.record.posts[-1]
                repliers = [s for s in socks if s is not opener]
                count = max(1, round(plan.reply_share * len(repliers)))
                count = min(count, 4) if self.ring else count
            else:
                assert real is not None
                thread, parent, opener = real.id, real.question_id, None
                share = plan.reply_share
                count = len(socks) if share >= 1 else round(share * real.answers / (1 - share))
                count = min(max(count, 1), len(socks))
                repliers = list(socks)
            self.record.threads.append(thread)
            rng.shuffle(repliers)
            repliers.sort(key=lambda s: len(s.times))  # every sock gets its turn
            times = reply_times(
                start, count, plan.timing, c.latencies, rng, zone=self.zone, last=c.last
            )
            thread_answers = []
            for sock, moment in zip(repliers, times, strict=False):
                text = self._ring_answer(real) if self.ring else self._pitch(len(answers))
                pid = self._post("answer", thread, parent, sock, moment, text)
                self.record.posts.append(pid)
                answers.append((pid, sock, moment))
                thread_answers.append((pid, sock, moment))
            if opener is not None:
                self._finish_thread(thread, opener, thread_answers)
            if self.ring:
                self._comments(thread, thread_answers)
        for sock in socks:
            if not sock.times:  # a sock the thread shares left out answers the first thread
                pid0, _, moment0 = answers[0]
                thread = self.record.threads[0]
                parent = next(p["parent_id"] for p in self.draft.posts if p["id"] == pid0)
                when = min(moment0 + int(rng.uniform(1, 90) * MINUTE), c.last)
                text = self._ring_answer(None) if self.ring else self._pitch(len(answers))
                pid = self._post("answer", thread, parent, sock, when, text)
                self.record.posts.append(pid)
                answers.append((pid, sock, when))
                if thread.startswith("~"):
                    row = next(t for t in self.draft.threads if t["id"] == thread)
                    row["answer_count"] += 1
        self._votes()
        self._accounts()
        return self.record

    def _open_thread(self, opener: Sock, start: int) -> str:
        c, rng = self.c, self.rng
        tid = self.draft.temp("t")
        main = list(self.topics) if self.ring and self.topics else [self.record.product_tag or ""]
        main = [t for t in main if t][:2]
        related = Counter[str]()
        for tag in main:
            related.update(c.co_tags.get(tag, Counter()))
        wanted = max(len(main), rng.choice(c.tags_per_thread))
        extra = [t for t, _ in related.most_common(12) if t not in main]
        rng.shuffle(extra)
        tags = main + extra[: max(0, wanted - len(main))]
        if self.ring:
            title_bits = words.mosaic(c.sentences, tags or [""], 8, rng, self.draft.borrowed)[:1]
            title = title_bits[0].rstrip(".!") + "?" if title_bits else "How does this work?"
            body = words.mosaic(
                c.sentences, tags or [""], rng.choice(c.answer_words) // 2, rng, self.draft.borrowed
            )
        else:
            title = words.fill(rng.choice(words.TITLES), self.names, rng)
            body = [words.fill(q, self.names, rng) for q in rng.sample(words.QUESTIONS, 3)]
        self.draft.threads.append(
            {"id": tid, "title": title, "tags": tags, "created_at": start,
             "author_id": opener.id, "accepted_post_id": None,
             "views": rng.choice(c.views) if c.views else None, "answer_count": 0,
             "closed_at": None}
        )  # fmt: skip
        self.record.new_threads.append(tid)
        self.record.posts.append(self._post("question", tid, None, opener, start, body))
        return tid

    def _ring_answer(self, real: ThreadInfo | None) -> list[str]:
        tags = list(real.tags) if real else list(self.topics) or [""]
        target = min(max(self.rng.choice(self.c.answer_words), 20), 250)
        return words.mosaic(self.c.sentences, tags, target, self.rng, self.draft.borrowed)

    def _finish_thread(
        self, thread: str, opener: Sock, answers: list[tuple[str, Sock, int]]
    ) -> None:
        row = next(t for t in self.draft.threads if t["id"] == thread)
        row["answer_count"] = len(answers)
        if not (self.plan.mutual_votes and self.c.records_accepts and answers):
            return
        pid, sock, moment = self.rng.choice(answers)
        row["accepted_post_id"] = pid
        sock.accepted += 1
        if "accept" in self.c.reaction_kinds:
            when = vote_time(moment, self.c.last, self.c.votes_by_day, self.rng)
            self._reaction("accept", pid, opener, when)

    def _comments(self, thread: str, answers: list[tuple[str, Sock, int]]) -> None:
        for pid, author, moment in answers:
            if self.rng.random() >= 0.5:
                continue
            others = [s for s in self.record.socks if s is not author]
            sock = self.rng.choice(others)
            when = moment + int(self.rng.uniform(5 * MINUTE, 2 * DAY))
            if self.plan.timing == "office-hours":
                when = office_hours(when, self.zone, self.rng)
            template = (
                words.COMMENTS[0] if self.plan.wording == "verbatim"
                else self.rng.choice(words.COMMENTS)
            )  # fmt: skip
            sentence = words.fill(template, self.names, self.rng)
            if self.plan.wording == "paraphrase":
                sentence = words.paraphrase([sentence], self.rng, [])[0]
            cid = self._post("comment", thread, pid, sock, min(when, self.c.last), [sentence])
            self.record.posts.append(cid)

    def _reaction(self, kind: str, post: str, sock: Sock, moment: int) -> None:
        rid = self.draft.temp("r")
        # A planted vote names its voter only where the source's own votes of that kind do;
        # otherwise the mere presence of a voter would give the campaign away.
        actor = sock.id if kind in self.c.actor_kinds else None
        self.draft.reactions.append(
            {"id": rid, "kind": kind, "post_id": post, "actor_id": actor,
             "created_at": moment, "value": 1 if kind == "vote-up" else None}
        )  # fmt: skip
        self.record.reactions.append(rid)

    def _votes(self) -> None:
        if not self.plan.mutual_votes:
            return
        mine = set(self.record.posts)
        for post in [p for p in self.draft.posts if p["id"] in mine]:
            pid = post["id"]
            if post["kind"] == "comment":
                continue
            author = next(s for s in self.record.socks if s.id == post["author_id"])
            for sock in self.record.socks:
                if sock is author or self.rng.random() >= 0.75:
                    continue
                when = vote_time(post["created_at"], self.c.last, self.c.votes_by_day, self.rng)
                if self.c.reaction_kinds:
                    self._reaction("vote-up", pid, sock, when)
                post["score"] += 1
                sock.votes_cast += 1
                author.up_received += 1

    def _accounts(self) -> None:
        c, rng, plan = self.c, self.rng, self.plan
        known = [a.created for a in c.accounts if a.created is not None]
        oldest = min(known, default=c.first)
        for sock in self.record.socks:
            first = min(sock.times)
            if sock.real is not None:
                created = sock.real.created or oldest
            elif plan.age == "aged":
                created = first - int(rng.uniform(30, 400) * DAY)
                if created < oldest:
                    latest = first - 30 * DAY
                    created = rng.randint(oldest, latest) if latest > oldest else latest
            else:
                created = first - int(plan.age_hours * HOUR) - int(rng.uniform(0.5, 4) * MINUTE)
            for _ in range(plan.camouflage):
                self._camouflage(sock, created, first)
            end = max(sock.times)
            cap = max(c.last_seen_max or c.last, end)
            last = end + int(rng.uniform(0, 3 * DAY))
            if last > cap:
                last = rng.randint(end, cap)
            if sock.real is not None:
                self.draft.last_seen[sock.real.id] = last
                continue
            row: dict[str, Any] = {"id": sock.temp, "name": None, "created_at": created}
            cols = c.account_columns
            values = {
                "reputation": 1 + 10 * sock.up_received + 15 * sock.accepted,
                "last_seen": last,
                "up_votes": sock.votes_cast,
                "down_votes": 0,
                "views": rng.randint(0, 25),
            }
            row.update({k: v for k, v in values.items() if k in cols})
            self.draft.accounts.append(row)

    def _camouflage(self, sock: Sock, created: int, first: int) -> None:
        c, rng, plan = self.c, self.rng, self.plan
        end = max(sock.times)
        if plan.age == "dormant" and sock.real is not None:
            low, high = first - 14 * DAY, end + 30 * DAY
        elif plan.age == "aged":
            low, high = max(created, first - 90 * DAY), end + 30 * DAY
        elif first - created > HOUR and rng.random() < 0.5:
            low, high = created + 5 * MINUTE, first
        else:
            low, high = end, end + 30 * DAY
        low, high = clamp(low, c.first, c.last), clamp(high, c.first, c.last)
        moment = rng.randint(min(low, high), max(low, high))
        at = bisect.bisect_right(self.thread_times, moment)
        avoid = set(self.record.threads) | {""}
        options = [
            th for th in c.threads[max(0, at - 200) : at]
            if th.id not in avoid and self.record.product_tag not in th.tags
            and th.question_id is not None and th.created >= moment - 60 * DAY
        ]  # fmt: skip
        if not options:
            return
        th = rng.choice(options)
        when = clamp(max(moment, th.created + max(60, rng.choice(c.latencies)) * 1_000_000),
                     th.created + MINUTE, c.last)  # fmt: skip
        if when < created:
            return
        target = min(max(rng.choice(c.answer_words), 15), 250)
        sentences = words.mosaic(c.sentences, list(th.tags), target, rng, self.draft.borrowed)
        pid = self._post("answer", th.id, th.question_id, sock, when, sentences)
        self.record.camouflage.append(pid)
