"""Multiple answers: one or more correct choices, picked with checkboxes; partial credit by default."""

from __future__ import annotations

import random
from fractions import Fraction
from typing import TYPE_CHECKING

from wtforms import SelectMultipleField
from wtforms.validators import Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from quizapp.qtypes.base import answer_value
from quizapp.qtypes.choice import PickType, clamp, percent, weights

# How far the positive weights may sum from 100%: three choices at 33.33333% make 99.99999%.
SUM_SLACK = 0.01

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
    interaction = "choice"
    editor_hint = "Mark every correct choice."
    weight_hint = "The credits of the correct choices add up to 100%; a wrong choice is worth 0% or less."
    default_scoring = "partial"

    def check(self, q: Question) -> None:
        """At least one correct choice; with weights, positive weights summing to 100% and no all-or-nothing."""
        choices = self.need_choices(q)
        found = self.need_weights(q, lambda weight: weight > 0)
        if not any(c.correct for c in choices):
            raise ValueError("a multiple question needs at least 1 correct choice")
        if found is not None:
            total = sum(weight for weight in found if weight > 0)
            if abs(total - 100) > SUM_SLACK + 1e-9:
                raise ValueError(f"the positive weights of a multiple question must add up to 100%, not {total:g}%")
            if q.scoring == "all_or_nothing":
                raise ValueError("a multiple question with weights earns the sum of its picked weights: "
                                 "all_or_nothing scoring does not apply")

    def normalise(self, q: Question, answer: dict) -> dict:
        """Return {"choices": sorted distinct indexes}."""
        return {"choices": [self.check_index(c, q) for c in sorted({int(c) for c in answer["choices"]})]}

    def fraction(self, q: Question, answer: dict) -> Fraction:
        """Partial credit per correct pick minus the same per wrong pick, floored at 0; or all or nothing.

        With weights (as Moodle): the sum of the picked weights, kept between 0 and 1; the positive weights are
        scaled to make exactly 100%, so picking every one of 33.33333% thirds is full credit.
        """
        correct = {i for i, c in enumerate(q.choices) if c.correct}
        chosen = set(answer["choices"])
        credit = weights(q)
        if credit is not None:
            full = sum(percent(weight) for weight in credit if weight > 0)
            return clamp(sum((percent(credit[i]) for i in chosen), Fraction(0)) / full)
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
