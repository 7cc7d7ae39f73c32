"""Scoring of responses and attempts, per the scoring contract in README.md (pure: no Flask, no database)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from quizapp.banks.schema import Question

EPSILON = 1e-9


class AnswerError(ValueError):
    """A submitted answer does not fit the question (wrong shape, unknown choice, not a number)."""


def parse_number(raw: str) -> Decimal:
    """Parse a learner's number, accepting a decimal comma and surrounding spaces."""
    cleaned = raw.strip().replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise AnswerError("Enter a number, like 6 or 2.5.") from None
    if not value.is_finite() or len(cleaned) > 30:
        raise AnswerError("Enter a number, like 6 or 2.5.")
    # 1e400 is a finite Decimal but an infinite float, which every comparison would silently mark wrong.
    if not math.isfinite(float(value)):
        raise AnswerError("That number is too large: enter a number like 6 or 2.5.")
    return value


def normalise(q: Question, answer: dict | None) -> dict | None:
    """Validate an answer's shape against the question and return its canonical form."""
    if answer is None:
        return None
    n = len(q.choices or [])
    try:
        if q.type == "single":
            choice = int(answer["choice"])
            _check_index(choice, n)
            return {"choice": choice}
        if q.type == "multiple":
            chosen = sorted({int(c) for c in answer["choices"]})
            for c in chosen:
                _check_index(c, n)
            return {"choices": chosen}
        if q.type == "true_false":
            if not isinstance(answer["value"], bool):
                raise AnswerError("Choose true or false.")
            return {"value": answer["value"]}
        if q.type == "ordering":
            order = [int(i) for i in answer["order"]]
            if sorted(order) != list(range(n)):
                raise AnswerError("Give each item a different position.")
            return {"order": order}
        return {"value": str(parse_number(str(answer["value"])))}
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, AnswerError):
            raise
        raise AnswerError("That answer does not fit this question.") from None


def _check_index(index: int, n: int) -> None:
    """Refuse a choice index outside the question's choices."""
    if not 0 <= index < n:
        raise AnswerError("That choice is not one of this question's options.")


def fraction(q: Question, answer: dict | None) -> Fraction:
    """Return the share of the question's points earned, between 0 and 1."""
    if answer is None:
        return Fraction(0)
    return _FRACTION[q.type](q, answer)


def _single(q: Question, answer: dict) -> Fraction:
    """Full credit for the correct choice."""
    return Fraction(int(q.choices[answer["choice"]].correct))


def _multiple(q: Question, answer: dict) -> Fraction:
    """Partial credit per correct pick minus the same per wrong pick, floored at 0; or all or nothing."""
    correct = {i for i, c in enumerate(q.choices) if c.correct}
    chosen = set(answer["choices"])
    if q.effective_scoring == "all_or_nothing":
        return Fraction(int(chosen == correct))
    earned = Fraction(len(chosen & correct) - len(chosen - correct), len(correct))
    return max(Fraction(0), earned)


def _true_false(q: Question, answer: dict) -> Fraction:
    """Full credit when the value matches the key."""
    return Fraction(int(answer["value"] is q.answer))


def _ordering(q: Question, answer: dict) -> Fraction:
    """All or nothing by default; partial gives credit per item in its correct position."""
    order = answer["order"]
    in_place = sum(1 for position, item in enumerate(order) if position == item)
    if q.effective_scoring == "partial":
        return Fraction(in_place, len(order))
    return Fraction(int(in_place == len(order)))


def _numeric(q: Question, answer: dict) -> Fraction:
    """Full credit inside [min, max] or value +/- tolerance."""
    low, high = q.answer.bounds()
    value = float(answer["value"])
    return Fraction(int(low - EPSILON <= value <= high + EPSILON))


_FRACTION = {
    "single": _single,
    "multiple": _multiple,
    "true_false": _true_false,
    "ordering": _ordering,
    "numeric": _numeric,
}


def score(q: Question, answer: dict | None) -> float:
    """Return the points earned for an answer, within [0, q.points]."""
    return round(float(fraction(q, answer) * Fraction(q.points)), 6)


def is_correct(q: Question, answer: dict | None) -> bool:
    """Return whether the answer earns full credit."""
    return answer is not None and fraction(q, answer) == 1


@dataclass(frozen=True)
class SlotScore:
    """One graded slot: its topic, points earned and points available."""

    topic: str
    score: float
    max_score: float


@dataclass(frozen=True)
class AttemptScore:
    """An attempt's totals and per-topic percents."""

    score: float
    max_score: float
    percent: float
    topics: dict[str, float]


def percent(earned: float, available: float) -> float:
    """Return earned/available as a percent rounded to 2 places (0 when nothing is available)."""
    return round(100 * earned / available, 2) if available else 0.0


def summarise(slots: Iterable[SlotScore]) -> AttemptScore:
    """Sum slot scores into an attempt score with per-topic percents."""
    earned: dict[str, float] = {}
    available: dict[str, float] = {}
    for s in slots:
        earned[s.topic] = earned.get(s.topic, 0.0) + s.score
        available[s.topic] = available.get(s.topic, 0.0) + s.max_score
    total, total_max = sum(earned.values()), sum(available.values())
    topics = {t: percent(earned[t], available[t]) for t in sorted(earned)}
    return AttemptScore(round(total, 6), round(total_max, 6), percent(total, total_max), topics)


def combine(method: str, percents: Sequence[float]) -> float | None:
    """Combine the percents of submitted attempts (oldest first) by the quiz's grading method."""
    if not percents:
        return None
    if method == "highest":
        return max(percents)
    if method == "latest":
        return percents[-1]
    if method == "first":
        return percents[0]
    return round(sum(percents) / len(percents), 2)


def answer_text(q: Question, answer: dict | None) -> str:
    """Return an answer as readable text (for reviews and exports)."""
    if answer is None:
        return ""
    if q.type == "single":
        return q.choices[answer["choice"]].text
    if q.type == "multiple":
        return "; ".join(q.choices[i].text for i in answer["choices"])
    if q.type == "true_false":
        return "True" if answer["value"] else "False"
    if q.type == "ordering":
        return " > ".join(q.choices[i].text for i in answer["order"])
    unit = f" {q.answer.unit}" if q.answer.unit else ""
    return f"{answer['value']}{unit}"


def key_text(q: Question) -> str:
    """Return the correct answer as readable text."""
    if q.type in ("single", "multiple"):
        return "; ".join(c.text for c in q.choices if c.correct)
    if q.type == "true_false":
        return "True" if q.answer else "False"
    if q.type == "ordering":
        return " > ".join(c.text for c in q.choices)
    low, high = q.answer.bounds()
    unit = f" {q.answer.unit}" if q.answer.unit else ""
    if low == high:
        return f"{_fmt(low)}{unit}"
    return f"{_fmt(low)} to {_fmt(high)}{unit}"


def _fmt(value: float) -> str:
    """Format a number without a trailing .0."""
    return f"{value:g}"
