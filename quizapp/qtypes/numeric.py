"""Number: a value give or take a tolerance, or a range, with an optional unit and feedback for a wrong answer."""

from __future__ import annotations

import random
from fractions import Fraction
from typing import TYPE_CHECKING

from wtforms import StringField
from wtforms.validators import Length, Optional

from quizapp.qtypes.base import QuestionType, answer_value, form_optional, parse_number
from quizapp.qtypes.shapes import NumericAnswer

if TYPE_CHECKING:
    from quizapp.banks.schema import Question

EPSILON = 1e-9


class Numeric(QuestionType):
    """Full credit inside [min, max] or value +/- tolerance."""

    name = "numeric"
    label = "Number"
    short_label = "Numeric"
    answer_parts = frozenset({"value", "tolerance", "min", "max", "unit"})

    def check(self, q: Question) -> None:
        """A numeric answer and no choices."""
        if q.choices:
            raise ValueError("a numeric question takes answer: {value: ..}, not choices")
        if not isinstance(q.answer, NumericAnswer):
            raise ValueError("a numeric question needs answer: {value: N, tolerance: T} or {min: A, max: B}")

    def ignores(self, loc: tuple) -> bool:
        """The boolean branch of the schema's answer union is noise for a number."""
        return loc[:2] == ("answer", "bool")

    def normalise(self, q: Question, answer: dict) -> dict:
        """Return {"value": the number as canonical decimal text}."""
        return {"value": str(parse_number(str(answer["value"])))}

    def fraction(self, q: Question, answer: dict) -> Fraction:
        """Full credit inside [min, max] or value +/- tolerance."""
        low, high = q.answer.bounds()
        value = float(answer["value"])
        return Fraction(int(low - EPSILON <= value <= high + EPSILON))

    def answer_text(self, q: Question, answer: dict) -> str:
        """Return the number with the unit."""
        return f"{answer['value']}{self._unit(q)}"

    def key_text(self, q: Question) -> str:
        """Return the accepted value, or range, with the unit."""
        low, high = q.answer.bounds()
        if low == high:
            return f"{low:g}{self._unit(q)}"
        return f"{low:g} to {high:g}{self._unit(q)}"

    def _unit(self, q: Question) -> str:
        """Return the unit with a leading space, or nothing."""
        return f" {q.answer.unit}" if q.answer.unit else ""

    def answer_fields(self, q: Question, order: list[int] | None) -> dict:
        """One text box, labelled with the unit."""
        unit = f" ({q.answer.unit})" if q.answer.unit else ""
        return {"answer": StringField(f"Your answer{unit}", validators=[Optional(), Length(max=30)])}

    def answer_form_data(self, q: Question, order: list[int] | None, answer: dict) -> dict:
        """Show the saved number."""
        return {"answer": answer["value"]}

    def answer_from_form(self, q: Question, order: list[int] | None, form) -> dict | None:
        """Return the number typed (a decimal comma is fine)."""
        data = answer_value(form)
        return None if data is None else {"value": str(parse_number(data))}

    def author_form_data(self, q: Question) -> dict:
        """Fill whichever form of the key (value or range) the question uses."""
        a = q.answer
        mode = "value" if a.value is not None else "range"
        return {"numeric_mode": mode, "value": a.value, "tolerance": a.tolerance, "min": a.min, "max": a.max,
                "unit": a.unit or ""}

    def author_data(self, form, current: Question | None) -> tuple[dict, list[int]]:
        """Return the key from whichever form (value or range) was chosen, and the wrong-answer feedback."""
        unit = form_optional(form.unit.data)
        if form.numeric_mode.data == "range":
            answer = {"min": form.min.data, "max": form.max.data, "unit": unit}
        else:
            tolerance = form.tolerance.data if form.tolerance.data is not None else 0
            answer = {"value": form.value.data, "tolerance": tolerance, "unit": unit}
        return {"answer": answer, "feedback": form_optional(form.wrong_feedback.data)}, []

    def simulated_answer(self, q: Question, rng: random.Random, right: bool, lures: list[float]) -> dict:
        """Give the lowest accepted number, or one a little outside the range."""
        low, high = q.answer.bounds()
        value = low if right else rng.choice([high + rng.choice([1, 2, 5, 10]), low - rng.choice([1, 2, 5])])
        return {"value": f"{value:g}"}
