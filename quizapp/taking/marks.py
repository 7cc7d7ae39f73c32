"""How a review marks an answer in place: each option with the learner's choice, its correctness and its feedback."""

from __future__ import annotations

from dataclasses import dataclass

from quizapp.banks.schema import Question


@dataclass(frozen=True)
class OptionMark:
    """One option as the review shows it, in the order the learner saw the options."""

    text: str
    picked: bool
    correct: bool
    feedback: str

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
    """Return the marked options of a single, multiple or true/false question (empty for other types)."""
    if q.type == "true_false":
        value = None if answer is None else answer["value"]
        wrong = value is not None and value != q.answer
        return tuple(
            OptionMark(label, value is shown, q.answer == shown, (q.feedback or "") if wrong and value is shown else "")
            for label, shown in (("True", True), ("False", False))
        )
    if q.type not in ("single", "multiple"):
        return ()
    picked = set() if answer is None else {answer["choice"]} if q.type == "single" else set(answer["choices"])
    shown = order if order is not None else range(len(q.choices))
    marks = []
    for i in shown:
        choice = q.choices[i]
        note = choice.feedback if choice.feedback and (i in picked or choice.correct) else ""
        marks.append(OptionMark(choice.text, i in picked, choice.correct, note))
    return tuple(marks)


def ordering(q: Question, answer: dict | None) -> OrderingMarks | None:
    """Return the learner's order beside the right order for an ordering question (None for other types)."""
    if q.type != "ordering":
        return None
    learner = () if answer is None else answer["order"]
    return OrderingMarks(
        learner=tuple(PlacedItem(q.choices[item].text, item + 1, item == rank) for rank, item in enumerate(learner)),
        key=tuple(c.text for c in q.choices),
    )
