"""The one pass over post texts: stance toward named products, and wording signatures.

Texts come from the engine in batches (``texts.Texts``) and are dropped after each batch; what
survives is compact: a row per (post, product named) with the sentiment toward it, and a
MinHash signature per post. On a big community with a spare core, worker processes (started
by a fork server, so they share nothing with this one) read both for a batch each, and at
most two batches per worker wait at a time, so memory does not grow with the data.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np
import numpy.typing as npt

from plainspoken.community.authenticity.data import Community
from plainspoken.community.authenticity.duplicates import Duplicates, find_duplicates
from plainspoken.community.authenticity.products import (
    ProductIndex,
    StanceReader,
    Vocabulary,
    product_names,
)
from plainspoken.community.authenticity.signature_file import SignatureFile
from plainspoken.community.authenticity.wording import Signatures, Wording, common_pairs
from plainspoken.community.memory import give_back
from plainspoken.community.strings import Concat

Progress = Callable[[str], None]
BATCH = 25_000  # posts per batch read from the engine
_STANCE_CHARS = 4_000
_SAMPLE = 50_000  # posts sampled for product names and common word pairs
_WORKER_POSTS = 100_000  # below this many posts, stance is read in this process
_GIVE_BACK_POSTS = 1_000_000  # posts read between returns of freed heap in the text pass


PRAISE, ATTACK = 1, -1  # a stance row's tone (0: neither)


@dataclass(frozen=True)
class Stances:
    """One row per (post, product named in it): the tone of the sentences naming it, from
    their mean sentiment (``compound``) at the thresholds of the text pass: ``PRAISE`` at or
    above the praise threshold, ``ATTACK`` at or below the attack threshold, 0 otherwise.

    ``product`` indexes ``products`` (sorted by name); rows are sorted by post, then product.
    Numbers are 32-bit and the tone one byte (the analysis only compares the sentiment with
    the two thresholds): a big community has several rows per post.
    """

    post: npt.NDArray[np.int32]
    product: npt.NDArray[np.int32]
    tone: npt.NDArray[np.int8]
    products: list[str]

    def __len__(self) -> int:
        return len(self.post)

    def toned(self) -> Stances:
        """Only the rows that praise or attack their product (a few in a hundred): what the
        analysis reads of stance once the one-product accounts are known."""
        keep = self.tone != 0
        return Stances(self.post[keep], self.product[keep], self.tone[keep], self.products)

    @property
    def praised(self) -> npt.NDArray[np.bool_]:
        """Rows that strongly praise their product."""
        return np.asarray(self.tone == PRAISE, dtype=bool)

    @property
    def attacked(self) -> npt.NDArray[np.bool_]:
        """Rows that attack their product."""
        return np.asarray(self.tone == ATTACK, dtype=bool)


def tones(
    compound: npt.NDArray[np.float64], thresholds: tuple[float, float]
) -> npt.NDArray[np.int8]:
    """Each sentiment's tone at (praise, attack) thresholds, attack below praise."""
    praise, attack = thresholds
    if not attack < praise:
        raise ValueError(f"the attack threshold {attack:g} must be below praise {praise:g}")
    out = np.zeros(len(compound), dtype=np.int8)
    out[compound >= praise] = PRAISE
    out[compound <= attack] = ATTACK
    return out


_BatchRows = tuple[npt.NDArray[np.int32], npt.NDArray[np.int32], npt.NDArray[np.float64]]
_Batch = tuple[_BatchRows, npt.NDArray[np.uint16], npt.NDArray[np.int64]]
_ToneRows = tuple[npt.NDArray[np.int32], npt.NDArray[np.int32], npt.NDArray[np.int8]]
_READER: StanceReader | None = None
_SIGNATURES: Signatures | None = None
_CODES: dict[str, int] = {}


def _leave_with_parent() -> None:
    """In a worker: end as soon as the process that started the pool ends (killed or not), so
    a stopped analysis leaves nothing running."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _start(
    names: Mapping[str, tuple[str, ...]], wording: Wording, common: npt.NDArray[np.uint64]
) -> None:
    """Set up a worker (or this process): the product index and the signature hashes."""
    global _READER, _SIGNATURES, _CODES
    _leave_with_parent()
    index = ProductIndex(names)
    _READER = StanceReader(index)
    _CODES = {name: i for i, name in enumerate(index.names)}
    _SIGNATURES = Signatures(wording, common)


def _read_batch(first: int, texts: list[str]) -> _Batch:
    """Stance rows (post number, product, compound; sorted by post, then product) and
    signatures for a batch of posts."""
    assert _READER is not None and _SIGNATURES is not None
    posts: list[int] = []
    products: list[int] = []
    scores: list[float] = []
    for offset, text in enumerate(texts):
        for stance in _READER.stances(text[:_STANCE_CHARS]):
            posts.append(first + offset)
            products.append(_CODES[stance.product])
            scores.append(stance.compound)
    signature, owners = _SIGNATURES.block(first, texts)
    post = np.array(posts, dtype=np.int32)
    product = np.array(products, dtype=np.int32)
    order = np.lexsort((product, post))
    rows = (post[order], product[order], np.array(scores, dtype=np.float64)[order])
    return rows, signature, owners


def _names_and_common(
    community: Community, wording: Wording, vocabulary: Vocabulary
) -> tuple[dict[str, tuple[str, ...]], npt.NDArray[np.uint64]]:
    """Product names from tags, the vocabulary and capitalized names in titles and a sample of
    posts; and the word pairs too common in that sample to mean anything."""
    step = max(1, len(community.posts) // _SAMPLE)
    sample = community.texts.sample(step)
    names = product_names(
        community.threads.tag_threads, Concat(community.threads.titles, sample), vocabulary
    )
    authors = community.posts.author[::step][: len(sample)]
    return names, common_pairs(sample, wording, authors)


def _workers() -> int:
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return 0
    return min(2, os.cpu_count() or 1) if (os.cpu_count() or 1) >= 2 else 0


def read_texts(
    community: Community,
    wording: Wording,
    vocabulary: Vocabulary,
    thresholds: tuple[float, float],
    progress: Progress | None = None,
    scratch: Path | None = None,
) -> tuple[Stances, Duplicates]:
    """Read every post's text once: stance toward named products (praise and attack at
    ``thresholds``, attack below praise) and near-duplicate pairs.

    Signatures wait on disk for the near-duplicate search, in a folder made under ``scratch``
    (default: the system's temporary folder) and removed afterwards."""
    names, common = _names_and_common(community, wording, vocabulary)
    # The sample's texts and word pairs are gone: what the allocator kept of them (hundreds of
    # megabytes) goes back before the pass, not after it.
    give_back()
    if progress:
        progress(f"reading stance toward {len(names):,} product names and comparing wording")
    with SignatureFile(wording.bands, wording.rows, scratch) as signature:
        # Stance rows (several per post) wait on disk beside the signatures until the
        # near-duplicate search, which does not read them, is done.
        stance_file = _StanceFile(signature.folder, sorted(names))
        try:
            owners = _read_all(
                community, names, wording, common, thresholds, signature, stance_file, progress
            )
            give_back()
            if progress:
                progress(f"comparing {len(owners):,} signatures")
            duplicates = find_duplicates(signature, owners, community.posts.author, wording)
            del owners
            give_back()
            stances = stance_file.back()
        finally:
            stance_file.close()
    return stances, duplicates


_STANCE_COLUMNS = (("post", np.int32), ("product", np.int32), ("tone", np.int8))


class _StanceFile:
    """Stance rows appended a batch at a time to files in ``folder`` (removed with it), and
    read back whole once the near-duplicate search, which does not read them, is done: a big
    community's rows (several per post) are never held while the text pass and the search
    hold their own arrays."""

    def __init__(self, folder: Path, products: list[str]) -> None:
        self.folder, self.products = folder, products
        self._out: list[IO[bytes]] | None = [
            (folder / f"stance-{name}.bin").open("wb") for name, _ in _STANCE_COLUMNS
        ]
        self._count = 0
        # Whether the rows so far are in (post, product) order, and the last of them: checked
        # a batch at a time, so reading them back needs no pass over all of them to know.
        self._ordered = True
        self._last: tuple[int, int] = (-1, -1)

    def append(self, rows: _ToneRows) -> None:
        if self._out is None:
            raise ValueError("stance rows can no longer be added once they are read")
        post, product, _ = rows
        if len(post):
            step = np.diff(post)
            self._ordered = bool(
                self._ordered
                and (int(post[0]), int(product[0])) >= self._last
                and not (step < 0).any()
                and not ((step == 0) & (np.diff(product) < 0)).any()
            )
            self._last = (int(post[-1]), int(product[-1]))
        for out, (_, kind), values in zip(self._out, _STANCE_COLUMNS, rows, strict=True):
            out.write(np.ascontiguousarray(values, dtype=kind).tobytes())
        self._count += len(post)

    def close(self) -> None:
        """Stop writing (the files go with their folder)."""
        for out in self._out or ():
            out.close()
        self._out = None

    def back(self) -> Stances:
        """Every row appended, sorted by post then product (batches come in post order, each
        sorted, so a sort happens only if they did not)."""
        self.close()
        post = np.fromfile(self.folder / "stance-post.bin", dtype=np.int32)
        product = np.fromfile(self.folder / "stance-product.bin", dtype=np.int32)
        tone = np.fromfile(self.folder / "stance-tone.bin", dtype=np.int8)
        if not len(post) == len(product) == len(tone) == self._count:
            raise ValueError(f"stance rows are missing from {self.folder}")
        if not self._ordered:
            order = np.lexsort((product, post))
            post, product, tone = post[order], product[order], tone[order]
        return Stances(post, product, tone, self.products)


def _read_all(
    community: Community,
    names: Mapping[str, tuple[str, ...]],
    wording: Wording,
    common: npt.NDArray[np.uint64],
    thresholds: tuple[float, float],
    signature: SignatureFile,
    stance_file: _StanceFile,
    progress: Progress | None,
) -> npt.NDArray[np.int32]:
    """Write every post's stance rows to ``stance_file`` and its signature to ``signature``;
    return the post number of each signature row."""
    total = len(community.posts)
    workers = _workers() if total >= _WORKER_POSTS else 0
    # Signatures and stance rows go straight to disk; only the signatures' post numbers stay.
    owners = np.empty(total, dtype=np.int32)  # post numbers: 32 bits are plenty
    filled = handed = 0

    def keep(batch: _Batch) -> None:
        nonlocal filled, handed
        (post, product, compound), block, posts = batch
        stance_file.append((post, product, tones(compound, thresholds)))
        signature.append(block)
        owners[filled : filled + len(posts)] = posts
        filled += len(posts)
        # The batches' texts and rows come and go between small arrays that stay: what the
        # allocator keeps of them goes back now and then, not only at the end.
        if filled - handed >= _GIVE_BACK_POSTS:
            give_back()
            handed = filled

    if workers:
        # A fork server starts clean workers: they do not inherit this process's memory, and
        # they end when it does.
        context = multiprocessing.get_context("forkserver")
        # The fork server loads this module (and numpy, pyarrow) once; workers forked from it
        # share those pages instead of each importing whatever the main program had.
        context.set_forkserver_preload([__name__])
        pool = ProcessPoolExecutor(
            workers, mp_context=context, initializer=_start, initargs=(names, wording, common)
        )
        pending: list[Future[_Batch]] = []
        try:
            done = 0
            for first, texts in community.texts.batches(BATCH):
                while len(pending) >= 2 * workers:
                    keep(pending.pop(0).result())
                pending.append(pool.submit(_read_batch, first, texts))
                done += len(texts)
                if progress and total >= 4 * BATCH:
                    progress(f"read {done:,} of {total:,} posts")
            while pending:
                keep(pending.pop(0).result())
        finally:
            pool.shutdown(cancel_futures=True)
    else:
        _start(names, wording, common)
        for first, texts in community.texts.batches(BATCH):
            keep(_read_batch(first, texts))
    return owners[:filled].copy()
