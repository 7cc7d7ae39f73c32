"""Multiple answers: one or more correct choices, picked with checkboxes; partial credit by default."""

from __future__ import annotations

import random
from fractions import Fraction
from typing import TYPE_CHECKING

from wtforms import SelectMultipleField
from wtforms.validators import Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from quizapp.qtypes.base import answer_value
from quizapp.qtypes.choice import PickType

if TYPE_CHECKING:
    from quizapp.banks.schema import Question


class CheckboxesField(SelectMultipleField):
    """Several checkboxes, one label each."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:
        """Refuse more values than there are options (a browser sends each box once), then check each value."""
        if self.data and len(self.data) > len(self.choices):
            raise ValidationError("Choose each option at most once.")
        super().pre_validate(form)


class Multiple(PickType):
    """At least one choice is correct; partial credit per right pick minus wrong picks, or all or nothing."""

    name = "multiple"
    label = "Multiple answers (one or more correct choices)"
    short_label = "Multiple answers"
    editor_hint = "Mark every correct choice."
    default_scoring = "partial"

    def check(self, q: Question) -> None:
        """At least one correct choice."""
        if not any(c.correct for c in self.need_choices(q)):
            raise ValueError("a multiple question needs at least 1 correct choice")

    def normalise(self, q: Question, answer: dict) -> dict:
        """Return {"choices": sorted distinct indexes}."""
        return {"choices": [self.check_index(c, q) for c in sorted({int(c) for c in answer["choices"]})]}

    def fraction(self, q: Question, answer: dict) -> Fraction:
        """Partial credit per correct pick minus the same per wrong pick, floored at 0; or all or nothing."""
        correct = {i for i, c in enumerate(q.choices) if c.correct}
        chosen = set(answer["choices"])
        if q.effective_scoring == "all_or_nothing":
            return Fraction(int(chosen == correct))
        earned = Fraction(len(chosen & correct) - len(chosen - correct), len(correct))
        return max(Fraction(0), earned)

    def picks(self, answer: dict) -> list[int]:
        """The picked choices."""
        return list(answer["choices"])

    def answer_fields(self, q: Question, order: list[int] | None) -> dict:
        """One checkbox per choice."""
        choices = self.labels(q, order)
        return {"answer": CheckboxesField("Choose every answer that applies", choices=choices, validators=[Optional()])}

    def answer_form_data(self, q: Question, order: list[int] | None, answer: dict) -> dict:
        """Tick the saved choices."""
        return {"answer": [str(order.index(i)) for i in answer["choices"]]}

    def answer_from_form(self, q: Question, order: list[int] | None, form) -> dict | None:
        """Return the choices shown at the ticked positions."""
        data = answer_value(form)
        return None if data is None else {"choices": sorted({order[self.position(v, order)] for v in data})}

    def simulated_answer(self, q: Question, rng: random.Random, right: bool, lures: list[float]) -> dict:
        """Tick the correct choices, or a plausible wrong set: some right ones missed, tempting wrong ones ticked."""
        correct = [i for i, c in enumerate(q.choices) if c.correct]
        wrong = [i for i in range(len(q.choices)) if i not in correct]
        picks = set(correct)
        if not right:
            picks = {i for i in correct if rng.random() < 0.6} | {i for i in wrong if rng.random() < lures[i]}
            if picks == set(correct) or not picks:
                picks = set(correct[:-1]) | ({rng.choice(wrong)} if wrong else set())
        return {"choices": sorted(picks)}
