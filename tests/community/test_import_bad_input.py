"""Bad input: one clear line naming the file, the place and the fix; nothing half-written."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fixtures.community.stackexchange_dump import (
    COMMENTS,
    POSTS,
    SITE,
    files,
    rows,
    write_archive,
    write_dump,
)
from plainspoken.community.importing import import_dataset
from plainspoken.errors import InputError, PlainspokenError, UsageError, WorkspaceError
from plainspoken.workspace import init

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE posts [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<posts><row Id="1" PostTypeId="1" CreationDate="2020-01-01T00:00:00" Body="&lol4;" /></posts>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE users [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<users><row Id="1" CreationDate="2020-01-01T00:00:00" AboutMe="&secret;" /></users>
"""


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return init(tmp_path / "ws").root


def _import(source: Path, workspace: Path, name: str = "home") -> dict[str, object]:
    return import_dataset(source, "stackexchange", name, workspace)


def _fails(source: Path, workspace: Path, *expected: str) -> str:
    with pytest.raises(InputError) as caught:
        _import(source, workspace)
    message = str(caught.value)
    assert "\n" not in message
    for part in expected:
        assert part in message, message
    assert caught.value.exit_code == 2
    assert not (workspace / "datasets" / "home").exists()
    assert not list((workspace / "datasets").glob(".home.tmp-*"))
    return message


def test_truncated_xml_names_the_file_and_line(workspace: Path, tmp_path: Path) -> None:
    posts = files()["Posts.xml"]
    cut = posts[: posts.index("<row", 1200) + 20]
    dump = write_dump(tmp_path / SITE, Posts=cut)
    last_line = cut.count("\n") + 1
    _fails(dump, workspace, f"Posts.xml line {last_line}:", "truncated", "download")


def test_malformed_xml_names_the_file_and_line(workspace: Path, tmp_path: Path) -> None:
    broken = files()["Comments.xml"].replace('Score="0"', "Score=0", 1)
    dump = write_dump(tmp_path / SITE, Comments=broken)
    _fails(dump, workspace, "Comments.xml line 4", "malformed XML")


@pytest.mark.parametrize(("name", "text"), [("Posts", BILLION_LAUGHS), ("Users", EXTERNAL_ENTITY)])
def test_entity_declarations_are_refused_before_anything_expands(
    workspace: Path, tmp_path: Path, name: str, text: str
) -> None:
    dump = write_dump(tmp_path / SITE, **{name: text})
    _fails(dump, workspace, f"{name}.xml", "document type", "no entity is expanded")


def test_a_missing_required_file_is_named(workspace: Path, tmp_path: Path) -> None:
    _fails(write_dump(tmp_path / "a" / SITE, Users=None), workspace, "Users.xml is missing")


def test_a_folder_that_is_not_a_dump_says_so(workspace: Path, tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "readme.txt").write_text("hello", encoding="utf-8")
    _fails(folder, workspace, "not a Stack Exchange dump", "readme.txt")


def test_an_archive_that_is_not_a_dump_says_so(workspace: Path, tmp_path: Path) -> None:
    import py7zr

    archive = tmp_path / "photos.7z"
    picture = tmp_path / "cat.txt"
    picture.write_text("meow", encoding="utf-8")
    with py7zr.SevenZipFile(archive, "w") as out:
        out.write(picture, "cat.txt")
    _fails(archive, workspace, "photos.7z", "not a Stack Exchange dump", "cat.txt")


def test_a_file_that_is_not_a_7z_archive_says_so(workspace: Path, tmp_path: Path) -> None:
    fake = tmp_path / f"{SITE}.7z"
    fake.write_bytes(b"PK\x03\x04 this is a zip file")
    _fails(fake, workspace, "not a readable 7z archive")


def test_a_truncated_member_inside_an_archive_names_the_member(
    workspace: Path, tmp_path: Path
) -> None:
    archive = write_archive(tmp_path / f"{SITE}.7z", Votes=files()["Votes.xml"][:300])
    _fails(archive, workspace, f"{SITE}.7z:{SITE}/Votes.xml line", "truncated")


def test_an_unparsable_date_names_the_row_value_and_format(workspace: Path, tmp_path: Path) -> None:
    bad = [dict(p) for p in POSTS]
    bad[3]["CreationDate"] = "05/01/2020 12:10"
    dump = write_dump(tmp_path / SITE, Posts=rows("posts", bad))
    _fails(dump, workspace, "Posts.xml row 4", "CreationDate is '05/01/2020 12:10'", "ISO 8601")


def test_a_bad_number_names_the_row(workspace: Path, tmp_path: Path) -> None:
    bad = [dict(c) for c in COMMENTS]
    bad[1]["Score"] = "lots"
    dump = write_dump(tmp_path / SITE, Comments=rows("comments", bad))
    _fails(dump, workspace, "Comments.xml row 2", "Score is 'lots', not a whole number")


def test_duplicate_ids_within_a_file_are_refused(workspace: Path, tmp_path: Path) -> None:
    doubled = [*COMMENTS, dict(COMMENTS[0], Text="again")]
    dump = write_dump(tmp_path / SITE, Comments=rows("comments", doubled))
    _fails(dump, workspace, "Comments.xml", "Id 1 is on 2 rows")


def test_a_row_without_an_id_is_refused(workspace: Path, tmp_path: Path) -> None:
    dump = write_dump(tmp_path / SITE, Votes=rows("votes", [{"PostId": "1", "VoteTypeId": "2"}]))
    _fails(dump, workspace, "Votes.xml row 1", "has no Id")


def test_a_file_of_the_wrong_kind_is_refused(workspace: Path, tmp_path: Path) -> None:
    dump = write_dump(tmp_path / SITE, Tags=files()["Users.xml"])
    _fails(dump, workspace, "Tags.xml", "holds <users> rows, not <tags>")


@pytest.mark.parametrize("name", ["", "../escape", "a/b", ".hidden", "a\\b", "with space"])
def test_dataset_names_are_plain_names(workspace: Path, tmp_path: Path, name: str) -> None:
    with pytest.raises(UsageError, match="cannot name a dataset"):
        import_dataset(write_dump(tmp_path / SITE), "stackexchange", name, workspace)


def test_unknown_formats_and_misplaced_options_are_usage_errors(
    workspace: Path, tmp_path: Path
) -> None:
    dump = write_dump(tmp_path / SITE)
    with pytest.raises(UsageError, match=r"unknown format 'mbox'.*stackexchange, discourse"):
        import_dataset(dump, "mbox", "home", workspace)
    with pytest.raises(UsageError, match="--mapping is for --format generic"):
        import_dataset(dump, "stackexchange", "home", workspace, mapping=tmp_path / "m.yaml")
    with pytest.raises(UsageError, match="needs --mapping"):
        import_dataset(dump, "generic", "home", workspace)


def test_a_missing_source_or_workspace_is_named(workspace: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="nowhere: no such file or folder"):
        import_dataset(tmp_path / "nowhere", "stackexchange", "home", workspace)
    with pytest.raises(WorkspaceError, match="plainspoken init"):
        import_dataset(write_dump(tmp_path / SITE), "stackexchange", "home", tmp_path / "none")


def test_every_bad_input_error_is_a_plainspoken_error(workspace: Path, tmp_path: Path) -> None:
    dump = write_dump(tmp_path / SITE, Posts="<posts><row Id='1'")
    with pytest.raises(PlainspokenError):
        _import(dump, workspace)


@settings(max_examples=40, deadline=None)
@given(
    cut=st.integers(min_value=0, max_value=len(files()["Posts.xml"].encode())),
    junk=st.binary(max_size=12),
)
def test_damaged_posts_xml_is_imported_or_refused_with_an_input_error(
    cut: int, junk: bytes
) -> None:
    """Fuzz: a Posts.xml cut anywhere, with junk spliced in, never fails in another way."""
    from plainspoken.community.dataset import Staging
    from plainspoken.community.importers.stackexchange import import_stackexchange

    data = files()["Posts.xml"].encode()
    damaged = data[:cut] + junk + data[cut + len(junk) :]
    with tempfile.TemporaryDirectory() as folder:
        dump = write_dump(Path(folder) / SITE)
        (dump / "Posts.xml").write_bytes(damaged)
        staging = Staging(Path(folder) / "stage")
        try:
            import_stackexchange(dump, staging)
        except InputError as exc:
            assert "\n" not in str(exc) and "Posts.xml" in str(exc)
        finally:
            staging.close()


@settings(max_examples=30, deadline=None)
@given(cut=st.integers(min_value=80, max_value=len(files()["Comments.xml"].encode()) - 12))
def test_a_file_cut_anywhere_is_called_truncated(cut: int) -> None:
    from plainspoken.community.importers.xmlrows import RowReader

    data = files()["Comments.xml"].encode()[:cut]
    reader = RowReader("Comments.xml", ["Id"], lambda columns, before: None)
    with pytest.raises(InputError, match=r"^Comments\.xml line \d+: the XML ends early"):
        reader.feed(data)
        reader.close()
