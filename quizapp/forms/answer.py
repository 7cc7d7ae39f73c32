"""The answer form for one question, built from the stored version and the attempt's choice order."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from quizapp.banks.schema import Question
from quizapp.taking.grading import AnswerError, parse_number
from quizapp.textfmt import markdown_inline


class CheckboxesField(SelectMultipleField):
    """Several checkboxes, one label each."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:
        """Refuse more values than there are options (a browser sends each box once), then check each value."""
        if self.data and len(self.data) > len(self.choices):
            raise ValidationError("Choose each option at most once.")
        super().pre_validate(form)


class AnswerForm(FlaskForm):
    """Base class: the review flag shared by every question type."""

    flag = BooleanField("Flag this question for review")


def build(q: Question, order: list[int] | None, answer: dict | None, formdata=None) -> AnswerForm:
    """Return a bound form for question `q` shown in `order`, prefilled from the saved `answer`."""
    return form_class(q, order)(formdata=formdata, data=_initial(q, order, answer) if formdata is None else None)


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
    fields = {"answer": _field(q, order)} if q.type != "ordering" else _ordering_fields(q, order)
    cls = type("QuestionForm", (AnswerForm,), fields)
    if len(_CLASSES) >= _CLASSES_SIZE:
        _CLASSES.clear()
    _CLASSES[key] = (q, cls)
    return cls


def _labels(q: Question, order: list[int]) -> list[SelectChoice]:
    """Return the options: values are display positions, never the stored choice index."""
    return [SelectChoice(str(pos), markdown_inline(q.choices[i].text)) for pos, i in enumerate(order)]


def _field(q: Question, order: list[int] | None):
    """Return the answer field for a non-ordering question."""
    if q.type == "single":
        return RadioField("Choose one answer", choices=_labels(q, order), validators=[Optional()])
    if q.type == "multiple":
        return CheckboxesField("Choose every answer that applies", choices=_labels(q, order), validators=[Optional()])
    if q.type == "true_false":
        return RadioField(
            "True or false?",
            choices=[SelectChoice("true", "True"), SelectChoice("false", "False")],
            validators=[Optional()],
        )
    unit = f" ({q.answer.unit})" if q.answer.unit else ""
    return StringField(f"Your answer{unit}", validators=[Optional(), Length(max=30)])


def _ordering_fields(q: Question, order: list[int]) -> dict:
    """Return one position select per item, labelled with the item's text (works without JavaScript)."""
    n = len(order)
    positions = [SelectChoice("", "Choose a position")] + [
        SelectChoice(str(p + 1), f"Position {p + 1}") for p in range(n)
    ]
    return {
        f"item_{pos}": SelectField(markdown_inline(q.choices[i].text), choices=positions, validators=[Optional()])
        for pos, i in enumerate(order)
    }


def _initial(q: Question, order: list[int] | None, answer: dict | None) -> dict:
    """Return the form data that shows a saved answer."""
    if not answer:
        return {}
    if q.type == "single":
        return {"answer": str(order.index(answer["choice"]))}
    if q.type == "multiple":
        return {"answer": [str(order.index(i)) for i in answer["choices"]]}
    if q.type == "true_false":
        return {"answer": "true" if answer["value"] else "false"}
    if q.type == "ordering":
        return {f"item_{order.index(item)}": str(rank + 1) for rank, item in enumerate(answer["order"])}
    return {"answer": answer["value"]}


def to_answer(q: Question, order: list[int] | None, form: AnswerForm) -> dict | None:
    """Turn the submitted form into the canonical answer, or None when nothing was given."""
    if q.type == "ordering":
        return _ordering_answer(order, form)
    data = form.answer.data
    if data in (None, "", [], "None"):
        return None
    if q.type == "single":
        return {"choice": order[_position(data, order)]}
    if q.type == "multiple":
        return {"choices": sorted({order[_position(v, order)] for v in data})}
    if q.type == "true_false":
        return {"value": data == "true"}
    return {"value": str(parse_number(data))}


def _position(value: str, order: list[int]) -> int:
    """Parse a display position, refusing anything that is not one of the shown options."""
    if not value.isdigit() or int(value) >= len(order):
        raise AnswerError("That choice is not one of this question's options.")
    return int(value)


def _ordering_answer(order: list[int], form: AnswerForm) -> dict | None:
    """Build the learner's order from the position selects; all blank means unanswered."""
    ranks = [form[f"item_{pos}"].data for pos in range(len(order))]
    if all(r in (None, "", "None") for r in ranks):
        return None
    if any(r in (None, "", "None") for r in ranks) or sorted(ranks, key=int) != [str(p + 1) for p in range(len(order))]:
        raise AnswerError(f"Give each item a different position, from 1 to {len(order)}.")
    learner = [None] * len(order)
    for pos, rank in enumerate(ranks):
        learner[int(rank) - 1] = order[pos]
    return {"order": learner}
