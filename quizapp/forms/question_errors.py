"""Putting the question schema's validation errors on the authoring form's fields, in plain words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import ValidationError
from wtforms import StringField

from quizapp import qtypes
from quizapp.qtypes.base import AnswerError, QuestionType, parse_number

if TYPE_CHECKING:
    from quizapp.forms.question import QuestionForm

# Schema field -> form field, for the fields that map one to one.
FIELDS = {
    "type": "type",
    "stem": "stem",
    "explanation": "explanation",
    "reference": "reference",
    "tags": "tags",
    "group": "group",
    "difficulty": "difficulty",
    "points": "points",
    "scoring": "scoring",
    "shuffle": "shuffle",
    "feedback": "wrong_feedback",
    "right_feedback": "right_feedback",
}


class NumberField(StringField):
    """A number typed as text (a decimal comma is fine); `data` is a float, or None when blank."""

    raw: str | None = None

    def process_formdata(self, valuelist):
        """Parse the typed number, keeping what was typed when it is not one."""
        self.raw = valuelist[0].strip() if valuelist else ""
        self.data = None
        if self.raw:
            try:
                self.data = float(parse_number(self.raw))
            except AnswerError as exc:
                raise ValueError(str(exc)) from None

    def _value(self):
        """Show whole numbers without a trailing .0, and bad input as typed."""
        if self.raw is not None:
            return self.raw
        return "" if self.data is None else f"{self.data:g}"


def message(error: dict) -> str:
    """Return a pydantic error as a sentence for authors."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return "This cannot be empty."
    if kind == "string_too_long":
        return f"This is too long: at most {ctx.get('max_length')} characters."
    if kind == "string_pattern_mismatch":
        return "Use lower-case letters, digits and hyphens only (for example adult, bag-mask)."
    text = error["msg"].removeprefix("Value error, ").replace("Input should be", "Must be")
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def attach(form: QuestionForm, exc: ValidationError, rows: list[int]) -> None:
    """Put each schema error on the field it is about (or on the choices / answer group)."""
    kind = qtypes.TYPES.get(form.type.data)
    for error in exc.errors():
        loc = error["loc"]
        if kind is not None and kind.ignores(loc):
            continue
        field, group = _target(form, loc, rows, kind)
        text = message(error)
        if field is not None:
            if text not in field.errors:
                field.errors = [*field.errors, text]
        elif text not in group:
            group.append(text)


def _target(form: QuestionForm, loc: tuple, rows: list[int], kind: QuestionType | None):
    """Return (field, None) or (None, group list) for an error location."""
    answer_field = kind.answer_field if kind is not None else None
    if not loc:  # a rule about the whole question: which choices are correct, or the answer
        if kind is not None and kind.choices:
            return None, form.choice_errors
        return (form[answer_field], None) if answer_field else (None, form.answer_errors)
    head = loc[0]
    if head == "choices":
        if len(loc) >= 3 and isinstance(loc[1], int) and loc[1] < len(rows):
            entry = form.choices[rows[loc[1]]]
            return entry.form[loc[2]] if loc[2] in ("text", "correct", "feedback", "weight") else entry.form.text, None
        return None, form.choice_errors
    if head == "answer":
        if answer_field:
            return form[answer_field], None
        part = loc[-1]
        return (form[part], None) if kind is not None and part in kind.answer_parts else (None, form.answer_errors)
    name = FIELDS.get(head)
    return (form[name], None) if name else (None, form.form_errors)
