"""The answer form as the question page shows it: plain values for the templates, with no WTForms form bound.

A GET only displays the form, so its fields come from the cached form class's field definitions and the saved
answer; a posted form (a refused answer, one kept from an expired session) is read back into the same shape. Only a
POST binds and validates a WTForms form (forms/answer.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, partial

from markupsafe import Markup
from wtforms.fields.choices import SelectMultipleField

from quizapp import signed
from quizapp.banks.schema import Question
from quizapp.forms import answer as answer_forms


@dataclass(frozen=True)
class Option:
    """One option of a choice list or a position select."""

    value: str
    label: str
    selected: bool


@dataclass(frozen=True)
class Field:
    """One answer field: its name (also its id), label, shown text and options."""

    name: str
    label: str
    value: str = ""
    options: tuple[Option, ...] = ()
    input_type: str = ""  # radio or checkbox for a choice list

    @property
    def id(self) -> str:
        """The element id WTForms gives a top-level field: its name."""
        return self.name


@dataclass(frozen=True, eq=False)
class Shown:
    """The answer fields by name (built when first read), the review flag and the CSRF token's hidden input."""

    build: Callable[[], dict[str, Field]]  # a question page whose fieldset is cached never reads the fields
    flagged: bool
    csrf_token: Markup

    @cached_property
    def fields(self) -> dict[str, Field]:
        """The answer fields by name."""
        return self.build()

    def __eq__(self, other: object) -> bool:
        """Whether both show the same fields, flag and token."""
        if not isinstance(other, Shown):
            return NotImplemented
        return (self.fields, self.flagged, self.csrf_token) == (other.fields, other.flagged, other.csrf_token)

    @property
    def answer(self) -> Field:
        """The one answer field of a single-field type."""
        return self.fields["answer"]

    @property
    def flag_label(self) -> str:
        """The review flag's label."""
        return FLAG_LABEL

    @property
    def items(self) -> list[Field]:
        """The position selects of an ordering question, in shown order."""
        return [f for name, f in self.fields.items() if name.startswith("item_")]


FLAG_LABEL = answer_forms.AnswerForm.flag.args[0]


def shown(q: Question, order: list[int] | None, answer: dict | None, flagged: bool) -> Shown:
    """Return the form showing question `q` in `order` with the saved `answer` and flag, without binding a form."""
    return Shown(partial(_fields, q, order, answer), flagged, _csrf_input())


def _fields(q: Question, order: list[int] | None, answer: dict | None) -> dict[str, Field]:
    """Return the answer fields showing question `q` in `order` with the saved `answer`."""
    data = answer_forms.initial(q, order, answer)
    cls = answer_forms.form_class(q, order)
    fields = {}
    for name, unbound in answer_forms.answer_fields(cls):
        picked = data.get(name)
        choices = unbound.kwargs.get("choices")
        if choices is None:
            fields[name] = Field(name, unbound.args[0], "" if picked is None else str(picked))
            continue
        many = issubclass(unbound.field_class, SelectMultipleField)
        chosen = set(picked or ()) if many else {picked}
        options = tuple(Option(c.value, c.label, c.value in chosen) for c in choices)
        fields[name] = Field(name, unbound.args[0], options=options, input_type=_input_type(unbound.field_class))
    return fields


def from_form(form) -> Shown:
    """Return what a bound (posted) answer form shows: the typed text, the picked options, the flag."""
    fields = {}
    for field in form:
        if field.name in ("csrf_token", "flag"):
            continue
        if hasattr(field, "iter_choices"):
            options = tuple(Option(c.value, c.label, c.selected) for c in field.iter_choices())
            fields[field.name] = Field(field.name, field.label.text, options=options,
                                       input_type=_input_type(type(field)))
        else:
            fields[field.name] = Field(field.name, field.label.text, field._value())
    return Shown(lambda: fields, bool(form.flag.data), _csrf_input())


def _input_type(field_class: type) -> str:
    """Return the input type of a choice field's options (empty for a select)."""
    return getattr(getattr(field_class, "option_widget", None), "input_type", "")


def _csrf_input() -> Markup:
    """Return the hidden CSRF input exactly as Flask-WTF's form field writes it."""
    return Markup('<input id="csrf_token" name="csrf_token" type="hidden" value="{}">').format(signed.csrf_token())
