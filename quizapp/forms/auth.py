"""Sign-up and sign-in forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length, ValidationError

from quizapp.accounts import identity
from quizapp.accounts.passwords import weakness

MIN_PASSWORD, MAX_PASSWORD = 8, 128


def strong_password(form: FlaskForm, field: PasswordField) -> None:
    """Refuse common and trivially guessable passwords (checked against the form's email or `email_hint`)."""
    email = form.email.data if "email" in form else getattr(form, "email_hint", "")
    problem = weakness(field.data or "", email or "")
    if problem:
        raise ValidationError(problem)


def usable_email(form: FlaskForm, field: EmailField) -> None:
    """Refuse look-alike addresses (letters of different alphabets mixed in one part)."""
    problem = identity.email_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


def plain_name(form: FlaskForm, field: StringField) -> None:
    """Refuse names with line breaks, control characters or text-direction overrides."""
    problem = identity.name_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


def display_name_field() -> StringField:
    """Return the display-name field with its rules (shared by every form that sets a name)."""
    return StringField("Your name", validators=[InputRequired(), Length(max=100), plain_name])


def new_password(label: str) -> PasswordField:
    """Return a password field with the policy: length limits and the strength check."""
    return PasswordField(
        label,
        validators=[InputRequired(), Length(min=MIN_PASSWORD, max=MAX_PASSWORD), strong_password],
        description=f"{MIN_PASSWORD} to {MAX_PASSWORD} characters; avoid common passwords.",
    )


def repeat_password(label: str) -> PasswordField:
    """Return the field that must repeat `password`."""
    return PasswordField(label, validators=[InputRequired(), EqualTo("password", "The passwords do not match.")])


class RegisterForm(FlaskForm):
    """Create a learner account."""

    display_name = display_name_field()
    email = EmailField(
        "Email", validators=[InputRequired(), Email(check_deliverability=False), Length(max=254), usable_email]
    )
    password = new_password("Password")
    confirm = repeat_password("Repeat password")


class LoginForm(FlaskForm):
    """Sign in with email and password."""

    email = EmailField("Email", validators=[InputRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[InputRequired(), Length(max=MAX_PASSWORD)])


class PasswordChangeForm(FlaskForm):
    """Change the signed-in user's password."""

    current = PasswordField("Current password", validators=[InputRequired(), Length(max=MAX_PASSWORD)])
    password = new_password("New password")
    confirm = repeat_password("Repeat new password")


class ResetRequestForm(FlaskForm):
    """Ask for a password-reset link by e-mail."""

    email = EmailField("Email", validators=[InputRequired(), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    """Choose a new password from a reset link (the same rules as at sign-up)."""

    password = new_password("New password")
    confirm = repeat_password("Repeat new password")
