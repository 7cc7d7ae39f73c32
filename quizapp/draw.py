"""Drawing an attempt's questions from the quiz's rules (pure and seeded, so it is reproducible)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from quizapp.bank.schema import CHOICE_TYPES, DrawRule


@dataclass(frozen=True)
class Candidate:
    """A question that a rule may draw: its current version and what the rules filter on."""

    question_id: int
    version_id: int
    bank: str
    topic: str
    tags: frozenset[str]
    type: str
    choice_count: int
    shuffle: bool
    points: float


class NotEnoughQuestions(ValueError):
    """A draw rule asks for more questions than match it."""


def matches(rule: DrawRule, c: Candidate) -> bool:
    """Whether a candidate is from the rule's bank (if any) and carries all its tags."""
    return (rule.bank is None or c.bank == rule.bank) and set(rule.tags) <= c.tags


def available(rules: Sequence[DrawRule], candidates: Sequence[Candidate]) -> list[int]:
    """Return how many distinct questions each rule can still draw, in rule order."""
    taken: set[int] = set()
    counts = []
    for rule in rules:
        pool = [c.question_id for c in candidates if matches(rule, c) and c.question_id not in taken]
        counts.append(len(pool))
        taken.update(pool[: rule.count])
    return counts


def draw(
    rules: Sequence[DrawRule],
    candidates: Sequence[Candidate],
    seed: int,
    shuffle_questions: bool = True,
    shuffle_choices: bool = True,
) -> list[dict]:
    """Return the attempt layout: one slot per drawn question, never the same question twice."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible shuffle, not a secret
    ordered = sorted(candidates, key=lambda c: c.question_id)
    picked: list[Candidate] = []
    taken: set[int] = set()
    for index, rule in enumerate(rules):
        pool = [c for c in ordered if matches(rule, c) and c.question_id not in taken]
        if len(pool) < rule.count:
            raise NotEnoughQuestions(f"draw rule {index + 1} asks for {rule.count} questions but {len(pool)} match")
        chosen = rng.sample(pool, rule.count)
        picked.extend(chosen if shuffle_questions else sorted(chosen, key=lambda c: c.question_id))
        taken.update(c.question_id for c in chosen)
    if shuffle_questions:
        rng.shuffle(picked)
    return [_slot(c, rng, shuffle_choices) for c in picked]


def _slot(c: Candidate, rng: random.Random, shuffle_choices: bool) -> dict:
    """Build one layout slot, with the choice display order when the question has choices."""
    order = None
    if c.type in CHOICE_TYPES:
        order = list(range(c.choice_count))
        # Ordering items are always shown shuffled: their listed order is the answer.
        if c.type == "ordering" or (shuffle_choices and c.shuffle):
            rng.shuffle(order)
    return {"q": c.question_id, "v": c.version_id, "topic": c.topic, "points": c.points, "order": order}
