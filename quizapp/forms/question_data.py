"""From the authoring form to a question: a dict validated by the bank schema, whose errors go back on the fields."""

from __future__ import annotations

from pydantic import ValidationError

from quizapp.banks.schema import CHOICE_TYPES, DEFAULT_SCORING
from quizapp.banks.schema import Question as QuestionSpec
from quizapp.forms import question_errors
from quizapp.forms.question import QuestionForm


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


def _text(value: str | None) -> str:
    """Return text with browser line endings made plain, so an unchanged textarea hashes the same."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _optional(value: str | None) -> str | None:
    """Return the text, or None when it is blank."""
    return _text(value) or None


def to_data(form: QuestionForm, key: str, current: QuestionSpec | None) -> tuple[dict, list[int]]:
    """Turn the form into the schema's dict; also return, per kept choice, its row in the form."""
    qtype = form.type.data
    data = {
        "key": key,
        "type": qtype,
        "stem": _text(form.stem.data),
        "explanation": _text(form.explanation.data),
        "reference": form.reference.data or None,
        "tags": [t.strip() for t in (form.tags.data or "").split(",") if t.strip()],
        "group": _optional(form.group.data),
        "difficulty": form.difficulty.data,
        "points": form.points.data,
        "shuffle": current.shuffle if current else True,
    }
    if qtype in ("single", "multiple"):
        data["shuffle"] = bool(form.shuffle.data)
    rows: list[int] = []
    if qtype in CHOICE_TYPES:
        choices = []
        for row, entry in enumerate(form.choices):
            text, feedback = _text(entry.text.data), _optional(entry.feedback.data)
            correct = bool(entry.correct.data) and qtype != "ordering"
            if qtype == "ordering":
                feedback = None
            if text or feedback or correct:
                choices.append({"text": text, "correct": correct, "feedback": feedback})
                rows.append(row)
        data["choices"] = choices
        data["scoring"] = _scoring(qtype, form.scoring.data, current)
        if qtype == "ordering" and current is not None and current.type == "ordering":
            kept = {c.text: c.feedback for c in current.choices}  # item feedback is not edited here; keep it
            for choice in choices:
                choice["feedback"] = kept.get(choice["text"])
    elif qtype == "true_false":
        data["answer"] = {"true": True, "false": False}.get(form.tf_answer.data)
        data["feedback"] = _optional(form.wrong_feedback.data)
    elif qtype == "numeric":
        data["answer"] = _numeric_answer(form)
        data["feedback"] = _optional(form.wrong_feedback.data)
    return data, rows


def _scoring(qtype: str, chosen: str | None, current: QuestionSpec | None) -> str | None:
    """Return the scoring to store: None for the type's default, unless the current version spells it out."""
    if qtype not in DEFAULT_SCORING:
        return None
    chosen = chosen or DEFAULT_SCORING[qtype]
    if current is not None and current.type == qtype and current.effective_scoring == chosen:
        return current.scoring
    return None if chosen == DEFAULT_SCORING[qtype] else chosen


def _numeric_answer(form: QuestionForm) -> dict:
    """Return the numeric key from whichever form (value or range) was chosen."""
    unit = _optional(form.unit.data)
    if form.numeric_mode.data == "range":
        return {"min": form.min.data, "max": form.max.data, "unit": unit}
    tolerance = form.tolerance.data if form.tolerance.data is not None else 0
    return {"value": form.value.data, "tolerance": tolerance, "unit": unit}


def feedback_hints(form: QuestionForm) -> list[int]:
    """Return the 1-based rows of wrong choices without feedback (a hint to the author, not an error)."""
    if form.type.data not in ("single", "multiple"):
        return []
    return [
        n
        for n, entry in enumerate(form.choices, start=1)
        if _text(entry.text.data) and not entry.correct.data and not _text(entry.feedback.data)
    ]
