"""Single answer: one correct choice among several, picked with radio buttons."""

from __future__ import annotations

import random
from fractions import Fraction
from typing import TYPE_CHECKING

from wtforms import RadioField
from wtforms.validators import Optional

from quizapp.qtypes.base import answer_value
from quizapp.qtypes.choice import PickType, clamp, percent, weights

if TYPE_CHECKING:
    from quizapp.banks.schema import Question


class Single(PickType):
    """Exactly one choice is correct; full credit for picking it (with weights: a pick earns its weight)."""

    name = "single"
    label = "Single answer (one correct choice)"
    short_label = "Single answer"
    interaction = "choice"
    editor_hint = "Mark exactly one choice correct."
    weight_hint = "The correct choice is worth 100%; others may earn part of the points (a negative credit earns 0)."

    def check(self, q: Question) -> None:
        """Exactly one correct choice; with weights, the one at 100% (others earn their weight, never below 0)."""
        choices = self.need_choices(q)
        weighted = self.need_weights(q, lambda weight: weight == 100) is not None
        correct = sum(c.correct for c in choices)
        if correct != 1 and weighted:
            raise ValueError(f"a single question with weights needs exactly 1 choice at 100%, found {correct}")
        if correct != 1:
            raise ValueError(f"a single question needs exactly 1 correct choice, found {correct}")

    def normalise(self, q: Question, answer: dict) -> dict:
        """Return {"choice": index}."""
        return {"choice": self.check_index(int(answer["choice"]), q)}

    def fraction(self, q: Question, answer: dict) -> Fraction:
        """Full credit for the correct choice; with weights, the picked choice's weight (a negative one earns 0)."""
        credit = weights(q)
        if credit is None:
            return Fraction(int(q.choices[answer["choice"]].correct))
        return clamp(percent(credit[answer["choice"]]))

    def picks(self, answer: dict) -> list[int]:
        """The one picked choice."""
        return [answer["choice"]]

    def answer_fields(self, q: Question, order: list[int] | None) -> dict:
        """One radio button per choice."""
        return {"answer": RadioField("Choose one answer", choices=self.labels(q, order), validators=[Optional()])}

    def answer_form_data(self, q: Question, order: list[int] | None, answer: dict) -> dict:
        """Check the saved choice's button."""
        return {"answer": str(order.index(answer["choice"]))}

    def answer_from_form(self, q: Question, order: list[int] | None, form) -> dict | None:
        """Return the choice shown at the picked position."""
        data = answer_value(form)
        return None if data is None else {"choice": order[self.position(data, order)]}

    def simulated_answer(self, q: Question, rng: random.Random, right: bool, lures: list[float]) -> dict:
        """Pick the correct choice, or a wrong one weighed by how tempting it is."""
        correct = [i for i, c in enumerate(q.choices) if c.correct]
        wrong = [i for i in range(len(q.choices)) if i not in correct]
        return {"choice": correct[0] if right else rng.choices(wrong, [lures[i] for i in wrong])[0]}
