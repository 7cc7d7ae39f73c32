"""Password reset by e-mail, through a real SMTP server in-process: the link works once, for an hour, never after
a password change; an unknown address gets the same page and no mail."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from quizapp import clock
from quizapp.accounts import resets, users
from quizapp.extensions import db
from quizapp.models import OutboxMessage, PasswordReset, User
from tests.conftest import PASSWORD, login, make_user
from tests.mail import smtp
from tests.support import csrf_token

NEW_PASSWORD = "a fresh compression rhythm 42"


@pytest.fixture
def mailed(make_app):
    """Yield (app, inbox): an app whose mail reaches a real SMTP server on loopback."""
    with smtp.running() as (inbox, url):
        yield make_app(MAIL_URL=url), inbox


def link_in(message) -> str:
    """Return the reset link's path from the plain-text part of a received message."""
    text = message.get_body(("plain",)).get_content()
    return re.search(r"https?://[^/\s]+(/auth/reset/\S+)", text).group(1)


def ask(client, email: str = "learner@example.org"):
    """Ask for a reset link and return the page shown after."""
    return client.post("/auth/reset", data={"email": email}, follow_redirects=True)


def choose(client, path: str, password: str = NEW_PASSWORD):
    """Set a new password through the link's form."""
    return client.post(path, data={"password": password, "confirm": password})


def test_the_mailed_link_sets_a_new_password_once_and_ends_every_session(mailed):
    app, inbox = mailed
    make_user(app)
    elsewhere = app.test_client()
    login(elsewhere)
    assert elsewhere.get("/auth/password").status_code == 200
    client = app.test_client()
    page = ask(client)
    assert "If this address has an account" in page.get_data(as_text=True)
    [message] = inbox.received
    assert message["To"] == "learner@example.org" and "reset" in message["Subject"].lower()
    path = link_in(message)
    assert path in message.get_body(("html",)).get_content()
    assert client.get(path).status_code == 200
    done = choose(client, path)
    assert done.status_code == 303 and done.headers["Location"].endswith("/auth/login")
    assert elsewhere.get("/auth/password").status_code == 302  # the other session ended
    assert login(app.test_client(), password=NEW_PASSWORD).status_code == 303
    assert login(app.test_client(), password=PASSWORD).status_code == 200  # the old password is gone
    again = client.get(path)
    assert again.status_code == 404 and "This link does not work" in again.get_data(as_text=True)
    assert choose(client, path, "another good password 77").status_code == 404


def test_an_unknown_address_gets_the_same_page_and_no_mail(mailed):
    app, inbox = mailed
    make_user(app)
    known = ask(app.test_client()).get_data(as_text=True)
    unknown = ask(app.test_client(), "nobody@example.org").get_data(as_text=True)
    assert known == unknown
    assert len(inbox.received) == 1
    with app.app_context():
        assert db.session.scalars(select(OutboxMessage.to)).all() == ["learner@example.org"]


def test_the_link_expires_after_an_hour(mailed, monkeypatch):
    app, inbox = mailed
    make_user(app)
    ask(app.test_client())
    path = link_in(inbox.received[0])
    later = clock.now() + timedelta(hours=1, seconds=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert app.test_client().get(path).status_code == 404


def test_the_link_is_refused_after_any_password_change(mailed):
    app, inbox = mailed
    user_id = make_user(app)
    ask(app.test_client())
    path = link_in(inbox.received[0])
    with app.app_context():
        users.change_password(db.session.get(User, user_id), "changed in the meantime 31")
        db.session.commit()
    assert app.test_client().get(path).status_code == 404


def test_a_weak_password_is_refused_and_the_link_still_works(mailed):
    app, inbox = mailed
    make_user(app)
    ask(app.test_client())
    path = link_in(inbox.received[0])
    client = app.test_client()
    refused = choose(client, path, "password")
    assert refused.status_code == 200 and 'aria-invalid="true"' in refused.get_data(as_text=True)
    assert choose(client, path).status_code == 303


def test_only_the_tokens_hash_is_stored_and_it_carries_256_random_bits(mailed):
    app, inbox = mailed
    make_user(app)
    ask(app.test_client())
    token = link_in(inbox.received[0]).rsplit("/", 1)[1]
    with app.app_context():
        stored = db.session.execute(select(PasswordReset)).scalar_one()
        assert stored.token_hash == resets.digest(token) and token not in stored.token_hash
        assert stored.expires_at - stored.created_at == timedelta(hours=1)
    assert len(token) >= 43  # 32 bytes in URL-safe base64


def test_the_forms_need_their_csrf_token(make_app):
    with smtp.running() as (inbox, url):
        app = make_app(MAIL_URL=url, WTF_CSRF_ENABLED=True)
        make_user(app)
        client = app.test_client()
        client.post("/auth/reset", data={"email": "learner@example.org"})
        assert inbox.received == []
        token = csrf_token(client, "/auth/reset")
        assert client.post("/auth/reset", data={"email": "learner@example.org", "csrf_token": token}).status_code == 303
        path = link_in(inbox.received[0])
        client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
        assert client.get(path).status_code == 200  # refused without the token: the link is not used up
        data = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": csrf_token(client, path)}
        assert client.post(path, data=data).status_code == 303


def test_asking_is_rate_limited_like_signing_in(make_app):
    with smtp.running() as (inbox, url):
        app = make_app(MAIL_URL=url, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="2 per minute")
        make_user(app)
        client = app.test_client()
        assert [client.post("/auth/reset", data={"email": "learner@example.org"}).status_code for _ in range(3)] == [
            303, 303, 429
        ]
        assert len(inbox.received) == 2
