"""The quiz builder form: settings and a list of draw rules, validated in the end by `schema.QuizSpec`.

WTForms only turns the posted text into values here (numbers, booleans, choices); the ranges and
rules live in `QuizSpec`, and the service maps its errors back onto these fields. Rules are added
and removed by submit buttons that re-render the form, so no script is needed.
"""

from __future__ import annotations

import re

from flask import request
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    FloatField,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

MAX_RULES = 20
GRADING = {"highest": "Highest attempt", "latest": "Latest attempt", "first": "First attempt", "average": "Average"}
FEEDBACK = {
    "deferred": "After submitting (exam)",
    "immediate": "After each answer, which is then locked (practice)",
}
REVIEW = {
    "full": "Answers, correct answers and rationales",
    "correctness": "Only whether each answer was right",
    "score_only": "Only the score",
}


def _choices(labels: dict[str, str]) -> list[SelectChoice]:
    """Return radio options from a value -> label mapping."""
    return [SelectChoice(value, label) for value, label in labels.items()]


def bank_choices(banks: list[tuple[str, str]]) -> list[SelectChoice]:
    """Return the bank options of a draw rule: any bank, then each (slug, title) given."""
    return [SelectChoice("", "Any bank"), *(SelectChoice(slug, title) for slug, title in banks)]


class DrawRuleForm(Form):
    """One draw rule: how many questions, from which bank, carrying which tags."""

    bank = SelectField("Bank", choices=[], invalid_choice_message="Choose one of the banks listed.")
    tags = StringField(
        "Only questions tagged (optional)",
        validators=[Optional(), Length(max=300)],
        description="Separate tags with commas; a question must carry every tag listed.",
    )
    exclude_tags = StringField(
        "Leave out questions tagged (optional)",
        validators=[Optional(), Length(max=300)],
        description="Separate tags with commas; a question carrying any tag listed is never drawn (e.g. trivia).",
    )
    count = IntegerField("Number of questions", default=5, validators=[Optional()], render_kw={"inputmode": "numeric"})

    def rule(self) -> dict:
        """Return the rule as QuizSpec data."""
        return {
            "bank": self.bank.data or None,
            "tags": _tag_list(self.tags.data),
            "exclude_tags": _tag_list(self.exclude_tags.data),
            "count": self.count.data,
        }


def _tag_list(text: str | None) -> list[str]:
    """Return the tags typed in a box, separated by commas or spaces, lower-cased."""
    return [t for t in re.split(r"[,\s]+", (text or "").strip().lower()) if t]


class QuizForm(FlaskForm):
    """Create or edit a quiz."""

    slug = StringField(
        "Slug",
        validators=[Length(max=64)],
        description="Lowercase letters, digits and hyphens; it is part of the quiz's web address.",
    )
    title = StringField("Title", validators=[Length(max=200)])
    description = TextAreaField("Description (optional)", validators=[Length(max=5000)])
    draw = FieldList(FormField(DrawRuleForm), min_entries=1, max_entries=MAX_RULES)
    pass_percent = FloatField("Pass mark (%)", default=80, validators=[Optional()])
    time_limit_minutes = IntegerField(
        "Time limit in minutes (optional)", validators=[Optional()], description="Leave empty for no time limit."
    )
    attempts_allowed = IntegerField(
        "Attempts allowed (optional)", validators=[Optional()], description="Leave empty for unlimited attempts."
    )
    grading = RadioField("When there are several attempts, the grade is", choices=_choices(GRADING), default="highest")
    feedback = RadioField("Feedback", choices=_choices(FEEDBACK), default="deferred")
    review = RadioField("After submitting, learners see", choices=_choices(REVIEW), default="full")
    shuffle_questions = BooleanField("Shuffle the order of questions", default=True)
    shuffle_choices = BooleanField("Shuffle the order of choices (questions can opt out)", default=True)
    intake = BooleanField("Ask the course-track questions before starting and recommend a course")
    focus_weakest = BooleanField(
        "Move each learner's draw toward their weakest topics (every rule names a bank; the counts set the total)"
    )
    published = BooleanField("Published: learners can see and take this quiz")
    add_rule = SubmitField("Add a draw rule")
    save = SubmitField("Save quiz")

    def __init__(self, *args, banks: list[tuple[str, str]] = (), **kwargs):
        """Bind the form, offering the given (slug, title) banks, with room for errors about the rules as a whole."""
        super().__init__(*args, **kwargs)
        self.bank_choices = bank_choices(banks)
        for entry in self.draw.entries:
            entry.form.bank.choices = self.bank_choices
        self.rule_errors: list[str] = []
        self.refused = False

    def change_rules(self, formdata) -> bool:
        """Apply an "Add a draw rule" or "Remove rule N" button; return whether one was pressed."""
        remove = formdata.get("remove_rule", "")
        if self.add_rule.data:
            if len(self.draw.entries) < MAX_RULES:
                self.draw.append_entry().form.bank.choices = self.bank_choices
            else:
                self.rule_errors.append(f"A quiz can have at most {MAX_RULES} draw rules.")
            return True
        if remove.isdigit():
            if int(remove) < len(self.draw.entries) and len(self.draw.entries) > 1:
                del self.draw.entries[int(remove)]
            return True
        return False

    def spec_data(self) -> dict:
        """Return the form's values as QuizSpec data."""
        data = {name: self[name].data for name in _SETTINGS}
        data["description"] = (data["description"] or "").strip()
        data["draw"] = [entry.form.rule() for entry in self.draw.entries]
        return data

    def show_errors(self, errors: dict[str, list[str]]) -> None:
        """Put the service's errors on their fields: `slug`, `draw`, `draw-0-count`, or the whole form (``)."""
        self.refused = True
        for name, messages in errors.items():
            parts = name.split("-")
            if parts[0] == "draw" and len(parts) == 3 and int(parts[1]) < len(self.draw.entries):
                field = self.draw.entries[int(parts[1])].form[parts[2]]
            elif name == "draw":
                self.rule_errors.extend(messages)
                continue
            else:
                field = self._fields.get(name)
            if field is None:
                self.form_errors.extend(messages)
            else:
                field.errors = [*field.errors, *messages]


_SETTINGS = (
    "slug",
    "title",
    "description",
    "pass_percent",
    "time_limit_minutes",
    "attempts_allowed",
    "grading",
    "feedback",
    "review",
    "shuffle_questions",
    "shuffle_choices",
    "intake",
    "focus_weakest",
    "published",
)


def quiz_form(banks: list[tuple[str, str]], settings: dict | None = None) -> QuizForm:
    """Return the form offering `banks`: bound to the posted data on POST, else filled from stored settings."""
    if settings is None or request.method == "POST":
        return QuizForm(banks=banks)
    data = {**settings, "draw": [_rule_data(rule) for rule in settings.get("draw", [])]}
    return QuizForm(data=data, banks=banks)


def _rule_data(rule: dict) -> dict:
    """Return a stored draw rule as the rule form's data."""
    return {
        "bank": rule.get("bank") or "",
        "tags": ", ".join(rule.get("tags") or []),
        "exclude_tags": ", ".join(rule.get("exclude_tags") or []),
        "count": rule.get("count"),
    }
