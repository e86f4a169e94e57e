"""Stance rows keep a tone, not the sentiment: praise at or above its threshold, attack at or
below its own, nothing in between."""

from __future__ import annotations

import numpy as np
import pytest

from plainspoken.community.authenticity.reading import ATTACK, PRAISE, Stances, tones


def test_thresholds_belong_to_the_tone_they_name() -> None:
    compound = np.array([0.9, 0.5, 0.49, 0.0, -0.29, -0.3, -0.8])
    assert tones(compound, (0.5, -0.3)).tolist() == [PRAISE, PRAISE, 0, 0, 0, ATTACK, ATTACK]


def test_the_rows_say_which_praise_and_which_attack() -> None:
    compound = np.array([0.7, -0.6, 0.1])
    one = np.zeros(3, dtype=np.int32)
    stances = Stances(one, one, tones(compound, (0.5, -0.3)), ["Acme"])
    assert stances.praised.tolist() == [True, False, False]
    assert stances.attacked.tolist() == [False, True, False]


def test_the_toned_rows_are_the_praise_and_the_attacks_in_order() -> None:
    compound = np.array([0.7, 0.0, -0.6, 0.2, 0.9])
    stances = Stances(
        np.array([0, 0, 1, 2, 3], dtype=np.int32),
        np.array([1, 2, 0, 1, 2], dtype=np.int32),
        tones(compound, (0.5, -0.3)),
        ["Acme", "Bolt", "Crux"],
    )
    toned = stances.toned()
    assert (toned.post.tolist(), toned.product.tolist()) == ([0, 1, 3], [1, 0, 2])
    assert toned.tone.tolist() == [PRAISE, ATTACK, PRAISE]
    assert toned.products == stances.products


def test_an_attack_threshold_at_or_above_praise_is_refused() -> None:
    with pytest.raises(ValueError, match="must be below praise"):
        tones(np.array([0.1]), (0.2, 0.2))
