"""Sign-up and sign-in forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length, ValidationError

from quizapp.services.passwords import weakness

MIN_PASSWORD, MAX_PASSWORD = 8, 128


def strong_password(form: FlaskForm, field: PasswordField) -> None:
    """Refuse common and trivially guessable passwords."""
    problem = weakness(field.data or "", form.email.data or "")
    if problem:
        raise ValidationError(problem)


class RegisterForm(FlaskForm):
    """Create a learner account."""

    display_name = StringField("Your name", validators=[InputRequired(), Length(max=100)])
    email = EmailField("Email", validators=[InputRequired(), Email(check_deliverability=False), Length(max=254)])
    password = PasswordField(
        "Password",
        validators=[InputRequired(), Length(min=MIN_PASSWORD, max=MAX_PASSWORD), strong_password],
        description=f"{MIN_PASSWORD} to {MAX_PASSWORD} characters; avoid common passwords.",
    )
    confirm = PasswordField(
        "Repeat password", validators=[InputRequired(), EqualTo("password", "The passwords do not match.")]
    )


class LoginForm(FlaskForm):
    """Sign in with email and password."""

    email = EmailField("Email", validators=[InputRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[InputRequired(), Length(max=MAX_PASSWORD)])


def new_password_policy(form: FlaskForm, field: PasswordField) -> None:
    """Apply the password policy to a new password (the account's email is on the form's `email_hint`)."""
    problem = weakness(field.data or "", getattr(form, "email_hint", ""))
    if problem:
        raise ValidationError(problem)


class PasswordChangeForm(FlaskForm):
    """Change the signed-in user's password."""

    current = PasswordField("Current password", validators=[InputRequired(), Length(max=MAX_PASSWORD)])
    password = PasswordField(
        "New password",
        validators=[InputRequired(), Length(min=MIN_PASSWORD, max=MAX_PASSWORD), new_password_policy],
        description=f"{MIN_PASSWORD} to {MAX_PASSWORD} characters; avoid common passwords.",
    )
    confirm = PasswordField(
        "Repeat new password", validators=[InputRequired(), EqualTo("password", "The passwords do not match.")]
    )
