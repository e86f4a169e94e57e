"""The real Stack Exchange dumps in ../shared/data/stackexchange/, where that folder exists:
every row of the XML files is accounted for in the dataset (counted here independently)."""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from plainspoken.community.importing import import_dataset
from plainspoken.engine import open_folder
from plainspoken.workspace import init

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(
    os.environ.get("PLAINSPOKEN_SE_DATA", ROOT.parent / "shared" / "data" / "stackexchange")
)
SITES = sorted(p for p in DATA.iterdir() if (p / "Posts.xml").is_file()) if DATA.is_dir() else []
_ROW = re.compile(rb"<row\b")
_POST_TYPE = re.compile(rb'<row\b[^>]*?\bPostTypeId="(\d+)"')


def _rows(path: Path) -> int:
    return len(_ROW.findall(path.read_bytes())) if path.is_file() else 0


@pytest.mark.skipif(not SITES, reason=f"no Stack Exchange dumps in {DATA}")
@pytest.mark.parametrize("site", SITES, ids=[p.name for p in SITES])
def test_a_real_dump_imports_with_every_row_accounted_for(site: Path, tmp_path: Path) -> None:
    workspace = init(tmp_path / "ws").root
    result = import_dataset(site, "stackexchange", "real", workspace)
    root = workspace / "datasets" / "real"
    open_folder(root)
    types = Counter(_POST_TYPE.findall((site / "Posts.xml").read_bytes()))
    questions, answers = types[b"1"], types[b"2"]
    counts = result["counts"]
    assert counts["threads"] == questions
    assert counts["posts"] == questions + answers + _rows(site / "Comments.xml")
    assert counts["accounts"] == _rows(site / "Users.xml")
    assert counts["reactions"] == _rows(site / "Votes.xml")
    assert counts["tags"] == _rows(site / "Tags.xml")
    skipped = result["imports"][-1]["skipped"]
    assert skipped == {
        "posts that are not questions or answers": sum(types.values()) - questions - answers
    }
    con = duckdb.connect()
    posts = f"read_parquet('{root}/posts/*.parquet')"
    orphans, threadless = con.execute(
        f"SELECT count(*) FILTER (WHERE kind = 'answer' AND thread_id IS NULL), "
        f"count(*) FILTER (WHERE kind = 'comment' AND thread_id IS NULL) FROM {posts}"
    ).fetchall()[0]
    assert orphans == 0
    # Comments without a thread are those on posts that are not imported (tag wikis).
    on_skipped = con.execute(
        f"SELECT count(*) FROM {posts} c WHERE c.kind = 'comment' AND c.parent_id NOT IN "
        f"(SELECT id FROM {posts} WHERE kind IN ('question', 'answer'))"
    ).fetchall()[0][0]
    assert threadless == on_skipped
    dangling = con.execute(
        f"SELECT count(*) FROM read_parquet('{root}/links/*.parquet') l ANTI JOIN {posts} p "
        "ON l.post_id = p.id"
    ).fetchall()[0][0]
    assert counts["links"] > 0 and dangling == 0
