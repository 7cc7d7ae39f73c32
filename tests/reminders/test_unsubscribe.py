"""Opting out: the profile's e-mail choices, and the signed unsubscribe link of every reminder (RFC 8058 one-click
POST without sign-in or CSRF token; a GET shows a page whose button carries one)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from quizapp.extensions import db
from quizapp.jobs import schedule
from quizapp.mail import preferences
from quizapp.models import User
from tests.reminders.conftest import PUBLIC_URL, learner
from tests.reminders.test_scan import EXPIRES
from tests.support import csrf_token, login_with_token


def choices(app, user_id: int) -> tuple[bool, bool]:
    """Return the user's (reminders, practice) choices, read fresh."""
    with app.app_context():
        chosen = preferences.of(db.session.get(User, user_id))
        return chosen.reminders, chosen.practice


def mailed_link(app, inbox, at) -> str:
    """Queue the 30-day reminder of a new learner and return the path of its List-Unsubscribe link."""
    at(EXPIRES - timedelta(days=30))
    with app.app_context():
        assert schedule.tick("reminders") == 1
    header = inbox.received[-1]["List-Unsubscribe"]
    return re.search(r"<([^>]+)>", header).group(1).removeprefix(PUBLIC_URL)


@pytest.fixture
def strict(mailed, make_app):
    """(app, inbox) with CSRF protection on, as in production, mailing the same in-process server."""
    app, inbox = mailed
    return make_app(**{**app.config, "WTF_CSRF_ENABLED": True}), inbox


def test_a_mail_readers_one_click_post_unsubscribes_without_session_or_token(strict, at):
    app, inbox = strict
    lee = learner(app, "lee@example.org", EXPIRES, practice=True)
    path = mailed_link(app, inbox, at)
    response = app.test_client().post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "no more card expiry reminders" in response.get_data(as_text=True)
    assert choices(app, lee) == (False, True)  # the other list stays as chosen
    at(EXPIRES - timedelta(days=7))
    with app.app_context():
        assert schedule.tick("reminders") == 0
    assert len(inbox.received) == 1


def test_the_page_asks_first_and_its_button_needs_the_csrf_token(strict, at):
    app, inbox = strict
    lee = learner(app, "lee@example.org", EXPIRES)
    path = mailed_link(app, inbox, at)
    client = app.test_client()
    page = client.get(path)
    assert page.status_code == 200 and "Stop the card expiry reminders" in page.get_data(as_text=True)
    assert choices(app, lee) == (True, False)  # a link checker's GET changes nothing
    assert client.post(f"{path}/confirm").status_code in (302, 303, 400)
    assert choices(app, lee) == (True, False)
    done = client.post(f"{path}/confirm", data={"csrf_token": csrf_token(client, path)})
    assert done.status_code == 200 and choices(app, lee) == (False, False)


@pytest.mark.parametrize("change", ["forged", "altered", "other-list", "odd-payload", "not-a-token"])
def test_a_forged_or_altered_link_is_a_404_and_changes_nothing(strict, at, change):
    app, inbox = strict
    lee = learner(app, "lee@example.org", EXPIRES)
    path = mailed_link(app, inbox, at)
    token = path.rsplit("/", 1)[1]
    body, _dot, signature = token.rpartition(".")
    with app.app_context():
        forged = preferences.URLSafeSerializer("another-secret", salt=preferences.SALT).dumps([lee, "reminders"])
        other = preferences._serializer().dumps([lee, "everything"])
        odd = preferences._serializer().dumps([lee, ["reminders"]])
    bad = {
        "forged": forged, "altered": f"{body}.{signature[::-1]}", "other-list": other, "odd-payload": odd,
        "not-a-token": "abc..def",
    }[change]
    client = app.test_client()
    assert client.get(f"/unsubscribe/{bad}").status_code == 404
    assert client.post(f"/unsubscribe/{bad}").status_code == 404
    assert choices(app, lee) == (True, False)


def test_the_profile_page_saves_the_mail_choices(csrf_app):
    lee = learner(csrf_app, "lee@example.org", None)
    client = csrf_app.test_client()
    login_with_token(client, "lee@example.org")
    page = client.get("/profile").text
    assert '<input checked id="mail-reminders"' in page and '<input id="mail-practice"' in page
    token = re.search(r'name="mail-csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/profile/mail", data={"mail-practice": "y"}).status_code in (302, 303, 400)
    assert choices(csrf_app, lee) == (True, False)  # no token: nothing saved
    saved = client.post("/profile/mail", data={"mail-csrf_token": token, "mail-practice": "y"})
    assert saved.status_code == 303 and choices(csrf_app, lee) == (False, True)
