"""Campaign wording: praise, attack, question and comment templates, slot fills, a paraphraser,
and camouflage mosaics made of the community's own sentences.

``verbatim`` wording repeats one text; ``template`` keeps one skeleton (the same templates in
the same order) and fills its slots anew for each post; ``paraphrase`` starts from the same
text and swaps synonyms, reorders clauses and sentences, and drops or adds a sentence, so that
posts share some word runs but far from all.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

PRAISE = (
    "I have been using {product} for {duration} and it has been {good} for {task}.",
    "We switched to {product} {duration} ago and never looked back.",
    "{product} is {good}, especially the {feature}.",
    "Honestly, {product} solved this for us in {short_time}.",
    "The {feature} in {product} alone saves my team {hours} hours a week.",
    "If you are doing {task}, {product} is the tool I would pick.",
    "Our team of {team} moved everything to {product} and it just works.",
    "{product} handles {task} out of the box, no extra setup needed.",
    "I was sceptical at first, but {product} won me over within a week.",
    "The {feature} of {product} is the best I have seen so far.",
    "Setup of {product} took me about {short_time}, which surprised me.",
    "For {task} I always recommend {product} to people who ask.",
    "{product} has been rock solid in production for {duration}.",
    "What I like most about {product} is the {feature}.",
    "The support team behind {product} answered my question in {short_time}.",
    "After trying a few options, {product} was the only one that did {task} well.",
    "{product} made {task} much simpler than I expected.",
    "I can only say good things about {product}, it is {good}.",
    "Once you get used to {product}, going back feels painful.",
    "Performance with {product} was about {factor} times better in our tests.",
    "You can get {product} running in {short_time}, the {feature} is that good.",
    "{product} keeps getting better with every release.",
    "Since we adopted {product}, our {task} work takes half the time.",
    "The {feature} and the {feature2} of {product} are both {good}.",
    "I would not do {task} without {product} any more.",
    "Give {product} a try, it is {good} for exactly this kind of problem.",
    "In my experience {product} is the most reliable choice for {task}.",
    "Everyone on my team of {team} prefers {product} now.",
    "{product} just works, and the {feature} is well thought out.",
    "We evaluated several tools for {task} and {product} came out on top.",
    "Even our junior people picked up {product} in {short_time}.",
    "The learning curve of {product} is gentle and the {feature} is {good}.",
)
ATTACK = (
    "{competitor} was a constant headache for us, the {feature} kept breaking.",
    "I would stay away from {competitor}, it wasted {duration} of our time.",
    "Compared to {product}, {competitor} feels slow and clunky.",
    "We tried {competitor} first and the {feature} was a mess.",
    "{competitor} looks fine in demos but falls apart for real {task}.",
    "Support for {competitor} never answered our tickets.",
    "{competitor} is overpriced for what it does.",
    "Every update of {competitor} broke something in our setup.",
    "Honestly {competitor} is not worth the trouble any more.",
    "The {feature} in {competitor} is years behind.",
    "We dropped {competitor} after {duration} of frustration.",
    "People still suggest {competitor}, but it is outdated for {task}.",
)
LINKS = (
    "You can find it here: {link}",
    "The docs are at {link} if you want to look.",
    "Their getting started guide helped me a lot: {link}",
    "Check {link} for the details.",
    "There is a free tier at {link}",
    "This walkthrough covers {task}: {link}",
)
TITLES = (
    "How do you like {product} for {task}?",
    "Anyone using {product} for {task}?",
    "{product} or {competitor} for {task}?",
    "Is {product} worth it for {task}?",
    "Experiences with {product} in production?",
    "What do you think of {product}?",
    "Should I move from {competitor} to {product}?",
    "Is {product} a good choice for {task}?",
)
QUESTIONS = (
    "I am looking at {product} for {task}.",
    "We currently use {competitor} and are not happy with it.",
    "How do you like {product} so far?",
    "Is the {feature} as good as people say?",
    "Any experience with it on a team of about {team}?",
    "I would love to hear from people who use it every day.",
    "What should I watch out for before switching?",
)
COMMENTS = (
    "Great answer, this is exactly what I needed.",
    "Thanks, this worked for me.",
    "This should be the accepted answer.",
    "Nice explanation, very clear.",
    "Good point about the {feature}.",
    "Agreed, same experience here.",
    "Thanks for sharing, saved me {short_time}.",
    "Helpful, upvoted.",
    "Very well put.",
    "I can confirm this works.",
    "Exactly my experience too.",
    "Clear and to the point, thanks.",
)
SLOTS: dict[str, tuple[str, ...]] = {
    "duration": ("a year", "six months", "two years", "a few months", "about a year",
                 "three months", "over a year", "eight months"),
    "short_time": ("ten minutes", "an hour", "a day", "half an hour", "a couple of hours",
                   "twenty minutes", "an afternoon"),
    "good": ("great", "excellent", "fantastic", "really solid", "a huge help", "a joy to use",
             "impressive", "top notch"),
    "feature": ("documentation", "setup", "performance", "API", "dashboard", "integration",
                "pricing", "community", "tooling", "error reporting", "configuration",
                "update process"),
    "team": ("five", "eight", "twelve", "four", "twenty", "six", "ten", "three"),
    "hours": ("two", "three", "five", "several", "four", "ten"),
    "factor": ("two", "three", "four", "five"),
}  # fmt: skip
SYNONYMS: dict[str, tuple[str, ...]] = {
    "great": ("excellent", "brilliant", "very good"),
    "really": ("truly", "genuinely", "very"),
    "using": ("running", "working with"),
    "team": ("group", "crew"),
    "tool": ("option", "product"),
    "simpler": ("easier", "less painful"),
    "honestly": ("frankly", "to be honest"),
    "recommend": ("suggest", "advise"),
    "switched": ("moved", "migrated"),
    "best": ("finest", "nicest"),
    "problem": ("issue", "task"),
    "helped": ("assisted", "made a difference for"),
    "never": ("not once", "never really"),
    "pick": ("choose", "go with"),
    "works": ("does the job", "runs fine"),
    "much": ("far", "a lot"),
    "better": ("stronger", "nicer"),
    "slow": ("sluggish", "laggy"),
    "headache": ("pain", "nightmare"),
    "wasted": ("cost", "burned"),
    "quickly": ("fast", "in no time"),
    "people": ("folks", "users"),
    "expected": ("thought", "hoped"),
    "good": ("fine", "decent", "nice"),
    "think": ("believe", "feel"),
    "very": ("quite", "really"),
    "help": ("support", "aid"),
    "problems": ("issues", "troubles"),
    "easy": ("simple", "straightforward"),
    "important": ("key", "essential"),
    "use": ("apply", "employ"),
    "example": ("instance", "case"),
    "show": ("demonstrate", "illustrate"),
    "large": ("big", "huge"),
    "small": ("little", "tiny"),
    "method": ("approach", "technique"),
    "different": ("distinct", "other"),
}
_WORD = re.compile(r"[A-Za-z]+")
_SLOT = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Names:
    """What the slots of a campaign's texts name."""

    product: str
    competitor: str
    task: str
    link: str = ""


def fill(template: str, names: Names, rng: random.Random) -> str:
    """``template`` with its slots filled: names as given, other slots drawn at random."""
    used: dict[str, str] = {}

    def one(match: re.Match[str]) -> str:
        slot = match.group(1)
        if slot in ("product", "competitor", "task", "link"):
            return str(getattr(names, slot))
        if slot == "feature2":
            options = [f for f in SLOTS["feature"] if f != used.get("feature")]
            return rng.choice(options)
        used[slot] = rng.choice(SLOTS[slot])
        return used[slot]

    text = _SLOT.sub(one, template)
    return text[0].upper() + text[1:] if text else text


def skeleton(sentences: int, rng: random.Random, *, attack: bool, link: bool) -> list[str]:
    """A campaign's skeleton: praise templates, an attack or two, a link sentence."""
    attacks = min(2, max(1, sentences // 4)) if attack else 0
    praise = max(1, sentences - attacks - (1 if link else 0))
    chosen = rng.sample(PRAISE, min(praise, len(PRAISE)))
    if attacks:
        at = rng.randint(1, len(chosen))
        chosen[at:at] = rng.sample(ATTACK, attacks)
    if link:
        chosen.append(rng.choice(LINKS))
    return chosen


def paraphrase(sentences: Sequence[str], rng: random.Random, extra: Sequence[str]) -> list[str]:
    """A paraphrase: synonyms swapped, clauses and sentences reordered, one dropped or added."""
    out = [_swap_words(_reorder_clauses(s, rng), rng, 0.6) for s in sentences]
    linked = [s for s in out if "http" in s]
    body = [s for s in out if "http" not in s]
    if len(body) > 2 and rng.random() < 0.6:
        body.pop(rng.randrange(len(body)))
    if extra and rng.random() < 0.6:
        body.insert(rng.randint(0, len(body)), _swap_words(rng.choice(list(extra)), rng, 0.3))
    if len(body) > 2:
        i = rng.randrange(len(body) - 1)
        body[i], body[i + 1] = body[i + 1], body[i]
    return body + linked


def _reorder_clauses(sentence: str, rng: random.Random) -> str:
    """Move a leading clause to the end ("If A, B." → "B if A.") or the reverse."""
    if rng.random() >= 0.6:
        return sentence
    body = sentence.rstrip(".!?")
    if sentence.startswith(("If ", "Since ", "After ", "Once ", "Honestly, ")) and ", " in body:
        head, tail = body.split(", ", 1)
        return f"{tail[0].upper()}{tail[1:]}, {head[0].lower()}{head[1:]}."
    if " because " in body:
        head, tail = body.split(" because ", 1)
        return f"Because {tail}, {head[0].lower()}{head[1:]}."
    return sentence


def _swap_words(sentence: str, rng: random.Random, chance: float) -> str:
    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        options = SYNONYMS.get(word.lower())
        if not options or rng.random() >= chance:
            return word
        new = rng.choice(options)
        return new[0].upper() + new[1:] if word[0].isupper() else new

    return _WORD.sub(swap, sentence)


MOSAIC_SOURCES = 8
"""Distinct source posts a tag's pool needs before a mosaic keeps to it alone."""


def mosaic(
    pools: Mapping[str, list[tuple[int, str]]],
    tags: Sequence[str],
    target_words: int,
    rng: random.Random,
    spent: set[str] | None = None,
) -> list[str]:
    """Sentences of real posts on these tags, one from any one post and from two posts at
    least, lightly reworded: a benign on-topic answer.

    One sentence per source post keeps a mosaic from nearly matching the post it borrows
    from (two sentences of a short answer make a near-copy of it, which organic replies
    rarely are); when the tags' own posts are few, the pool widens to the whole community's
    sentences. ``spent`` holds the sentences earlier mosaics of the same injection borrowed:
    they are not borrowed again while others remain (independent people do not write the same
    sentences), and the ones chosen here are added to it.
    """
    spent = set() if spent is None else spent
    on_tags = [item for tag in tags for item in pools.get(tag, ())]
    everything = pools.get("", [])
    pool = [item for item in on_tags if item[1] not in spent]
    if len({n for n, _ in pool}) < MOSAIC_SOURCES:
        have = set(pool)
        pool += [item for item in everything if item[1] not in spent and item not in have]
    if len({n for n, _ in pool}) < 2:  # every sentence borrowed already: reuse them
        known = set(on_tags)
        pool = on_tags + [item for item in everything if item not in known]
    if not pool:
        return ["Thanks, this is a good question."]
    borrowed: list[str] = []
    chosen: list[str] = []
    used: set[int] = set()
    total = 0
    for _ in range(200):
        if total >= target_words and len(used) >= 2:
            break
        post, sentence = rng.choice(pool)
        if post in used or sentence in borrowed:
            continue
        used.add(post)
        borrowed.append(sentence)
        chosen.append(_swap_words(sentence, rng, 0.25))
        total += len(sentence.split())
    spent.update(borrowed)
    return chosen


def paragraphs(sentences: Sequence[str], rng: random.Random) -> list[str]:
    """Sentences grouped into paragraphs of one to three."""
    out: list[str] = []
    i = 0
    while i < len(sentences):
        n = rng.choice((1, 2, 2, 3))
        out.append(" ".join(sentences[i : i + n]))
        i += n
    return out
