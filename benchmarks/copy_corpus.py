"""Generate a deterministic corpus of marketing-like Markdown for benchmarks.

    python benchmarks/copy_corpus.py OUTDIR [--files 200] [--mb 2.0] [--seed 20240917]

The same arguments always write the same bytes. File sizes follow a log-normal spread (many
short pages, a few long ones) scaled so the corpus adds up to about ``--mb`` megabytes. Text
is assembled from the word lists below: hype words, unbacked claims, sales pushes, evasive
passives, and plain technical sentences with numbers. Some files carry YAML front matter,
fenced code blocks and links. Standard library only.
"""

from __future__ import annotations

import argparse
import math
import random
import textwrap
from collections.abc import Callable
from pathlib import Path

# fmt: off
HYPE_ADJ = [
    "next-generation", "seamless", "best-in-class", "world-class", "cutting-edge",
    "revolutionary", "game-changing", "industry-leading", "robust", "holistic",
    "end-to-end", "enterprise-grade", "future-proof", "AI-powered", "cloud-native",
    "frictionless", "innovative", "unparalleled", "mission-critical", "turnkey",
]
HYPE_VERB = [
    "leverage", "empower", "unlock", "transform", "revolutionise", "supercharge",
    "streamline", "optimise", "harness", "accelerate", "reimagine", "elevate",
]
HYPE_NOUN = [
    "platform", "solution", "ecosystem", "synergy", "paradigm", "journey", "experience",
    "single pane of glass", "data fabric", "value proposition", "digital transformation",
    "insights", "outcomes", "agility", "innovation",
]
TECH_NOUN = [
    "collector", "agent", "API", "dashboard", "scheduler", "cache", "index", "proxy",
    "load balancer", "backup job", "replica", "message queue", "exporter", "webhook",
    "storage pool", "firewall rule", "VPN tunnel", "DNS resolver", "certificate",
]
UNIT = ["ms", "s", "GB", "MB", "requests per second", "devices", "nodes", "minutes"]
PROTO = ["SNMP v3", "NetFlow v9", "IPFIX", "sFlow v5", "syslog", "TLS 1.3", "LDAP", "SAML 2.0"]
ACTOR = ["your team", "IT leaders", "your business", "organisations", "customers", "you"]

CLAIMS = [
    "It dramatically improves performance across the board.",
    "Customers see significant cost savings from day one.",
    "It is the fastest {n} on the market.",
    "Our {h} {n} reduces downtime by up to {pct}%.",
    "Trusted by leading organisations worldwide.",
    "It delivers unmatched reliability at any scale.",
    "Teams report a massive boost in productivity.",
    "No other vendor comes close.",
]
SALES = [
    "Let us show you how.", "Book a personalised demo today.",
    "Contact our sales team to learn more.",
    "Ready to get started? Talk to an expert.", "Request your free trial now.",
    "Don't get left behind.", "See why industry leaders are making the switch.",
]
PASSIVES = [
    "Mistakes were made during the rollout.",
    "The issue was caused by a change that was not reviewed.",
    "Appropriate steps have been taken to prevent a recurrence.",
    "Lessons have been learned and improvements will be made.",
    "Some data was impacted for a number of users.",
]
PLAIN = [
    "The {t} polls each device every {a} seconds over {p}.",
    "A single {t} handles {b} {u} on {c} vCPUs and {d} GB of RAM.",
    "Raw records are kept for {a} days and hourly rollups for {c} months.",
    "Restores of a {d} GB volume took {a} minutes in our tests.",
    "The {t} does not support {p}; use the {t2} instead.",
    "Version {c}.{a} adds support for {p} and fixes {d} bugs.",
    "If the {t} is unreachable for {a} minutes, an alert is sent to the on-call rota.",
    "Upgrades run in place and need no downtime for clusters of {c} or more nodes.",
    "Median latency was {b} ms at the 95th percentile under {d} concurrent users.",
]
# fmt: on


def _fill(rng: random.Random, template: str) -> str:
    return template.format(
        h=rng.choice(HYPE_ADJ),
        n=rng.choice(HYPE_NOUN),
        t=rng.choice(TECH_NOUN),
        t2=rng.choice(TECH_NOUN),
        p=rng.choice(PROTO),
        u=rng.choice(UNIT),
        pct=rng.choice([30, 40, 50, 70, 90, 99]),
        a=rng.randint(2, 60),
        b=rng.randint(100, 50_000),
        c=rng.randint(2, 16),
        d=rng.randint(4, 512),
    )


def hype_sentence(rng: random.Random) -> str:
    adjs = rng.sample(HYPE_ADJ, rng.randint(1, 3))
    subject = rng.choice(["Our", "This", "The"]) + f" {', '.join(adjs)} {rng.choice(HYPE_NOUN)}"
    verb = rng.choice(HYPE_VERB)
    obj = f"{rng.choice(ACTOR)} to {rng.choice(HYPE_VERB)} {rng.choice(HYPE_NOUN)}"
    return f"{subject} lets you {verb} {rng.choice(HYPE_NOUN)} and helps {obj}."


def tool_sentence(rng: random.Random) -> str:
    return (
        f"With {rng.choice(PROTO)}, {rng.choice(ACTOR)} can {rng.choice(HYPE_VERB)} "
        f"every {rng.choice(TECH_NOUN)} in {rng.randint(2, 30)} minutes."
    )


def sentence(rng: random.Random) -> str:
    kinds: list[tuple[int, Callable[[random.Random], str]]] = [
        (30, lambda r: _fill(r, r.choice(PLAIN))),
        (25, hype_sentence),
        (18, lambda r: _fill(r, r.choice(CLAIMS))),
        (7, lambda r: r.choice(SALES)),
        (8, lambda r: r.choice(PASSIVES)),
        (12, tool_sentence),
    ]
    total = sum(w for w, _ in kinds)
    pick = rng.uniform(0, total)
    for weight, make in kinds:
        pick -= weight
        if pick <= 0:
            return make(rng)
    return kinds[0][1](rng)


def paragraph(rng: random.Random) -> str:
    text = " ".join(sentence(rng) for _ in range(rng.randint(2, 7)))
    return textwrap.fill(text, width=rng.choice([80, 88, 100, 10_000]), break_on_hyphens=False)


def heading(rng: random.Random, level: int) -> str:
    title = rng.choice(
        [
            f"{rng.choice(HYPE_VERB).capitalize()} your {rng.choice(HYPE_NOUN)}",
            f"How the {rng.choice(TECH_NOUN)} works",
            f"Why {rng.choice(HYPE_ADJ)} {rng.choice(HYPE_NOUN)} matters",
            "Limits",
            "Getting started",
            "Pricing",
            "What changed",
            "Requirements",
        ]
    )
    return f"{'#' * level} {title}"


def bullet_list(rng: random.Random) -> str:
    return "\n".join(f"- {sentence(rng)}" for _ in range(rng.randint(2, 6)))


def code_block(rng: random.Random) -> str:
    tool = rng.choice(["collector", "agent", "backup"])
    lines = [
        f"{tool} --config /etc/{tool}/{tool}.yaml --workers {rng.randint(1, 16)}",
        f"curl -s https://api.example.com/v{rng.randint(1, 3)}/status | jq .{tool}",
        f"docker run -d -p {rng.randint(1024, 9999)}:8443 example/{tool}:{rng.randint(1, 9)}.0",
    ]
    return "```bash\n" + "\n".join(rng.sample(lines, rng.randint(1, 3))) + "\n```"


def link_line(rng: random.Random) -> str:
    slug = rng.choice(["install", "pricing", "limits", "changelog", "security", "api"])
    return f"See [{slug} details](https://docs.example.com/{slug}) or https://example.com/{slug}."


def front_matter(rng: random.Random, index: int) -> str:
    return (
        f"---\ntitle: Page {index}\nauthor: marketing\nweight: {rng.randint(1, 99)}\n"
        f"tags: [{rng.choice(TECH_NOUN)}, {rng.choice(HYPE_NOUN)}]\n---"
    )


def document(rng: random.Random, index: int, target_bytes: int) -> str:
    parts: list[str] = []
    if rng.random() < 0.4:
        parts.append(front_matter(rng, index))
    parts.append(heading(rng, 1))
    size = sum(len(p) + 2 for p in parts)
    while size < target_bytes:
        roll = rng.random()
        if roll < 0.12:
            block = heading(rng, rng.choice([2, 2, 3]))
        elif roll < 0.25:
            block = bullet_list(rng)
        elif roll < 0.30:
            block = code_block(rng)
        elif roll < 0.35:
            block = link_line(rng)
        else:
            block = paragraph(rng)
        parts.append(block)
        size += len(block) + 2
    return "\n\n".join(parts) + "\n"


def file_sizes(rng: random.Random, files: int, total_bytes: int) -> list[int]:
    """Log-normal sizes (median about e^0, sigma 1.0) scaled to add up to ``total_bytes``."""
    raw = [rng.lognormvariate(0.0, 1.0) for _ in range(files)]
    scale = total_bytes / sum(raw)
    return [max(200, math.floor(r * scale)) for r in raw]


def generate(outdir: Path, files: int = 200, mb: float = 2.0, seed: int = 20240917) -> list[Path]:
    """Write the corpus into ``outdir`` and return the paths written, in order."""
    outdir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    sizes = file_sizes(rng, files, int(mb * 1_000_000))
    written: list[Path] = []
    for index, size in enumerate(sizes):
        doc_rng = random.Random(f"{seed}:{index}")
        path = outdir / f"page-{index:04d}.md"
        path.write_text(document(doc_rng, index, size), encoding="utf-8", newline="\n")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("outdir", type=Path, help="folder to write into (created if missing)")
    parser.add_argument("--files", type=int, default=200, help="number of files (default 200)")
    parser.add_argument("--mb", type=float, default=2.0, help="total size in MB (default 2.0)")
    parser.add_argument("--seed", type=int, default=20240917, help="random seed")
    args = parser.parse_args(argv)
    if args.files < 1 or args.mb <= 0:
        parser.error("--files must be at least 1 and --mb above 0")
    paths = generate(args.outdir, args.files, args.mb, args.seed)
    total = sum(p.stat().st_size for p in paths)
    sizes = sorted(p.stat().st_size for p in paths)
    print(
        f"wrote {len(paths)} files, {total / 1_000_000:.2f} MB to {args.outdir} "
        f"(smallest {sizes[0]} B, median {sizes[len(sizes) // 2]} B, largest {sizes[-1]} B)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
