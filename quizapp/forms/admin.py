"""Admin forms: user search and changes, and the export chooser."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from quizapp.exports.formats import FORMATS
from quizapp.models import Role

ROLE_LABELS = {
    Role.LEARNER: "Learner: takes quizzes",
    Role.INSTRUCTOR: "Instructor: also authors banks and quizzes",
    Role.ADMIN: "Admin: also manages users and exports",
}
DATASET_LABELS = {
    "attempts": "Attempts: one row per attempt, with scores per topic",
    "responses": "Responses: one row per answered question",
}
STATUS_LABELS = {
    "submitted": "Finished attempts only (submitted, or scored when time ran out)",
    "all": "All attempts, including those still in progress",
}


def _choices(labels: dict[str, str]) -> list[SelectChoice]:
    """Return value/label pairs as choices."""
    return [SelectChoice(value, label) for value, label in labels.items()]


class SearchForm(FlaskForm):
    """Find users by email or name (a GET form: it changes nothing, so it needs no token)."""

    class Meta:
        csrf = False

    q = StringField("Email or name contains", validators=[Optional(), Length(max=254)])


class RoleForm(FlaskForm):
    """Give a user another role."""

    role = SelectField("Role", choices=[SelectChoice(r.value, label) for r, label in ROLE_LABELS.items()])
    submit = SubmitField("Change role")


class ConfirmForm(FlaskForm):
    """A button that changes something: deactivate, set a temporary password, confirm an address (CSRF only)."""

    submit = SubmitField("Confirm")


class ExportForm(FlaskForm):
    """Choose what to export; posted with a CSRF token to the download (it runs the export and audits it)."""

    dataset = RadioField("Data", choices=_choices(DATASET_LABELS), default="attempts", validators=[InputRequired()])
    format = SelectField(
        "Format",
        choices=[SelectChoice(name, f.label) for name, f in FORMATS.items()],
        default="csv",
        validators=[InputRequired()],
    )
    quiz = SelectField("Quiz", choices=[SelectChoice("", "All quizzes")], default="", validators=[Optional()])
    since = DateField(
        "Started on or after", validators=[Optional()], description="A date in UTC (YYYY-MM-DD); empty for no limit."
    )
    until = DateField(
        "Started on or before", validators=[Optional()], description="A date in UTC (YYYY-MM-DD); empty for no limit."
    )
    status = RadioField("Attempts", choices=_choices(STATUS_LABELS), default="submitted")

    def with_quizzes(self, slugs: list[tuple[str, str]]) -> ExportForm:
        """Offer these quizzes (slug, title) besides "All quizzes"."""
        self.quiz.choices = [SelectChoice("", "All quizzes"), *(SelectChoice(s, f"{t} ({s})") for s, t in slugs)]
        return self

    def validate_until(self, field: DateField) -> None:
        """The period must not end before it starts."""
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError("The end date is before the start date.")
