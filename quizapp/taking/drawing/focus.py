"""A practice quiz's draw moved toward the learner's weakest topics (pure): low-dose, high-frequency practice.

Each rule draws from one bank, so from one topic. The quiz's total is shared out again per learner: every rule
keeps one question (each asks for one at least, so the total allows it, and the quiz stays mixed), and the rest
goes to the rules in proportion to what their topic's latest score lacks of 100%. A topic without a score lacks
nothing known, so it keeps its one question; a learner without any score (or with 100% everywhere) gets the even
split. A rule the pool cannot fill hands its surplus to the next weakest rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from quizapp.banks.schema import DrawRule
from quizapp.taking.drawing.draw import Candidate, drawable


def rule_topics(rules: Sequence[DrawRule], candidates: Sequence[Candidate]) -> list[str | None]:
    """Return the topic of each rule's bank, as the pool knows it (None for a bank with no drawable question)."""
    topic_of = {c.bank: c.topic for c in candidates}
    return [topic_of.get(rule.bank) for rule in rules]


def redistribute(
    rules: Sequence[DrawRule], scores: Mapping[str, float], candidates: Sequence[Candidate]
) -> list[DrawRule]:
    """Return the rules with their counts moved toward the weakest topics, each drawable; rules left empty go."""
    topics = rule_topics(rules, candidates)
    known = [scores.get(topic) if topic is not None else None for topic in topics]
    order = sorted(range(len(rules)), key=lambda i: (known[i] is None, known[i] or 0, i))  # weakest first
    lacks = [Fraction(100) - Fraction(min(score, 100)) if score is not None else Fraction(0) for score in known]
    counts = _fit(rules, _shares(sum(rule.count for rule in rules), lacks, order), order, candidates)
    return [rule.model_copy(update={"count": n}) for rule, n in zip(rules, counts, strict=True) if n]


def _shares(total: int, weights: list[Fraction], order: list[int]) -> list[int]:
    """Share `total` out: one each, the rest by weight (largest remainders, weakest first on ties)."""
    if not any(weights):
        weights = [Fraction(1)] * len(weights)
    rest = total - len(weights)
    exact = [rest * w / sum(weights) for w in weights]
    counts = [1 + int(e) for e in exact]
    by_remainder = sorted(order, key=lambda i: exact[i] - int(exact[i]), reverse=True)  # stable: order breaks ties
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _fit(rules: Sequence[DrawRule], counts: list[int], order: list[int], candidates: Sequence[Candidate]) -> list[int]:
    """Lower each count the pool cannot meet to what it can, handing the surplus to the weakest rule with room."""
    # A rule found short is full for good; each round fills one more or ends, so this stops within len(rules) + 1.
    full: set[int] = set()
    while True:
        asked = [rule.model_copy(update={"count": n}) for rule, n in zip(rules, counts, strict=True)]
        got = drawable(asked, candidates)
        short = [i for i in order if got[i] < counts[i]]
        if not short:
            return counts
        surplus = sum(counts[i] - got[i] for i in short)
        for i in short:
            counts[i] = got[i]
            full.add(i)
        room = [i for i in order if i not in full]
        if room:
            counts[room[0]] += surplus


def weakest(topics: Sequence[str | None], scores: Mapping[str, float]) -> list[tuple[str, float]]:
    """Return the scored topics the draw favours (below the quiz topics' mean, unscored as 100%), weakest first."""
    known = {topic: min(scores.get(topic, 100), 100) for topic in topics if topic is not None}
    if not known:
        return []
    mean = sum(known.values()) / len(known)
    return sorted(((t, s) for t, s in known.items() if t in scores and s < mean), key=lambda pair: (pair[1], pair[0]))
