"""The answer form for one question, built from the stored version and the attempt's choice order."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField

from quizapp import qtypes
from quizapp.banks.schema import Question


class AnswerForm(FlaskForm):
    """Base class: the review flag shared by every question type."""

    class Meta:
        """CSRFProtect checks the token of every POST before the view; the form would sign and check it again."""

        csrf = False

    flag = BooleanField("Flag this question for review")


def build(q: Question, order: list[int] | None, answer: dict | None, formdata=None) -> AnswerForm:
    """Return a bound form for question `q` shown in `order`, prefilled from the saved `answer`."""
    return form_class(q, order)(formdata=formdata, data=initial(q, order, answer) if formdata is None else None)


# Form classes per (question spec object, order): specs are immutable and shared per version (see
# QuestionVersion.spec), so the class is built once per slot rather than per request. The entry keeps its spec
# alive, so the id in the key can never be reused by another spec while the entry exists.
_CLASSES: dict[tuple[int, tuple[int, ...]], tuple[Question, type[AnswerForm]]] = {}
_CLASSES_SIZE = 4096


def form_class(q: Question, order: list[int] | None) -> type[AnswerForm]:
    """Return the answer form class for question `q` shown in `order` (cached)."""
    key = (id(q), tuple(order or ()))
    cached = _CLASSES.get(key)
    if cached is not None and cached[0] is q:
        return cached[1]
    cls = type("QuestionForm", (AnswerForm,), qtypes.get(q.type).answer_fields(q, order))
    if len(_CLASSES) >= _CLASSES_SIZE:
        _CLASSES.clear()
    _CLASSES[key] = (q, cls)
    return cls


def answer_fields(cls: type[AnswerForm]) -> list[tuple[str, object]]:
    """Return the answer fields' definitions (unbound) of a form class by name, in declaration order."""
    return sorted(
        ((name, value) for name, value in vars(cls).items() if hasattr(value, "field_class")),
        key=lambda item: item[1].creation_counter,
    )


def initial(q: Question, order: list[int] | None, answer: dict | None) -> dict:
    """Return the form data that shows a saved answer."""
    return qtypes.get(q.type).answer_form_data(q, order, answer) if answer else {}


def to_answer(q: Question, order: list[int] | None, form: AnswerForm) -> dict | None:
    """Turn the submitted form into the canonical answer, or None when nothing was given."""
    return qtypes.get(q.type).answer_from_form(q, order, form)
