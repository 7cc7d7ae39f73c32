"""The question authoring form: its fields, its rows of choices (added and removed without JavaScript), its data."""

from __future__ import annotations

from flask import request
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from quizapp import qtypes
from quizapp.banks.schema import Question as QuestionSpec
from quizapp.forms.question_errors import NumberField
from quizapp.models import Bank
from quizapp.qtypes import numeric
from quizapp.qtypes.base import form_optional

MIN_ROWS = 2
MAX_ROWS = 12
DIFFICULTIES = {1: "1 · easy", 2: "2 · medium", 3: "3 · hard"}
MARKDOWN = "Markdown: **bold**, *italic*, lists, links and images (![alt text](/media/…))."


class ChoiceForm(Form):
    """One choice (single, multiple) or one item (ordering, listed in the correct order)."""

    text = TextAreaField("Text", validators=[Optional()], render_kw={"rows": 2})
    correct = BooleanField("Correct")
    feedback = TextAreaField("Feedback when picked", validators=[Optional()], render_kw={"rows": 2})
    weight = NumberField("Credit (%)", validators=[Optional()])


class QuestionForm(FlaskForm):
    """Every field of every question type; the page shows those of the chosen type."""

    type = SelectField("Question type", choices=[])
    stem = TextAreaField("Question", description=MARKDOWN, render_kw={"rows": 5})
    choices = FieldList(FormField(ChoiceForm), min_entries=0, max_entries=MAX_ROWS)
    scoring = SelectField(
        "Scoring",
        choices=[SelectChoice("partial", "Partial credit"), SelectChoice("all_or_nothing", "All or nothing")],
        validators=[Optional()],
    )
    shuffle = BooleanField("Shuffle the choices for each learner", default=True)
    tf_answer = RadioField(
        "The statement is",
        choices=[SelectChoice("true", "True"), SelectChoice("false", "False")],
        validators=[Optional()],
    )
    numeric_mode = RadioField(
        "The correct answer is",
        choices=[
            SelectChoice("value", "A value, give or take a tolerance"),
            SelectChoice("range", "Any number in a range"),
        ],
        default="value",
        validators=[Optional()],
    )
    value = NumberField("Value", validators=[Optional()])
    tolerance = NumberField("Tolerance (±)", validators=[Optional()])
    min = NumberField("Lowest accepted", validators=[Optional()])
    max = NumberField("Highest accepted", validators=[Optional()])
    unit = StringField("Unit (optional)", validators=[Optional(), Length(max=40)])
    wrong_feedback = TextAreaField(
        "Feedback for a wrong answer", description="Shown to learners who answer wrongly.", render_kw={"rows": 2}
    )
    right_feedback = TextAreaField(
        "Feedback for a right answer (optional)", description="Shown to learners who answer right.",
        render_kw={"rows": 2}
    )
    # A numeric key's partial-credit ranges (imported from Moodle), carried through an edit unchanged.
    numeric_partial = HiddenField(validators=[Optional(), Length(max=20_000)])
    explanation = TextAreaField(
        "Rationale",
        description="Why the answer is right; learners see it in the review. " + MARKDOWN,
        validators=[Optional()],
        render_kw={"rows": 4},
    )
    reference = SelectField(
        "Source",
        description="A draft may go without a rationale and a source; it needs both to be marked ready.",
        validators=[Optional()],
        choices=[],
    )
    tags = StringField("Tags", description="Comma-separated, lower-case, e.g. adult, ventilation.")
    group = StringField(
        "Exclusion group (optional)",
        description="Questions that test the same fact share a group, in any bank; an attempt never draws two of "
        "them. Lower-case, e.g. adult-ratio.",
    )
    difficulty = SelectField("Difficulty", choices=[SelectChoice(str(n), label) for n, label in DIFFICULTIES.items()])
    points = NumberField("Points", validators=[Optional()])
    base_version = HiddenField()
    note = StringField(
        "Version note",
        description="What changed and why; shown in the version history.",
        validators=[Optional(), Length(max=200)],
    )

    def __init__(self, *args, **kwargs):
        """Start with no group errors (errors that belong to the choices or to the answer as a whole)."""
        super().__init__(*args, **kwargs)
        self.type.choices = type_choices()
        self.choice_errors: list[str] = []
        self.answer_errors: list[str] = []

    @property
    def has_errors(self) -> bool:
        """Whether any field, choice row or group carries an error (rows are checked live: schema errors come late)."""
        rows = any(entry.form.errors for entry in self.choices)
        return bool(self.errors or rows or self.choice_errors or self.answer_errors)

    @property
    def partial_ranges(self) -> list[str]:
        """Return the numeric key's kept partial-credit ranges as readable text."""
        return numeric.kept_ranges(self.numeric_partial.data, form_optional(self.unit.data))

    @property
    def weighted(self) -> bool:
        """Whether any choice row carries a weight (the rows then show and keep each choice's credit)."""
        return any(entry.form.weight.data is not None or entry.form.weight.raw for entry in self.choices)


def type_choices() -> list[SelectChoice]:
    """Return the registered question types as menu options."""
    return [SelectChoice(name, kind.label) for name, kind in qtypes.TYPES.items()]


def build(
    bank: Bank, current: QuestionSpec | None, new_type: str = qtypes.DEFAULT, number: int | None = None
) -> QuestionForm:
    """Return the form: from the POST (after an add/remove/retype action), or filled from version `number`, or blank."""
    if request.method == "POST":
        action, index = pending_action(request.form)
        formdata = without_row(request.form, index) if action == "remove" else request.form
        form = QuestionForm(formdata=formdata)
        if action == "add" and len(form.choices) < MAX_ROWS:
            form.choices.append_entry()
        if action == "retype":
            _ensure_rows(form)
    else:
        form = QuestionForm(formdata=None, data=initial(current) if current else blank(new_type))
        form.base_version.data = str(number or "")
    form.reference.choices = [SelectChoice("", "Choose a source")] + [
        SelectChoice(key, f"{key}: {text[:90]}{'…' if len(text) > 90 else ''}")
        for key, text in (bank.references or {}).items()
    ]
    _label_rows(form)
    return form


def pending_action(formdata: MultiDict) -> tuple[str, int | None]:
    """Return the button pressed: save, preview (without saving), add, retype, or remove with the row index."""
    remove = formdata.get("remove", "")
    if remove.isdigit():
        return "remove", int(remove)
    action = formdata.get("action", "save")
    return (action if action in ("add", "retype", "preview") else "save"), None


def without_row(formdata: MultiDict, index: int) -> MultiDict:
    """Return the form data with choice row `index` dropped and the rows after it moved up, keeping what was typed."""
    out = MultiDict()
    for name, value in formdata.items(multi=True):
        parts = name.split("-", 2)
        if len(parts) == 3 and parts[0] == "choices" and parts[1].isdigit():
            row = int(parts[1])
            if row == index:
                continue
            name = f"choices-{row - 1 if row > index else row}-{parts[2]}"
        out.add(name, value)
    return out


def _ensure_rows(form: QuestionForm) -> None:
    """Give a choice type at least its default number of rows after a type change."""
    kind = qtypes.TYPES.get(form.type.data)
    while kind is not None and len(form.choices) < kind.default_rows:
        form.choices.append_entry()


def _label_rows(form: QuestionForm) -> None:
    """Give every choice input its own label, so each one is named on its own (not just by position)."""
    kind = qtypes.TYPES.get(form.type.data, qtypes.get(qtypes.DEFAULT))
    noun = kind.noun.capitalize()
    for n, entry in enumerate(form.choices, start=1):
        entry.form.text.label.text = f"{noun} {n}"
        entry.form.correct.label.text = f"{noun} {n} is correct"
        entry.form.feedback.label.text = f"Feedback when choice {n} is picked"
        entry.form.weight.label.text = f"Credit for choice {n} (%)"


def blank(qtype: str) -> dict:
    """Return the data of an empty form for a new question of `qtype`."""
    kind = qtypes.TYPES.get(qtype) or qtypes.get(qtypes.DEFAULT)
    return {
        "type": kind.name,
        "choices": [{}] * kind.default_rows,
        "scoring": kind.default_scoring or "partial",
        "shuffle": True,
        "numeric_mode": "value",
        "tolerance": 0,
        "difficulty": "2",
        "points": 1,
    }


def initial(q: QuestionSpec) -> dict:
    """Return the form data that shows a stored question."""
    data = {
        "type": q.type,
        "stem": q.stem,
        "choices": [
            {"text": c.text, "correct": c.correct, "feedback": c.feedback or "", "weight": c.weight}
            for c in q.choices or []
        ],
        "scoring": q.effective_scoring or "partial",
        "shuffle": q.shuffle,
        "wrong_feedback": q.feedback or "",
        "right_feedback": q.right_feedback or "",
        "explanation": q.explanation,
        "reference": q.reference or "",
        "tags": ", ".join(q.tags),
        "group": q.group or "",
        "difficulty": str(q.difficulty),
        "points": q.points,
        "numeric_mode": "value",
    }
    data.update(qtypes.get(q.type).author_form_data(q))
    return data
