"""Fixtures for the reminder tests: an app whose mail reaches a real SMTP server in-process, and learners."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from quizapp import clock
from quizapp.credentials import cards
from quizapp.extensions import db
from quizapp.mail import preferences
from quizapp.models import User
from tests.conftest import make_user
from tests.mail import smtp

PUBLIC_URL = "https://quiz.example.org"


@pytest.fixture
def mailed(make_app):
    """Yield (app, inbox): an app whose mail goes to a real SMTP server on loopback, with its public address set."""
    with smtp.running() as (inbox, url):
        yield make_app(MAIL_URL=url, PUBLIC_URL=PUBLIC_URL, MAIL_FROM="CPR quiz <quiz@example.org>"), inbox


@pytest.fixture
def at(monkeypatch):
    """Freeze the server clock: `at(date)` sets it to noon UTC that day."""

    def freeze(day: date) -> None:
        moment = datetime(day.year, day.month, day.day, 12)
        monkeypatch.setattr(clock, "now", lambda: moment)

    return freeze


def learner(app, email: str, expires_on: date | None, verified: bool = True, **choices: bool) -> int:
    """Create a learner (verified unless told), with a BLS card expiring on `expires_on` and mail choices; its id."""
    user_id = make_user(app, email)
    with app.app_context():
        user = db.session.get(User, user_id)
        user.email_verified_at = clock.now() if verified else None
        if expires_on is not None:
            data = cards.CardInput("bls-provider", "", "aha", "", date(2020, 1, 1), expires_on)
            cards.record(user, data)
        if choices:
            was = preferences.of(user)
            preferences.choose(user, choices.get("reminders", was.reminders), choices.get("practice", was.practice))
        db.session.commit()
    return user_id
