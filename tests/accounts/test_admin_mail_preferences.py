"""The admin's page of a user shows their e-mail choices and whether their address is confirmed (read only)."""

from __future__ import annotations

from quizapp import clock
from quizapp.extensions import db
from quizapp.mail import preferences
from quizapp.models import User
from tests.conftest import quick_user

LEARNER = "learner@example.org"


def facts(admin, uid: int) -> str:
    """Return the user's admin page without line breaks between tags (one fact per dt/dd pair)."""
    return "".join(line.strip() for line in admin.get(f"/admin/users/{uid}").get_data(as_text=True).splitlines())


def test_the_defaults_then_the_learners_own_choices(app, admin):
    uid = quick_user(app, LEARNER, "Lee Learner")
    page = facts(admin, uid)
    assert "<dt>Email address</dt><dd>Not confirmed: no reminders are sent to it</dd>" in page
    assert "<dt>Card expiry reminders</dt><dd>On</dd>" in page and "<dt>Practice reminders</dt><dd>Off</dd>" in page
    assert "has not changed the e-mail choices: these are the defaults" in page
    with app.app_context():
        user = db.session.get(User, uid)
        preferences.choose(user, reminders=False, practice=True)
        user.email_verified_at = clock.now()
        db.session.commit()
    page = facts(admin, uid)
    assert "<dt>Email address</dt><dd>Confirmed " in page
    assert "<dt>Card expiry reminders</dt><dd>Off</dd>" in page and "<dt>Practice reminders</dt><dd>On</dd>" in page
    assert "E-mail choices made by Lee Learner on " in page and "these are the defaults" not in page
    assert "<form" not in page.split("<dt>Card expiry reminders</dt>")[1].split("</dl>")[0]  # read only
