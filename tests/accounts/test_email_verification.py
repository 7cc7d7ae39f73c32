"""E-mail verification at sign-up, through a real SMTP server in-process: one link that works once, for two days,
for the address it was sent to; a button (never the GET) confirms; learners take quizzes before confirming."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from quizapp import clock
from quizapp.accounts import verification
from quizapp.extensions import db
from quizapp.models import EmailVerification, User
from tests.conftest import PASSWORD, PROJECT, import_paths, login
from tests.mail import smtp
from tests.support import csrf_token, login_with_token

ADDRESS = "new@example.org"


@pytest.fixture
def mailed(make_app):
    """Yield (app, inbox): an app whose mail reaches a real SMTP server on loopback."""
    with smtp.running() as (inbox, url):
        yield make_app(MAIL_URL=url), inbox


def sign_up(client, email: str = ADDRESS):
    """Create an account through the real form."""
    data = {"display_name": "Nia New", "email": email, "password": PASSWORD, "confirm": PASSWORD}
    return client.post("/auth/register", data=data)


def link_in(message) -> str:
    """Return the confirmation link's path from the plain-text part of a received message."""
    text = message.get_body(("plain",)).get_content()
    return re.search(r"https?://[^/\s]+(/auth/verify/\S+)", text).group(1)


def verified_at(app, email: str = ADDRESS):
    """Return when the account's address was confirmed, or None."""
    with app.app_context():
        return db.session.scalar(select(User.email_verified_at).where(User.email == email))


def test_sign_up_mails_a_link_that_confirms_the_address_once(mailed):
    app, inbox = mailed
    client = app.test_client()
    assert sign_up(client).status_code == 303
    [message] = inbox.received
    assert message["To"] == ADDRESS and "Confirm" in message["Subject"]
    path = link_in(message)
    assert path in message.get_body(("html",)).get_content()
    page = client.get(path)
    assert page.status_code == 200 and "Confirm my address" in page.get_data(as_text=True)
    assert verified_at(app) is None  # a link checker's GET changes nothing
    assert client.post(path).status_code == 303
    assert verified_at(app) is not None
    assert client.post(path).status_code == 404  # used up
    with app.app_context():
        token_hash = db.session.scalar(select(EmailVerification.token_hash))
    assert token_hash == verification.digest(path.rsplit("/", 1)[1]) and path.rsplit("/", 1)[1] not in token_hash


def test_a_link_expires_after_two_days(mailed, monkeypatch):
    app, inbox = mailed
    client = app.test_client()
    sign_up(client)
    path = link_in(inbox.received[0])
    later = clock.now() + verification.VALID_FOR + timedelta(seconds=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    response = client.post(path)
    assert response.status_code == 404 and "works once, for two days" in response.get_data(as_text=True)
    assert verified_at(app) is None


def test_a_link_does_not_confirm_an_address_the_account_no_longer_has(mailed):
    app, inbox = mailed
    client = app.test_client()
    sign_up(client)
    path = link_in(inbox.received[0])
    with app.app_context():
        db.session.scalar(select(User)).email = "changed@example.org"
        db.session.commit()
    assert client.post(path).status_code == 404
    assert verified_at(app, "changed@example.org") is None


def test_signing_up_with_a_taken_address_mails_nothing_and_says_the_same(mailed):
    app, inbox = mailed
    first = sign_up(app.test_client())
    again = sign_up(app.test_client())
    assert first.status_code == again.status_code == 303 and first.headers["Location"] == again.headers["Location"]
    assert len(inbox.received) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count(EmailVerification.id))) == 1


def test_an_unconfirmed_learner_takes_quizzes_and_can_ask_for_a_new_link(mailed, make_app):
    app, inbox = mailed
    import_paths(app, PROJECT / "questions")
    client = app.test_client()
    sign_up(client)
    login(client, ADDRESS)
    assert client.post("/quizzes/airway-practice/start").status_code == 303
    profile = client.get("/profile").get_data(as_text=True)
    assert "is not confirmed yet" in profile and "Send a new confirmation link" in profile
    assert client.post("/auth/verify").status_code == 303
    assert len(inbox.received) == 2
    assert client.post(link_in(inbox.received[1])).status_code == 303
    assert client.post(link_in(inbox.received[0])).status_code == 303  # each link sent works once
    assert "is confirmed" in client.get("/profile").get_data(as_text=True)
    client.post("/auth/verify")
    assert len(inbox.received) == 2  # nothing to confirm: no mail


def test_confirming_and_resending_need_the_forms_csrf_token(make_app):
    with smtp.running() as (inbox, url):
        app = make_app(MAIL_URL=url, WTF_CSRF_ENABLED=True)
        client = app.test_client()
        data = {"display_name": "Nia New", "email": ADDRESS, "password": PASSWORD, "confirm": PASSWORD}
        client.post("/auth/register", data={**data, "csrf_token": csrf_token(client, "/auth/register")})
        path = link_in(inbox.received[0])
        assert client.post(path).status_code in (302, 303, 400) and verified_at(app) is None
        assert login_with_token(client, ADDRESS).status_code == 303
        assert client.post("/auth/verify").status_code in (302, 303, 400) and len(inbox.received) == 1
        token = re.search(r'name="resend-csrf_token" type="hidden" value="([^"]+)"', client.get("/profile").text)
        assert client.post("/auth/verify", data={"resend-csrf_token": token.group(1)}).status_code == 303
        assert len(inbox.received) == 2
        assert client.post(path, data={"csrf_token": csrf_token(client, path)}).status_code == 303
        assert verified_at(app) is not None
