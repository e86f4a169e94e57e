"""``inject``: copy a dataset and plant synthetic campaigns in it, with their ground truth."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from plainspoken.community.importing import MEMORY_LIMIT, check_name
from plainspoken.community.injection.accounts import NameMaker, ids_name_users
from plainspoken.community.injection.assign import assign, link_rows
from plainspoken.community.injection.campaign import Builder
from plainspoken.community.injection.draft import Draft, Record
from plainspoken.community.injection.plan import InjectionPlan
from plainspoken.community.injection.profile import Community, read_community
from plainspoken.community.injection.truth import CampaignTruth, Truth
from plainspoken.community.injection.writer import write
from plainspoken.community.stats import dataset_folder
from plainspoken.engine.folder import open_folder
from plainspoken.errors import UsageError
from plainspoken.workspace import open_workspace

Progress = Callable[[int, int], None]
"""Called with (campaigns planned, campaigns in all)."""


def _truth_of(record: Record, index: int, preset: str, ids: dict[str, str]) -> CampaignTruth:
    def final(values: list[str]) -> tuple[str, ...]:
        return tuple(ids.get(v, v) for v in values)

    return CampaignTruth(
        campaign_id=f"inj-{index}",
        preset=preset,
        parameters=record.plan.to_dict(),
        strength=record.plan.strength,
        accounts=final([s.id for s in record.socks]),
        threads=final(record.threads),
        posts=final(record.posts),
        camouflage_posts=final(record.camouflage),
        reactions=final(record.reactions),
        product=record.product,
        competitor=record.competitor,
        link_domain=record.domain,
        product_tag=record.product_tag,
        dormant_accounts=tuple(s.real.id for s in record.socks if s.real),
        new_threads=final(record.new_threads),
        notes=tuple(record.notes),
    )


def inject(
    name: str,
    out: str,
    workspace: Path = Path(),
    *,
    plan: InjectionPlan,
    seed: int = 0,
    truth_path: Path | None = None,
    progress: Progress | None = None,
    force: bool = False,
) -> Truth:
    """Copy dataset ``name`` of ``workspace`` as dataset ``out`` with ``plan.campaigns``
    synthetic campaigns planted in it; the ground truth goes to ``truth_path`` (default
    ``datasets/OUT.truth.json``, beside the dataset, not in it) and is returned.

    The same seed gives the same rows and truth. Raises ``UsageError`` when ``out`` exists
    (unless ``force``) or names the source, and ``DatasetError`` for a missing dataset or
    one of an older schema.
    """
    import duckdb

    check_name(out)
    ws = open_workspace(workspace)
    folder = open_folder(dataset_folder(ws, name))
    if out == name:
        raise UsageError(f"--out '{out}' is the source dataset; name the copy differently")
    final = ws.datasets / out
    if final.exists() and not force:
        raise UsageError(
            f"{final}: dataset '{out}' exists; pick another --out name or pass --force to "
            "replace it"
        )
    truth_file = truth_path or ws.datasets / f"{out}.truth.json"
    if not truth_file.parent.is_dir():
        raise UsageError(f"{truth_file}: folder {truth_file.parent} does not exist (create it)")
    con = duckdb.connect(":memory:", config={"memory_limit": MEMORY_LIMIT, "threads": 2})
    try:
        con.execute("SET TimeZone = 'UTC'")
        community = read_community(folder, con)
        rng = random.Random(seed)
        draft = Draft()
        records: list[Record] = []
        ring = plan.preset == "ring"
        for index in range(plan.campaigns):
            campaign = plan.draw(rng)
            builder = Builder(
                community, campaign, draft, random.Random(rng.random()), plan.topic_tags, ring
            )
            records.append(builder.build())
            if progress is not None:
                progress(index + 1, plan.campaigns)
        names = NameMaker(community.names, ids_name_users(community.accounts))
        ids = assign(draft, community, names, random.Random(rng.random()))
        campaigns = tuple(_truth_of(r, n + 1, plan.preset, ids) for n, r in enumerate(records))
        notes = _notes(community, draft)
        rows = {
            "posts": draft.posts,
            "threads": draft.threads,
            "accounts": draft.accounts,
            "reactions": draft.reactions,
            "links": link_rows(draft),
        }
        updates = {"threads": dict(draft.answers_added), "accounts": dict(draft.last_seen)}
        injection = {
            "source_dataset": name,
            "seed": seed,
            "campaigns": plan.campaigns,
            "preset": plan.preset,
            "truth": str(truth_file),
        }
        write(folder, ws.datasets, out, rows, updates, injection, con)
    finally:
        con.close()
    truth = Truth(
        dataset=out,
        source_dataset=name,
        seed=seed,
        plan=plan.to_dict(),
        campaigns=campaigns,
        updated={k: tuple(sorted(v)) for k, v in updates.items()},
        notes=notes,
    )
    truth.write(truth_file)
    return truth


def _notes(community: Community, draft: Draft) -> tuple[str, ...]:
    notes = []
    if draft.reactions and not community.reaction_kinds:
        notes.append("the source has no reactions")
    hidden = sorted({r["kind"] for r in draft.reactions if r["actor_id"] is None})
    if hidden:
        notes.append(
            f"planted {', '.join(hidden)} reactions carry no voter, as the source's own do not"
        )
    return tuple(notes)
