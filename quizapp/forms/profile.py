"""The learner profile and quiz start forms: the track intake (pre-filled from the profile) and the time zone."""

from __future__ import annotations

from flask import request
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField

from quizapp.forms.intake import IntakeForm
from quizapp.recommendation.tracks import TrackRules
from quizapp.timefmt import known_zone


class TimeZoneField(HiddenField):
    """The browser's IANA time zone, filled in by static/js/timezone.js; an unknown name becomes None, not an error."""

    def __init__(self, label: str = "Time zone", **kwargs) -> None:
        """Validate against zoneinfo by filtering: a wrong hidden value must never block a form."""
        super().__init__(label, filters=[known_zone], **kwargs)


class ProfileForm(IntakeForm):
    """What the learner tells us once: the intake questions and the browser's time zone."""

    time_zone = TimeZoneField()


class MailForm(FlaskForm):
    """The learner's e-mail choices: card reminders, and the practice reminder every 90 days."""

    reminders = BooleanField("Remind me 90, 30 and 7 days before my CPR card expires, and when it lapses")
    practice = BooleanField("Remind me to practise every 90 days, with a short quiz on my weakest topics")


class StartForm(FlaskForm):
    """Starting a quiz that asks no intake: the CSRF token and the time zone."""

    time_zone = TimeZoneField()


class StartIntakeForm(IntakeForm):
    """Starting a quiz that asks the intake: the intake questions and the time zone."""

    time_zone = TimeZoneField()


def prefilled(form_class: type[IntakeForm], saved: dict | None, rules: TrackRules) -> IntakeForm:
    """Build an intake form showing the stored answers; a form sent back keeps exactly what was sent."""
    data = None if request.method == "POST" else saved
    return form_class(data=data).use_rules(rules)
