"""Importing generic CSV, JSONL and Parquet tables with a YAML mapping of their columns."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from fixtures.community.datasets import by_id, table
from plainspoken.community.importing import import_dataset
from plainspoken.engine import open_folder
from plainspoken.errors import InputError
from plainspoken.workspace import init

MESSAGES = """msg,topic,reply_to,type,who,sent,body
m1,t1,,Q,u1,03/02/2021 09:00,"<p>Is the <b>new</b> VPN client stable?</p>"
m2,t1,m1,A,u2,03/02/2021 09:30,"<p>Yes, see https://vpn.example/notes?utm_source=x</p>"
m3,t1,m2,R,u1,03/02/2021 10:00,<p>Thanks</p>
m4,t2,,Q,u3,04/02/2021 08:00,<p>Anyone tried ZTNA?</p>
"""
MAPPING = """
posts:
  file: messages.csv
  columns:
    id: msg
    thread_id: topic
    parent_id: reply_to
    kind: {column: type, values: {Q: question, A: answer, R: reply}}
    author_id: who
    created_at: {column: sent, format: "%d/%m/%Y %H:%M"}
    html: body
accounts:
  file: people.jsonl
  columns:
    id: user_id
    name: handle
    created_at: joined
    reputation: karma
"""
PEOPLE = [
    {"user_id": "u1", "handle": "ana", "joined": "2020-01-01T00:00:00Z", "karma": 10},
    {"user_id": "u2", "handle": "ben", "joined": 1612342800, "karma": 3},
]


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return init(tmp_path / "ws").root


def _source(folder: Path, mapping: str = MAPPING, messages: str = MESSAGES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "messages.csv").write_text(messages, encoding="utf-8")
    lines = []
    for person in PEOPLE:
        lines.append(json.dumps({**person, "joined": str(person["joined"])}))
    (folder / "people.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "mapping.yaml").write_text(mapping, encoding="utf-8")
    return folder


def test_mapped_columns_fill_the_dataset_and_the_rest_is_derived(
    workspace: Path, tmp_path: Path
) -> None:
    source = _source(tmp_path / "forum")
    result = import_dataset(source, "generic", "forum", workspace, mapping=source / "mapping.yaml")
    root = workspace / "datasets" / "forum"
    open_folder(root)
    posts = by_id(root, "posts")
    assert {k: (p["kind"], p["thread_id"], p["parent_id"]) for k, p in posts.items()} == {
        "m1": ("question", "t1", None),
        "m2": ("answer", "t1", "m1"),
        "m3": ("reply", "t1", "m2"),
        "m4": ("question", "t2", None),
    }
    assert posts["m1"]["text"] == "Is the new VPN client stable?"
    assert str(posts["m2"]["created_at"]) == "2021-02-03 09:30:00+00:00"
    threads = by_id(root, "threads")
    assert (threads["t1"]["author_id"], str(threads["t1"]["created_at"])) == (
        "u1",
        "2021-02-03 09:00:00+00:00",
    )
    accounts = by_id(root, "accounts")
    assert set(accounts) == {"u1", "u2"}  # u3 has posts only: no account row is invented
    assert accounts["u1"]["reputation"] == 10
    assert str(accounts["u2"]["created_at"]) == "2021-02-03 09:00:00+00:00"
    links = table(root, "links")
    assert [(r["post_id"], r["canonical_url"]) for r in links] == [
        ("m2", "https://vpn.example/notes")
    ]
    assert result["counts"]["threads"] == 2


def test_parquet_sources_keep_their_types(workspace: Path, tmp_path: Path) -> None:
    folder = tmp_path / "pq"
    folder.mkdir()
    pq.write_table(
        pa.table(
            {
                "pid": [1, 2],
                "thread": ["a", "a"],
                "at": pa.array([1_600_000_000_000_000, 1_600_000_060_000_000], pa.timestamp("us")),
                "tags": [["x", "y"], []],
            }
        ),
        folder / "posts.parquet",
    )
    mapping = folder / "map.yaml"
    mapping.write_text(
        "posts:\n  file: posts.parquet\n  columns:\n    id: pid\n    thread_id: thread\n"
        "    created_at: at\n    kind: {value: answer}\n",
        encoding="utf-8",
    )
    import_dataset(folder, "generic", "pq", workspace, mapping=mapping)
    posts = by_id(workspace / "datasets" / "pq", "posts")
    assert set(posts) == {"1", "2"} and posts["1"]["kind"] == "answer"
    assert str(posts["2"]["created_at"]) == "2020-09-13 12:27:40+00:00"


def test_a_mapping_naming_an_absent_column_lists_the_columns_present(
    workspace: Path, tmp_path: Path
) -> None:
    source = _source(tmp_path / "forum", MAPPING.replace("author_id: who", "author_id: author"))
    with pytest.raises(InputError) as caught:
        import_dataset(source, "generic", "forum", workspace, mapping=source / "mapping.yaml")
    assert str(caught.value) == (
        "messages.csv: has no column 'author' (mapped to posts.author_id); its columns are msg, "
        "topic, reply_to, type, who, sent, body (fix the mapping file)"
    )


def test_an_absent_column_in_jsonl_is_named_too(workspace: Path, tmp_path: Path) -> None:
    source = _source(tmp_path / "forum", MAPPING.replace("name: handle", "name: nick"))
    with pytest.raises(InputError, match=r"people.jsonl: has no column 'nick'.*user_id, handle"):
        import_dataset(source, "generic", "forum", workspace, mapping=source / "mapping.yaml")


def test_values_outside_the_kinds_are_named_with_their_row(workspace: Path, tmp_path: Path) -> None:
    source = _source(tmp_path / "forum", messages=MESSAGES.replace(",R,", ",X,"))
    with pytest.raises(InputError, match=r"messages.csv row 3: kind is 'X'.*question, answer"):
        import_dataset(source, "generic", "forum", workspace, mapping=source / "mapping.yaml")


def test_unparsable_dates_name_the_row_value_and_format(workspace: Path, tmp_path: Path) -> None:
    source = _source(tmp_path / "forum", messages=MESSAGES.replace("04/02/2021", "2021-02-04"))
    with pytest.raises(
        InputError,
        match=r"messages.csv row 4: sent is '2021-02-04 08:00', not a date \(expected the "
        r"format %d/%m/%Y %H:%M\)",
    ):
        import_dataset(source, "generic", "forum", workspace, mapping=source / "mapping.yaml")


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ("comments:\n  file: messages.csv\n  columns: {id: msg}\n", "comments: is not a dataset"),
        ("posts:\n  file: messages.csv\n  columns: {id: msg, mood: type}\n", "posts.mood"),
        ("posts:\n  file: messages.csv\n  columns: {id: msg}\n", "does not map kind"),
        ("posts:\n  file: nope.csv\n  columns: {id: msg, kind: type}\n", "nope.csv: no such file"),
        ("posts: [1, 2]\n", "needs file: and columns:"),
        ("posts:\n  file: messages.csv\n  columns: {id: msg, kind: {column: a, value: b}}\n",
         "either column: NAME or value: FIXED"),
        (": : :\n", "not valid YAML"),
    ],
)  # fmt: skip
def test_a_wrong_mapping_says_what_to_fix(
    workspace: Path, tmp_path: Path, mapping: str, message: str
) -> None:
    source = _source(tmp_path / "forum", mapping)
    with pytest.raises(InputError, match=message.replace("(", r"\(")):
        import_dataset(source, "generic", "forum", workspace, mapping=source / "mapping.yaml")


def test_duplicate_ids_within_a_file_are_refused(workspace: Path, tmp_path: Path) -> None:
    source = _source(tmp_path / "forum", messages=MESSAGES + "m2,t1,m1,A,u2,03/02/2021 11:00,x\n")
    with pytest.raises(InputError, match=r"messages.csv: id m2 is on 2 rows"):
        import_dataset(source, "generic", "forum", workspace, mapping=source / "mapping.yaml")
