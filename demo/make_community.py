"""Write a small synthetic Stack Exchange dump for the demo workspace (no third-party text).

    python demo/make_community.py OUTPUT_FOLDER [--questions 240] [--seed 7]

The made-up site is about running a small office network: questions from a steady crowd of
regulars, answers after realistic waits, votes, comments and tags, plus one burst of praise
for a product from brand-new accounts, so the community pages have something to show.
"""

from __future__ import annotations

import argparse
import random
from datetime import datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import quoteattr

TOPICS = {
    "backup": ["nightly backups", "restore tests", "offsite copies", "snapshot retention"],
    "wifi": ["roaming between access points", "channel overlap", "guest isolation"],
    "printers": ["driver rollouts", "scan to email", "queue jams"],
    "vpn": ["split tunnelling", "client certificates", "slow file shares over VPN"],
    "patching": ["patch windows", "reboots after updates", "test rings"],
}
ASKS = [
    "How do you handle {thing} in an office of {n} people?",
    "Our {thing} broke after the last change. Where would you start looking?",
    "Is there a simple way to check {thing} every week without a paid tool?",
    "What do you log about {thing}, and for how long?",
]
ANSWERS = [
    "We keep a one-page checklist for {thing} and run it on the first Monday of the month.",
    "Start with the logs on the gateway; in our case {thing} failed because of a clock drift.",
    "Test it on two machines first. {thing} changes are cheap to try and expensive to undo.",
    "A cron job and a short script cover {thing} for us; the script mails a summary.",
    "We stopped doing {thing} by hand after {n} incidents and wrote it down as a runbook.",
]
COMMENTS = ["Which version were you on?", "Same here, thanks.", "Did that survive a reboot?"]
PRAISE = "<p>Honestly SwiftVault fixed this for us overnight. Best tool ever, just buy it.</p>"


def _rows(root: str, rows: list[dict[str, str]]) -> str:
    lines = ['<?xml version="1.0" encoding="utf-8"?>', f"<{root}>"]
    lines += [
        "  <row " + " ".join(f"{k}={quoteattr(v)}" for k, v in r.items()) + " />" for r in rows
    ]
    return "\n".join([*lines, f"</{root}>"]) + "\n"


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000")


def build(questions: int, seed: int) -> dict[str, str]:
    """The dump's files (name → XML text)."""
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, 8, 0)
    users: list[dict[str, str]] = []
    for uid in range(1, 61):
        created = start - timedelta(days=rng.randint(30, 900))
        users.append({"Id": str(uid), "Reputation": str(rng.randint(1, 5000)),
                      "CreationDate": _when(created),
                      "DisplayName": f"admin{uid:02d}"})  # fmt: skip
    posts: list[dict[str, str]] = []
    comments: list[dict[str, str]] = []
    votes: list[dict[str, str]] = []
    post_id = 0
    for q in range(questions):
        tag = rng.choice(list(TOPICS))
        thing = rng.choice(TOPICS[tag])
        asked = start + timedelta(days=365 * q / questions, minutes=rng.randint(0, 600))
        post_id += 1
        qid = post_id
        asker = rng.randint(1, 60)
        title = rng.choice(ASKS).format(thing=thing, n=rng.randint(8, 80))
        posts.append({"Id": str(qid), "PostTypeId": "1", "CreationDate": _when(asked),
                      "Score": str(rng.randint(0, 12)), "Body": f"<p>{title}</p>",
                      "OwnerUserId": str(asker), "Title": title, "Tags": f"<{tag}>",
                      "AnswerCount": "0"})  # fmt: skip
        for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
            post_id += 1
            wait = timedelta(minutes=rng.lognormvariate(5, 1.4))
            text = rng.choice(ANSWERS).format(thing=thing, n=rng.randint(2, 9))
            posts.append({"Id": str(post_id), "PostTypeId": "2", "ParentId": str(qid),
                          "CreationDate": _when(asked + wait), "Score": str(rng.randint(0, 20)),
                          "Body": f"<p>{text}</p>",
                          "OwnerUserId": str(rng.randint(1, 60))})  # fmt: skip
            for _ in range(rng.randint(0, 4)):
                votes.append({"Id": str(len(votes) + 1), "PostId": str(post_id), "VoteTypeId": "2",
                              "CreationDate": _when(asked + wait * 2)})  # fmt: skip
        if rng.random() < 0.3:
            comments.append({"Id": str(len(comments) + 1), "PostId": str(qid), "Score": "0",
                             "Text": rng.choice(COMMENTS),
                             "CreationDate": _when(asked + timedelta(minutes=30)),
                             "UserId": str(rng.randint(1, 60))})  # fmt: skip
    # one burst: five accounts made the same morning praise a product within minutes
    burst = start + timedelta(days=200)
    post_id += 1
    qid = post_id
    posts.append({"Id": str(qid), "PostTypeId": "1", "CreationDate": _when(burst),
                  "Score": "1", "Body": "<p>What do you use for offsite backups?</p>",
                  "OwnerUserId": "3", "Title": "What do you use for offsite backups?",
                  "Tags": "<backup>", "AnswerCount": "5"})  # fmt: skip
    for n in range(5):
        uid = 61 + n
        users.append({"Id": str(uid), "Reputation": "1", "DisplayName": f"vaultfan{n}",
                      "CreationDate": _when(burst - timedelta(hours=2, minutes=n))})  # fmt: skip
        post_id += 1
        posts.append({"Id": str(post_id), "PostTypeId": "2", "ParentId": str(qid),
                      "CreationDate": _when(burst + timedelta(minutes=3 + n * 2)),
                      "Score": "0", "Body": PRAISE, "OwnerUserId": str(uid)})  # fmt: skip
    tags = [{"Id": str(i + 1), "TagName": t, "Count": "0"} for i, t in enumerate(TOPICS)]
    return {
        "Users.xml": _rows("users", users),
        "Posts.xml": _rows("posts", posts),
        "Comments.xml": _rows("comments", comments),
        "Votes.xml": _rows("votes", votes),
        "Tags.xml": _rows("tags", tags),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--questions", type=int, default=240)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    args.output.mkdir(parents=True, exist_ok=True)
    for name, text in build(args.questions, args.seed).items():
        (args.output / name).write_text(text, encoding="utf-8")
    print(f"wrote a demo Stack Exchange dump to {args.output}")


if __name__ == "__main__":
    main()
