"""Temporary passwords: shown once from the server (never in the cookie), changed at the next sign-in, 24 h only."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from quizapp import clock
from quizapp.extensions import db
from quizapp.models import OneTimeSecret
from tests.accounts.test_users import LEARNER, page, user
from tests.conftest import login, quick_user

SECRET = re.compile(r'<code class="secret">([^<]+)</code>')
MINE = "my own long phrase"


@pytest.fixture
def frozen(monkeypatch):
    """A clock that moves only when told to (`frozen.now += timedelta(...)`)."""

    class Frozen:
        now = clock.now()

    monkeypatch.setattr(clock, "now", lambda: Frozen.now)
    return Frozen


def reset(app, admin) -> tuple[int, str]:
    """Give the learner a temporary password through the admin pages; return their id and the password shown."""
    uid = quick_user(app, LEARNER, "Lee Learner")
    assert admin.post(f"/admin/users/{uid}/password").status_code == 303
    return uid, SECRET.search(page(admin, f"/admin/users/{uid}")).group(1)


def cookie_contents(app, client) -> str:
    """Return the decoded session of a test client, as text."""
    serializer = app.session_interface.get_signing_serializer(app)
    return str(serializer.loads(client.get_cookie("session").value))


def test_the_password_is_never_in_the_cookie_and_the_server_record_goes_once_shown(app, admin):
    uid = quick_user(app, LEARNER, "Lee Learner")
    admin.post(f"/admin/users/{uid}/password")
    between = cookie_contents(app, admin)  # what the browser holds between the POST and the page that shows it
    with app.app_context():
        [row] = db.session.execute(select(OneTimeSecret)).scalars()
        sealed = bytes(row.sealed)
    password = SECRET.search(page(admin, f"/admin/users/{uid}")).group(1)
    assert password not in between and password.encode() not in sealed
    assert password not in cookie_contents(app, admin)
    with app.app_context():
        assert db.session.execute(select(OneTimeSecret)).first() is None  # read and deleted on display


def test_a_new_reset_replaces_an_unshown_password(app, admin):
    uid = quick_user(app, LEARNER, "Lee Learner")
    admin.post(f"/admin/users/{uid}/password")
    admin.post(f"/admin/users/{uid}/password")
    with app.app_context():
        assert len(db.session.execute(select(OneTimeSecret)).all()) == 1
    assert SECRET.search(page(admin, f"/admin/users/{uid}"))


def test_sign_in_with_it_leads_to_choosing_a_password_from_every_page(app, admin):
    uid, password = reset(app, admin)
    learner = app.test_client()
    assert login(learner, LEARNER, password).status_code == 303
    for method, url in [
        ("GET", "/"),
        ("GET", "/history"),
        ("GET", "/quizzes/demo-exam"),
        ("POST", "/quizzes/demo-exam/start"),
        ("GET", "/recommend"),
        ("GET", "/no-such-page"),
    ]:
        response = learner.open(url, method=method)
        assert response.status_code == 303 and response.headers["Location"] == "/auth/password", (method, url)
    assert "You signed in with a temporary password" in page(learner, "/auth/password")
    same = learner.post("/auth/password", data={"current": password, "password": password, "confirm": password})
    assert "Choose a new password" in same.get_data(as_text=True)
    changed = learner.post("/auth/password", data={"current": password, "password": MINE, "confirm": MINE})
    assert changed.status_code == 303
    assert learner.get("/history").status_code == 200
    assert user(app, LEARNER).password_expires_at is None
    assert "Temporary:" not in page(admin, f"/admin/users/{uid}")


def test_it_stops_working_after_24_hours(app, admin, frozen):
    uid, password = reset(app, admin)
    assert user(app, LEARNER).password_expires_at == frozen.now + timedelta(hours=24)
    assert "Temporary: must be changed at the next sign-in" in page(admin, f"/admin/users/{uid}")
    frozen.now += timedelta(hours=24)
    response = login(app.test_client(), LEARNER, password)
    assert response.status_code == 200 and "temporary password has expired" in response.get_data(as_text=True)
    assert "expired at" in page(admin, f"/admin/users/{uid}")
    assert "expired" not in login(app.test_client(), LEARNER, "a wrong guess").get_data(as_text=True)


def test_a_day_is_enough(app, admin, frozen):
    _, password = reset(app, admin)
    frozen.now += timedelta(hours=23, minutes=59)
    assert login(app.test_client(), LEARNER, password).headers["Location"] == "/"
