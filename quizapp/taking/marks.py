"""How a review marks an answer in place: each option with the learner's choice, its correctness and its feedback."""

from __future__ import annotations

from dataclasses import dataclass

from quizapp import qtypes
from quizapp.banks.schema import Question


@dataclass(frozen=True)
class OptionMark:
    """One option as the review shows it, in the order the learner saw the options."""

    text: str
    picked: bool
    correct: bool
    feedback: str
    credit: str = ""  # the option's weight ("50%") when its question gives choices weights

    @property
    def state(self) -> str:
        """Return how the option is marked: right or wrong pick, a missed right answer, or nothing."""
        if self.picked:
            return "picked-right" if self.correct else "picked-wrong"
        return "missed" if self.correct else "plain"


@dataclass(frozen=True)
class PlacedItem:
    """One item of the learner's order: where the key puts it, and whether the learner put it there."""

    text: str
    place: int
    right: bool


@dataclass(frozen=True)
class OrderingMarks:
    """An ordering answer beside the key: the learner's order (empty when unanswered) and the right order."""

    learner: tuple[PlacedItem, ...]
    key: tuple[str, ...]


def options(q: Question, answer: dict | None, order: list[int] | None) -> tuple[OptionMark, ...]:
    """Return the options a review marks in place (empty for types without options to pick)."""
    return tuple(OptionMark(*row) for row in qtypes.get(q.type).marked_options(q, answer, order))


def ordering(q: Question, answer: dict | None) -> OrderingMarks | None:
    """Return the learner's order beside the right order for a type whose key is an order (None for others)."""
    if not qtypes.get(q.type).ordered:
        return None
    learner = () if answer is None else answer["order"]
    return OrderingMarks(
        learner=tuple(PlacedItem(q.choices[item].text, item + 1, item == rank) for rank, item in enumerate(learner)),
        key=tuple(c.text for c in q.choices),
    )
