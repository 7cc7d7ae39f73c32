"""Drawing an attempt's questions from the quiz's rules (pure and seeded, so it is reproducible).

Questions may share an exclusion group (`group:` in a bank file, across banks): an attempt never holds two
questions of one group, so a quiz does not test the same fact twice.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from quizapp import qtypes
from quizapp.banks.schema import DrawRule


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
    group: str | None = None


class NotEnoughQuestions(ValueError):
    """A draw rule asks for more questions than match it."""


def matches(rule: DrawRule, c: Candidate) -> bool:
    """Whether a candidate is from the rule's bank (if any), carries all its tags and none it excludes."""
    return (
        (rule.bank is None or c.bank == rule.bank) and set(rule.tags) <= c.tags and c.tags.isdisjoint(rule.exclude_tags)
    )


def available(rules: Sequence[DrawRule], candidates: Sequence[Candidate]) -> list[int]:
    """Return how many distinct questions each rule can still draw, in rule order (groups aside)."""
    taken: set[int] = set()
    counts = []
    for rule in rules:
        pool = [c.question_id for c in candidates if matches(rule, c) and c.question_id not in taken]
        counts.append(len(pool))
        taken.update(pool[: rule.count])
    return counts


def drawable(rules: Sequence[DrawRule], candidates: Sequence[Candidate] | Prepared) -> list[int]:
    """Return how many questions each rule can draw at most, groups respected, earlier rules first."""
    return [len(chosen) for chosen in assign(rules, candidates)]


def draw(
    rules: Sequence[DrawRule],
    candidates: Sequence[Candidate] | Prepared,
    seed: int,
    shuffle_questions: bool = True,
    shuffle_choices: bool = True,
) -> list[dict]:
    """Return the attempt layout: one slot per drawn question, never the same question or group twice."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible shuffle, not a secret
    picked: list[Candidate] = []
    for index, (rule, chosen) in enumerate(zip(rules, assign(rules, candidates, rng), strict=True)):
        if len(chosen) < rule.count:
            raise NotEnoughQuestions(
                f"draw rule {index + 1} asks for {rule.count} questions but only {len(chosen)} can be drawn"
            )
        picked.extend(chosen if shuffle_questions else sorted(chosen, key=lambda c: c.question_id))
    if shuffle_questions:
        rng.shuffle(picked)
    return [_slot(c, rng, shuffle_choices) for c in picked]


def assign(
    rules: Sequence[DrawRule], candidates: Sequence[Candidate] | Prepared, rng: random.Random | None = None
) -> list[list[Candidate]]:
    """Return the questions each rule draws: no question twice, at most one per group, as many as can be had."""
    # A bipartite matching of rule slots to exclusion classes (a group, or a question without one), filled in
    # rule order (Kuhn's algorithm): each slot takes a random free class; only when none is left does it look
    # for an augmenting path that moves earlier slots to other classes. So a draw never falls short while some
    # choice of questions meets every rule, and how many each rule gets does not depend on the random choices.
    prepared = candidates if isinstance(candidates, Prepared) else Prepared(candidates)
    matched = [prepared.matching(rule) for rule in rules]
    options = [classes for classes, _ in matched]
    owner: dict[int, int] = {}  # class -> the slot holding it
    slot_rule: list[int] = []
    slot_class: list[int] = []
    for r, rule in enumerate(rules):
        free = list(options[r])
        for _ in range(rule.count):
            cls = _take_free(free, owner, rng)
            if cls is None:
                cls = _augment(r, options, owner, slot_rule, slot_class)
            if cls is None:
                break  # no path now means none for this rule's later slots either
            owner[cls] = len(slot_rule)
            slot_rule.append(r)
            slot_class.append(cls)
    picks: list[list[Candidate]] = [[] for _ in rules]
    for r, cls in zip(slot_rule, slot_class, strict=True):
        members = matched[r][1][cls]
        picks[r].append(members[rng.randrange(len(members))] if rng and len(members) > 1 else members[0])
    return picks


class Prepared:
    """A pool's candidates in exclusion classes, with the classes each rule filter matches remembered.

    Built once per pool and shared by the draws of every attempt while the pool is unchanged (taking.drawing.pool); the
    random choices of a draw are the same as from the bare candidates.
    """

    def __init__(self, candidates: Sequence[Candidate]) -> None:
        """Group the candidates into their exclusion classes."""
        self.candidates = tuple(candidates)
        self.classes = _classes(self.candidates)
        self._matching: dict[tuple, tuple[list[int], dict[int, list[Candidate]]]] = {}

    def matching(self, rule: DrawRule) -> tuple[list[int], dict[int, list[Candidate]]]:
        """Return the classes a rule may draw from, in order, and each one's members that match the rule."""
        key = (rule.bank, tuple(rule.tags), tuple(rule.exclude_tags))  # the count does not change what matches
        found = self._matching.get(key)
        if found is None:
            members = {}
            for i, cls in enumerate(self.classes):
                if matched := [c for c in cls if matches(rule, c)]:
                    members[i] = matched
            found = self._matching[key] = (list(members), members)
        return found


def _classes(candidates: Sequence[Candidate]) -> list[list[Candidate]]:
    """Return the exclusion classes in question id order: one per group, one per question without a group."""
    classes: list[list[Candidate]] = []
    groups: dict[str, list[Candidate]] = {}
    for c in sorted(candidates, key=lambda c: c.question_id):
        if c.group is None:
            classes.append([c])
        elif c.group in groups:
            groups[c.group].append(c)
        else:
            groups[c.group] = [c]
            classes.append(groups[c.group])
    return classes


def _take_free(free: list[int], owner: dict[int, int], rng: random.Random | None) -> int | None:
    """Remove and return a random class from `free` that no slot holds (a lazy Fisher-Yates), or None."""
    while free:
        j = rng.randrange(len(free)) if rng else 0
        free[j], free[-1] = free[-1], free[j]
        cls = free.pop()
        if cls not in owner:
            return cls
    return None


def _augment(
    rule: int, options: list[list[int]], owner: dict[int, int], slot_rule: list[int], slot_class: list[int]
) -> int | None:
    """Shift slots along a path from a new slot of `rule` to a free class; return the new slot's class, or None."""
    reached: dict[int, int | None] = {}  # class -> the slot that would move onto it (None: the new slot)
    queue: deque[tuple[int | None, int]] = deque([(None, rule)])
    while queue:
        slot, r = queue.popleft()
        for cls in options[r]:
            if cls in reached:
                continue
            reached[cls] = slot
            if cls not in owner:
                return _shift(cls, reached, owner, slot_class)
            queue.append((owner[cls], slot_rule[owner[cls]]))
    return None


def _shift(free: int, reached: dict[int, int | None], owner: dict[int, int], slot_class: list[int]) -> int:
    """Move each slot on the path one class along, ending at the free class; return the new slot's class."""
    cls = free
    while (slot := reached[cls]) is not None:
        previous = slot_class[slot]
        slot_class[slot], owner[cls] = cls, slot
        cls = previous
    return cls


def _slot(c: Candidate, rng: random.Random, shuffle_choices: bool) -> dict:
    """Build one layout slot, with the choice display order when the question has choices."""
    # Ordered items are always shown shuffled: their listed order is the answer.
    order = qtypes.get(c.type).shown_order(c.choice_count, shuffle_choices and c.shuffle, rng)
    return {"q": c.question_id, "v": c.version_id, "topic": c.topic, "points": c.points, "order": order}
