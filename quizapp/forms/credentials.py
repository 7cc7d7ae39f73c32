"""Credential forms: the certificate name, privacy, the learner's card; the admin's certificate filters and revoking."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError
from wtforms.widgets import TextInput

from quizapp.credentials.expiry import COURSES, PROVIDERS, date_problems
from quizapp.forms.auth import plain_name

DATE_FORMAT = "year-month-day, for example 2025-03-15"


def day_field(label: str, required: bool, hint: str) -> DateField:
    """Return a date typed as year-month-day in a text box (the same on every browser and for screen readers)."""
    return DateField(
        label,
        validators=[InputRequired(f"Enter the {label.lower()}.")] if required else [Optional()],
        widget=TextInput(),
        invalid_value_message=f"Enter the {label.lower()} as {DATE_FORMAT}.",
        description=f"{hint} Type it as {DATE_FORMAT}.",
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )


class CertificateForm(FlaskForm):
    """Issue the certificate of a ready result, with the name to print on it."""

    name = StringField(
        "Name on the certificate",
        validators=[InputRequired("Enter the name to print."), Length(max=100), plain_name],
        description="As an employer should read it. It is printed on the PDF and, unless you hide it, shown on the "
        "verification page.",
        render_kw={"autocomplete": "name"},
    )
    submit = SubmitField("Get my certificate (PDF)")


class PrivacyForm(FlaskForm):
    """Whether the public verification page shows the learner's name."""

    hide_name = BooleanField("Hide my name on the public verification page of my certificates")
    submit = SubmitField("Save this choice")


class CardForm(FlaskForm):
    """The learner's current CPR card; `today` (the learner's date) is set by the view before validating."""

    course = SelectField("Course", choices=[SelectChoice(k, v) for k, v in COURSES.items()], validate_choice=True)
    course_other = StringField(
        "Course name (if another course)",
        validators=[Length(max=100), plain_name],
        description="As printed on the card.",
    )
    provider = SelectField("Provider", choices=[SelectChoice(k, v) for k, v in PROVIDERS.items()])
    provider_other = StringField(
        "Provider name (if another provider)",
        validators=[Length(max=100), plain_name],
        description="As printed on the card.",
    )
    issued_on = day_field("Issue date", True, "The date the card was issued, printed on it.")
    expires_on = day_field(
        "Expiry date",
        False,
        "Leave empty and we work it out from the provider's rule; fill it in if your card shows another date.",
    )
    submit = SubmitField("Save my card")
    today: date

    def validate(self, extra_validators=None) -> bool:
        """Check each field, then the names "other" needs and dates that cannot be (future issue, expiry first)."""
        valid = super().validate(extra_validators)
        needed = {"course_other": self.course.data == "other", "provider_other": self.provider.data == "other"}
        for name, needs in needed.items():
            field = getattr(self, name)
            if needs and not (field.data or "").strip():
                field.errors.append(f"Enter the {field.label.text.split(' (')[0].lower()}.")
                valid = False
        for name, message in date_problems(self.issued_on.data, self.expires_on.data, self.today).items():
            getattr(self, name).errors.append(message)
            valid = False
        return valid


class RevokeForm(FlaskForm):
    """An admin revokes a certificate, saying why (kept in the certificate and the audit log)."""

    reason = TextAreaField(
        "Reason for revoking",
        validators=[InputRequired("Say why the certificate is revoked."), Length(min=5, max=500)],
        description="Kept with the certificate and in the audit log; the public page only says it was revoked.",
    )
    submit = SubmitField("Revoke this certificate")


class CertificateFilterForm(FlaskForm):
    """Which certificates the admin lists or downloads: read from the query string (no token) or posted (a token)."""

    state = RadioField("State", choices=[SelectChoice("all", "All")], default="all")
    quiz = SelectField("Quiz", choices=[SelectChoice("", "All quizzes")], default="", validators=[Optional()])
    since = day_field("Issued on or after", False, "A date in UTC; empty for no limit.")
    until = day_field("Issued on or before", False, "A date in UTC; empty for no limit.")

    def with_choices(self, states: dict[str, str], titles: list[str]) -> CertificateFilterForm:
        """Offer these states (value: label) and quiz titles (besides "All quizzes")."""
        self.state.choices = [SelectChoice(k, v) for k, v in states.items()]
        self.quiz.choices = [SelectChoice("", "All quizzes"), *(SelectChoice(t, t) for t in titles)]
        return self

    def validate_until(self, field: DateField) -> None:
        """The period must not end before it starts."""
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError("The end date is before the start date.")
