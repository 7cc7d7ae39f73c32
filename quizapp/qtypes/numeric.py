"""Number: a value give or take a tolerance, or a range, with an optional unit, partial-credit ranges and feedback."""

from __future__ import annotations

import json
import random
from fractions import Fraction
from typing import TYPE_CHECKING

from wtforms import StringField
from wtforms.validators import Length, Optional

from quizapp.qtypes.base import QuestionType, answer_value, form_optional, parse_number
from quizapp.qtypes.shapes import Interval, NumericAnswer, PartialRange

if TYPE_CHECKING:
    from quizapp.banks.schema import Question

EPSILON = 1e-9


class Numeric(QuestionType):
    """Full credit inside [min, max] or value +/- tolerance; a partial range's credit inside it (the best one)."""

    name = "numeric"
    label = "Number"
    short_label = "Numeric"
    interaction = "numeric"
    answer_parts = frozenset({"value", "tolerance", "min", "max", "unit"})
    right_feedback = True

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
        """Full credit inside [min, max] or value +/- tolerance, else the best partial range's credit (or 0)."""
        value = float(answer["value"])
        if _inside(q.answer, value):
            return Fraction(1)
        found = _partial(q, value)
        return Fraction(0) if found is None else Fraction(str(found.credit)) / 100

    def picked_feedback(self, q: Question, answer: dict) -> list[str]:
        """Return the right answer's feedback, a partial range's own feedback, or the wrong-answer feedback."""
        value = float(answer["value"])
        found = None if _inside(q.answer, value) else _partial(q, value)
        if found is not None and found.feedback:
            return [found.feedback]
        return super().picked_feedback(q, answer)

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
        kept = json.dumps([r.model_dump(exclude_none=True) for r in a.partial]) if a.partial else ""
        return {"numeric_mode": mode, "value": a.value, "tolerance": a.tolerance, "min": a.min, "max": a.max,
                "unit": a.unit or "", "numeric_partial": kept}

    def author_data(self, form, current: Question | None) -> tuple[dict, list[int]]:
        """Return the key from whichever form (value or range) was chosen, its partial ranges, and the feedback."""
        unit = form_optional(form.unit.data)
        if form.numeric_mode.data == "range":
            answer = {"min": form.min.data, "max": form.max.data, "unit": unit}
        else:
            tolerance = form.tolerance.data if form.tolerance.data is not None else 0
            answer = {"value": form.value.data, "tolerance": tolerance, "unit": unit}
        kept = form_optional(form.numeric_partial.data)
        if kept:
            answer["partial"] = _ranges(kept)
        feedback = {"feedback": form_optional(form.wrong_feedback.data)}
        return {"answer": answer, **feedback, "right_feedback": form_optional(form.right_feedback.data)}, []

    def diff_fields(self, q: Question) -> dict[str, str]:
        """Return the key and feedback, and the partial-credit ranges when there are any."""
        fields = super().diff_fields(q)
        if q.answer.partial:
            fields["Partial credit"] = "; ".join(range_text(r, q.answer.unit) for r in q.answer.partial)
        return fields

    def simulated_answer(self, q: Question, rng: random.Random, right: bool, lures: list[float]) -> dict:
        """Give the lowest accepted number, or one a little outside the range."""
        low, high = q.answer.bounds()
        value = low if right else rng.choice([high + rng.choice([1, 2, 5, 10]), low - rng.choice([1, 2, 5])])
        return {"value": f"{value:g}"}


def _inside(interval: Interval, value: float) -> bool:
    """Whether a number lies in an interval (inclusive, forgiving float rounding)."""
    low, high = interval.bounds()
    return low - EPSILON <= value <= high + EPSILON


def _partial(q: Question, value: float) -> PartialRange | None:
    """Return the partial range holding a number that gives the most credit (the first of equals), or None."""
    found = [r for r in q.answer.partial if _inside(r, value)]
    return max(found, key=lambda r: r.credit, default=None)


def range_text(found: PartialRange, unit: str | None) -> str:
    """Return a partial range as readable text: its numbers, unit and credit."""
    low, high = found.bounds()
    numbers = f"{low:g}" if low == high else f"{low:g} to {high:g}"
    return f"{numbers}{f' {unit}' if unit else ''}: {found.credit:g}%"


def kept_ranges(kept: str | None, unit: str | None) -> list[str]:
    """Return the partial ranges the editor carries as readable text (none when absent or unreadable)."""
    ranges = _ranges(kept) if kept else []
    try:
        return [range_text(PartialRange.model_validate(r), unit) for r in ranges]
    except (TypeError, ValueError):
        return []


def _ranges(kept: str) -> object:
    """Return the partial ranges the editor carries unchanged (JSON); text that is not JSON goes to the schema as is."""
    try:
        return json.loads(kept)
    except (ValueError, RecursionError):
        return kept
