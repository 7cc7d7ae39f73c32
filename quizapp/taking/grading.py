"""Scoring of responses and attempts, per the scoring contract in README.md (pure: no Flask, no database)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from quizapp import qtypes
from quizapp.banks.schema import Question
from quizapp.qtypes.base import AnswerError


def normalise(q: Question, answer: dict | None) -> dict | None:
    """Validate an answer's shape against the question and return its canonical form."""
    if answer is None:
        return None
    try:
        return qtypes.get(q.type).normalise(q, answer)
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, AnswerError):
            raise
        raise AnswerError("That answer does not fit this question.") from None


def fraction(q: Question, answer: dict | None) -> Fraction:
    """Return the share of the question's points earned, between 0 and 1."""
    if answer is None:
        return Fraction(0)
    return qtypes.get(q.type).fraction(q, answer)


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
    return "" if answer is None else qtypes.get(q.type).answer_text(q, answer)


def key_text(q: Question) -> str:
    """Return the correct answer as readable text."""
    return qtypes.get(q.type).key_text(q)
