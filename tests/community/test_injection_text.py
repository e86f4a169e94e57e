"""Camouflage mosaics: real sentences borrowed so that no mosaic nearly copies a post, and
independent mosaics of one injection do not share sentences."""

from __future__ import annotations

import random

from plainspoken.community.injection.text import MOSAIC_SOURCES, mosaic


def _pools(
    posts_per_tag: dict[str, int], sentences_each: int = 4
) -> dict[str, list[tuple[int, str]]]:
    """Pools keyed by tag ("" for every post), each sentence numbered by its source post."""
    pools: dict[str, list[tuple[int, str]]] = {"": []}
    number = 0
    for tag, count in posts_per_tag.items():
        for _ in range(count):
            for k in range(sentences_each):
                item = (number, f"Post {number} sentence {k} says something about {tag}.")
                pools.setdefault(tag, []).append(item)
                pools[""].append(item)
            number += 1
    return pools


def test_one_sentence_per_source_post_and_none_reused_while_others_remain() -> None:
    pools = _pools({"mqtt": 40})
    source = {text: post for post, text in pools[""]}
    spent: set[str] = set()
    rng = random.Random(3)
    for _ in range(12):
        before = set(spent)
        chosen = mosaic(pools, ["mqtt"], 40, rng, spent)
        borrowed = spent - before
        assert len(chosen) >= 2
        assert len(borrowed) == len(chosen)  # nothing borrowed twice
        assert len({source[s] for s in borrowed}) == len(borrowed)  # one per source post


def test_a_small_tag_pool_widens_to_the_whole_community() -> None:
    pools = _pools({"rare": MOSAIC_SOURCES - 5, "common": 30})
    source = {text: post for post, text in pools[""]}
    rare_posts = {post for post, _ in pools["rare"]}
    spent: set[str] = set()
    mosaic(pools, ["rare"], 200, random.Random(1), spent)
    # 200 words need more posts than the tag has: the others' sentences fill the rest.
    assert {source[s] for s in spent} - rare_posts


def test_when_every_sentence_was_borrowed_mosaics_still_write() -> None:
    pools = _pools({"tiny": 3}, sentences_each=1)
    spent: set[str] = set()
    rng = random.Random(5)
    first = mosaic(pools, ["tiny"], 30, rng, spent)
    again = mosaic(pools, ["tiny"], 30, rng, spent)
    assert len(first) >= 2 and len(again) >= 2
