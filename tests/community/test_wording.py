"""Common word pairs are counted by account, so a few accounts repeating one text stay visible."""

from __future__ import annotations

import numpy as np

from plainspoken.community.authenticity.duplicates import near_duplicates
from plainspoken.community.authenticity.wording import Wording, common_pairs

PITCH = "our team moved every backup job to vaultline and restores finally finish before lunch"


def _filler(i: int) -> str:
    return f"thanks for the help everyone, ticket {i} is closed now after patching host{i}"


def test_a_pair_many_accounts_write_is_common() -> None:
    texts = [_filler(i) for i in range(30)]
    found = common_pairs(texts, Wording(), np.arange(30))
    assert len(found) > 0  # "thanks for", "for the", ... written by 30 accounts


def test_one_text_repeated_by_a_few_accounts_is_not_common() -> None:
    texts = [PITCH] * 30
    by_post = common_pairs(texts, Wording())
    by_account = common_pairs(texts, Wording(), np.arange(30) % 3)
    assert len(by_post) > 0  # counted by post, 30 copies look like community language
    assert len(by_account) == 0  # but only three accounts write it


def test_repeated_pitches_of_a_few_accounts_are_found_as_duplicates() -> None:
    texts = [PITCH] * 24 + [_filler(i) for i in range(30)]
    authors = [f"sock{i % 3}" for i in range(24)] + [f"user{i}" for i in range(30)]
    pairs = near_duplicates(texts, authors)
    socks = {(p.first, p.second) for p in pairs if p.first < 24 and p.second < 24}
    assert socks  # the socks' copies of each other are near-duplicates
    assert all(authors[p.first] != authors[p.second] for p in pairs)
