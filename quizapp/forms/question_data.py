"""From the authoring form to a question: a dict validated by the bank schema, whose errors go back on the fields."""

from __future__ import annotations

from pydantic import ValidationError

from quizapp import qtypes
from quizapp.banks.schema import Question as QuestionSpec
from quizapp.forms import question_errors
from quizapp.forms.question import QuestionForm
from quizapp.qtypes.base import form_optional, form_text


def to_spec(
    form: QuestionForm, key: str, current: QuestionSpec | None, number: int | None = None
) -> QuestionSpec | None:
    """Validate the form, then the question schema; return the question, or None with errors on the fields."""
    valid = form.validate()
    valid = not _stale(form, number) and valid
    data, rows = to_data(form, key, current)
    try:
        spec = QuestionSpec.model_validate(data)
    except ValidationError as exc:
        question_errors.attach(form, exc, rows)
        _whole_question_errors(form, data, exc, rows)
        return None
    return spec if valid else None


# Stand-ins for fields that failed on their own, so the rules about the whole question can still be checked.
PLACEHOLDERS = {
    "stem": "…",
    "explanation": "",
    "reference": None,
    "tags": [],
    "group": None,
    "difficulty": 2,
    "points": 1,
}


def _whole_question_errors(form: QuestionForm, data: dict, exc: ValidationError, rows: list[int]) -> None:
    """Report the whole-question rules too (pydantic skips them once a field fails), so authors see every error."""
    failed = {error["loc"][0] for error in exc.errors() if error["loc"]}
    if not failed or not failed <= PLACEHOLDERS.keys():
        return
    try:
        QuestionSpec.model_validate({**data, **{name: PLACEHOLDERS[name] for name in failed}})
    except ValidationError as second:
        question_errors.attach(form, second, rows)  # repeated messages are not added twice


def _stale(form: QuestionForm, number: int | None) -> bool:
    """Refuse a save based on an older version than the current one (someone else saved in between)."""
    base = form.base_version.data or ""
    if number is None or not base or base == str(number):
        return False
    form.form_errors.append(
        f"Someone saved version {number} of this question after you opened version {base}. Your changes are still "
        "in the form below: check the version history, then save again to replace it."
    )
    form.base_version.data = str(number)
    return True


def to_data(form: QuestionForm, key: str, current: QuestionSpec | None) -> tuple[dict, list[int]]:
    """Turn the form into the schema's dict; also return, per kept choice, its row in the form."""
    qtype = form.type.data
    data = {
        "key": key,
        "type": qtype,
        "stem": form_text(form.stem.data),
        "explanation": form_text(form.explanation.data),
        "reference": form.reference.data or None,
        "tags": [t.strip() for t in (form.tags.data or "").split(",") if t.strip()],
        "group": form_optional(form.group.data),
        "difficulty": form.difficulty.data,
        "points": form.points.data,
        "shuffle": current.shuffle if current else True,
    }
    kind = qtypes.TYPES.get(qtype)
    if kind is None:  # a type the menu does not offer: the schema names the ones it accepts
        return data, []
    part, rows = kind.author_data(form, current)
    return {**data, **part}, rows


def feedback_hints(form: QuestionForm) -> list[int]:
    """Return the 1-based rows of wrong choices without feedback (a hint to the author, not an error)."""
    kind = qtypes.TYPES.get(form.type.data)
    if kind is None or not kind.choices or kind.ordered:
        return []
    return [
        n
        for n, entry in enumerate(form.choices, start=1)
        if form_text(entry.text.data) and not entry.correct.data and not form_text(entry.feedback.data)
    ]
