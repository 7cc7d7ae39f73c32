"""LTI forms: the instructor's quiz picker and the admin's platform registration."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from quizapp.lti.registrations import Details
from quizapp.qtypes.multiple import CheckboxesField

URL_LENGTH = Length(max=500)


class PickForm(FlaskForm):
    """The quizzes an instructor adds to the course (choices set by the view)."""

    quizzes = CheckboxesField("Quizzes to add", validators=[InputRequired("Pick at least one quiz.")])


class RegistrationForm(FlaskForm):
    """A platform's registration, as its administrator's screen shows the values."""

    name = StringField("Name", validators=[InputRequired(), Length(max=100)], description="For you, e.g. 'Moodle'.")
    issuer = StringField("Issuer (platform ID)", validators=[InputRequired(), Length(max=255)])
    client_id = StringField("Client ID", validators=[InputRequired(), Length(max=255)])
    deployment_ids = TextAreaField(
        "Deployment IDs", validators=[InputRequired(), Length(max=2000)], description="One per line."
    )
    key_set_url = StringField("Public keyset URL", validators=[InputRequired(), URL_LENGTH])
    auth_login_url = StringField("Authentication request URL", validators=[InputRequired(), URL_LENGTH])
    auth_token_url = StringField("Access token URL", validators=[InputRequired(), URL_LENGTH])

    def details(self) -> Details:
        """Return the typed values for the registration service."""
        return Details(
            name=self.name.data,
            issuer=self.issuer.data,
            client_id=self.client_id.data,
            deployment_ids=tuple(self.deployment_ids.data.splitlines()),
            key_set_url=self.key_set_url.data,
            auth_login_url=self.auth_login_url.data,
            auth_token_url=self.auth_token_url.data,
        )
