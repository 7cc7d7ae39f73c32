"""True or false: a statement whose key is a boolean `answer`, with feedback for a wrong and for a right answer."""

from __future__ import annotations

import random
from fractions import Fraction
from typing import TYPE_CHECKING

from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from quizapp.qtypes.base import AnswerError, QuestionType, answer_value, form_optional

if TYPE_CHECKING:
    from quizapp.banks.schema import Question

OPTIONS = (("True", True), ("False", False))


class TrueFalse(QuestionType):
    """Full credit when the learner's value is the key."""

    name = "true_false"
    label = "True or false"
    short_label = "True/false"
    interaction = "true-false"
    answer_field = "tf_answer"
    right_feedback = True

    @property
    def partial(self) -> str:
        """True and False are shown as a list of two options, like a single-answer question's."""
        return "questions/choices.html"

    def check(self, q: Question) -> None:
        """A boolean answer and no choices."""
        if q.choices:
            raise ValueError("a true_false question takes answer: true|false, not choices")
        if not isinstance(q.answer, bool):
            raise ValueError("a true_false question needs answer: true or false")

    def normalise(self, q: Question, answer: dict) -> dict:
        """Return {"value": bool}."""
        if not isinstance(answer["value"], bool):
            raise AnswerError("Choose true or false.")
        return {"value": answer["value"]}

    def fraction(self, q: Question, answer: dict) -> Fraction:
        """Full credit when the value matches the key."""
        return Fraction(int(answer["value"] is q.answer))

    def answer_text(self, q: Question, answer: dict) -> str:
        """Return True or False."""
        return "True" if answer["value"] else "False"

    def key_text(self, q: Question) -> str:
        """Return True or False."""
        return "True" if q.answer else "False"

    def picks(self, answer: dict) -> list[int]:
        """Option 0 is True, option 1 False."""
        return [0 if answer["value"] else 1]

    def stat_options(self, content: dict) -> tuple[list[str], list[bool]]:
        """Return True and False, marking the stored key."""
        return [label for label, _ in OPTIONS], [content.get("answer") is value for _, value in OPTIONS]

    def marked_options(self, q: Question, answer: dict | None, order: list[int] | None) -> list[tuple]:
        """Return True and False, the learner's value picked, the wrong or right answer's feedback beside the pick."""
        value = None if answer is None else answer["value"]
        note = (q.right_feedback if value == q.answer else q.feedback) or ""
        return [(label, value is shown, q.answer == shown, note if value is shown else "") for label, shown in OPTIONS]

    def answer_fields(self, q: Question, order: list[int] | None) -> dict:
        """Two radio buttons."""
        choices = [SelectChoice("true", "True"), SelectChoice("false", "False")]
        return {"answer": RadioField("True or false?", choices=choices, validators=[Optional()])}

    def answer_form_data(self, q: Question, order: list[int] | None, answer: dict) -> dict:
        """Check the saved value's button."""
        return {"answer": "true" if answer["value"] else "false"}

    def answer_from_form(self, q: Question, order: list[int] | None, form) -> dict | None:
        """Return the value picked."""
        data = answer_value(form)
        return None if data is None else {"value": data == "true"}

    def author_form_data(self, q: Question) -> dict:
        """Check the key's button."""
        return {"tf_answer": "true" if q.answer else "false"}

    def author_data(self, form, current: Question | None) -> tuple[dict, list[int]]:
        """Return the key and the wrong and right answers' feedback."""
        answer = {"true": True, "false": False}.get(form.tf_answer.data)
        feedback = {"feedback": form_optional(form.wrong_feedback.data)}
        return {"answer": answer, **feedback, "right_feedback": form_optional(form.right_feedback.data)}, []

    def simulated_answer(self, q: Question, rng: random.Random, right: bool, lures: list[float]) -> dict:
        """Give the key, or its opposite."""
        return {"value": q.answer if right else not q.answer}
