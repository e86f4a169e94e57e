"""Signatures kept on disk answer the near-duplicate search exactly as an array in memory."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from plainspoken.community.authenticity import buckets, duplicates
from plainspoken.community.authenticity.duplicates import find_duplicates
from plainspoken.community.authenticity.signature_file import SignatureFile, SignatureTable
from plainspoken.community.authenticity.wording import Wording, mix, signatures

TEMPLATE = (
    "We moved our {thing} cluster to the new release last spring and the upgrade took one "
    "evening, rollback was never needed and the dashboards stayed green for {who} all week"
)
OTHERS = [
    "Has anyone measured how long a cold start takes on the smallest instance size today",
    "The documentation for the backup agent skips the part where retention is configured",
    "I would check the firewall rules first, then the certificate chain on the proxy host",
    "Our team keeps a runbook for this, mostly screenshots and the exact commands we typed",
]


def _texts() -> tuple[list[str], np.ndarray]:
    texts = [TEMPLATE.format(thing=t, who=w) for t, w in [("kafka", "us"), ("kafka", "ops")]]
    texts += OTHERS
    texts += [TEMPLATE.format(thing="redis", who="the team")]
    authors = np.array([0, 1, 2, 3, 4, 5, 6], dtype=np.int64)
    return texts, authors


def test_bands_read_back_what_was_written(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    whole = rng.integers(0, 1 << 16, size=(1_000, 12), dtype=np.uint16)
    with SignatureFile(4, 3, tmp_path) as stored:
        for lo in range(0, 1_000, 300):  # uneven blocks, as batches arrive
            stored.append(whole[lo : lo + 300])
        assert len(stored) == 1_000
        for band in range(4):
            assert np.array_equal(
                stored.band_part(band, 0, 1_000), whole[:, band * 3 : band * 3 + 3]
            )
            # Parts of a band, across the written blocks' edges and past the end.
            for lo, hi in ((0, 1), (250, 650), (990, 1_200), (1_000, 1_010)):
                part = stored.band_part(band, lo, hi)
                assert np.array_equal(part, whole[lo:hi, band * 3 : band * 3 + 3]), (lo, hi)
        with pytest.raises(ValueError, match="no longer be added"):
            stored.append(whole[:1])
        folder = stored.folder
        assert folder.parent == tmp_path
    assert not folder.exists()


def test_a_block_of_the_wrong_width_is_refused(tmp_path: Path) -> None:
    with (
        SignatureFile(4, 3, tmp_path) as stored,
        pytest.raises(ValueError, match="12 columns wanted"),
    ):
        stored.append(np.zeros((2, 10), dtype=np.uint16))


def test_near_duplicates_found_from_disk_match_those_found_in_memory(tmp_path: Path) -> None:
    texts, authors = _texts()
    settings = Wording(common_accounts=100)
    signature, owners = signatures(texts, settings, authors)
    in_memory = find_duplicates(SignatureTable(signature, settings.rows), owners, authors, settings)
    with SignatureFile(settings.bands, settings.rows, tmp_path) as stored:
        stored.append(signature[:3])
        stored.append(signature[3:])
        on_disk = find_duplicates(stored, owners, authors, settings)
    pairs = set(zip(in_memory.first.tolist(), in_memory.second.tolist(), strict=True))
    assert (0, 1) in pairs  # the two near-copies of the template by different accounts
    assert np.array_equal(in_memory.first, on_disk.first)
    assert np.array_equal(in_memory.second, on_disk.second)
    assert np.array_equal(in_memory.similarity, on_disk.similarity)


def _groups_by_every_neighbour_pair(table: SignatureTable, settings: Wording) -> np.ndarray:
    """Groups joined by comparing every pair of bucket neighbours in every band (the plain
    way, keeping every link), as labels."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    from plainspoken.community.authenticity.buckets import band_keys

    xs, ys = [], []
    for band in range(settings.bands):
        key = band_keys(table.band_part(band, 0, len(table)))
        order = np.argsort(key, kind="stable")
        same = key[order][1:] == key[order][:-1]
        x, y = order[:-1][same], order[1:][same]
        similar = (table.rows(x) == table.rows(y)).mean(axis=1) >= settings.threshold
        xs.append(x[similar])
        ys.append(y[similar])
    x, y = np.concatenate(xs), np.concatenate(ys)
    size = len(table)
    graph = coo_matrix((np.ones(len(x), dtype=np.int8), (x, y)), shape=(size, size))
    return connected_components(graph, directed=False)[1]


@pytest.mark.parametrize("part", [2_000_000, 5])
def test_boilerplate_groups_are_those_every_neighbour_pair_gives(
    part: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from plainspoken.community.authenticity.duplicates import _boilerplate_rows

    monkeypatch.setattr(buckets, "_PART", part)  # bands sorted in many parts when small
    # Groups of 1 to 8 noisy copies of a row, with few distinct values so that some groups
    # join across bands; each row's writer drawn at random.
    rng = np.random.default_rng(11)
    settings = Wording(bands=6, rows=2, boilerplate_authors=3)
    base = rng.integers(0, 6, size=(60, 12), dtype=np.uint16)
    whole = np.repeat(base, rng.integers(1, 9, size=60), axis=0)
    noise = rng.random(whole.shape) < 0.25
    whole[noise] = rng.integers(0, 6, size=int(noise.sum()), dtype=np.uint16)
    table = SignatureTable(whole, settings.rows)
    codes = rng.integers(-1, 12, size=len(whole)).astype(np.int64)
    labels = _groups_by_every_neighbour_pair(table, settings)
    known = codes >= 0
    writers = {g: len(set(codes[known & (labels == g)].tolist())) for g in set(labels.tolist())}
    expected = np.array([writers[g] > settings.boilerplate_authors for g in labels])
    found = _boilerplate_rows(table, codes, settings)
    assert expected.any() and not expected.all()
    assert np.array_equal(found, expected)


@pytest.mark.parametrize(
    ("stretch", "pairs", "part"), [(2_000_000, 1_000_000, 2_000_000), (3, 2, 7)]
)
def test_candidates_are_every_pair_sharing_a_bucket_in_the_chosen_rows(
    stretch: int, pairs: int, part: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from collections import Counter

    monkeypatch.setattr(buckets, "_NEIGHBOURS", stretch)  # many stretches when small
    monkeypatch.setattr(buckets, "_PAIRS", pairs)  # many parts of a band when small
    monkeypatch.setattr(buckets, "_PART", part)  # bands sorted in many parts when small
    monkeypatch.setattr(buckets, "_KEY_ROWS", part)  # keys made from parts of a band
    rng = np.random.default_rng(5)
    settings = Wording(bands=4, rows=2, max_bucket=4, boilerplate_authors=50)
    whole = rng.integers(0, 4, size=(120, 8), dtype=np.uint16)
    table = SignatureTable(whole, settings.rows)
    rows = np.flatnonzero(rng.random(len(whole)) < 0.7)
    for chosen in (None, rows):
        picked = range(len(whole)) if chosen is None else rows.tolist()
        expected: Counter[tuple[int, int, int]] = Counter()  # a pair once per band it shares
        for band in range(settings.bands):
            by_values: dict[tuple[int, ...], list[int]] = {}
            for row in picked:
                values = tuple(whole[row, band * 2 : band * 2 + 2].tolist())
                by_values.setdefault(values, []).append(row)
            expected.update((band, a, b) for m in by_values.values() if 2 <= len(m) <= 4
                            for i, a in enumerate(m) for b in m[i + 1 :])  # fmt: skip
        got: Counter[tuple[int, int, int]] = Counter()
        for band, first, second in buckets.candidates(table, settings, None, chosen):
            assert len(first) <= max(pairs, 6)  # a part holds at most one bucket over the size
            got.update((band, a, b) for a, b in zip(first.tolist(), second.tolist(), strict=True))
        assert got == expected and len(expected) > 20


def test_a_pair_is_compared_only_at_the_first_band_that_offers_it() -> None:
    # Noisy copies of 30 rows, so pairs share several bands; few distinct values, so some
    # buckets are over the size limit and their pairs are offered by a later band only.
    rng = np.random.default_rng(3)
    settings = Wording(bands=5, rows=2, max_bucket=4, boilerplate_authors=50)
    whole = np.repeat(rng.integers(0, 5, size=(30, 10), dtype=np.uint16), 3, axis=0)
    noise = rng.random(whole.shape) < 0.3
    whole[noise] = rng.integers(0, 5, size=int(noise.sum()), dtype=np.uint16)
    table = SignatureTable(whole, settings.rows)
    offered = buckets.Offered(len(whole), settings)
    first_band: dict[tuple[int, int], int] = {}
    offers = 0
    for band, x, y in buckets.candidates(table, settings, None, None, offered):
        pairs = list(zip(x.tolist(), y.tolist(), strict=True))
        offers += len(pairs)
        for pair in pairs:
            first_band.setdefault(pair, band)
        new_x, new_y, similarity = duplicates._first_offers(table, offered, band, x, y)
        assert list(zip(new_x.tolist(), new_y.tolist(), strict=True)) == [
            pair for pair in pairs if first_band[pair] == band
        ]
        assert np.allclose(similarity, (whole[new_x] == whole[new_y]).mean(axis=1))
    assert offers > len(first_band)  # pairs were offered again by later bands

    def shared_before(pair: tuple[int, int], band: int) -> bool:
        a, b = whole[list(pair)]
        return any((a[2 * k : 2 * k + 2] == b[2 * k : 2 * k + 2]).all() for k in range(band))

    # Some pairs shared an earlier, oversized bucket: they count from the band that offered them.
    assert any(shared_before(pair, band) for pair, band in first_band.items())


def test_more_bands_than_a_bit_mask_holds_are_refused() -> None:
    with pytest.raises(ValueError, match="at most 64 LSH bands"):
        buckets.Offered(10, Wording(bands=65))


@pytest.mark.parametrize("part", [1, 3, 50, 1_000])
def test_a_band_sorted_in_parts_is_the_whole_stable_sort(
    part: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(buckets, "_PART", part)
    rng = np.random.default_rng(9)
    # Few distinct keys spread over the 64 bits, so buckets repeat and parts differ in size.
    key = mix(rng.integers(0, 40, 500).astype(np.uint64))
    orders, sames = zip(*buckets.sorted_parts(key), strict=True)
    assert np.array_equal(np.concatenate(orders), np.argsort(key, kind="stable"))
    for order, same in zip(orders, sames, strict=True):
        assert np.array_equal(same, key[order][1:] == key[order][:-1])
    assert (len(orders) == 1) == (part >= len(key))  # one part when the band fits in one
