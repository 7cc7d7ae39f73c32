"""The light user of the start, question page, save and autosave keeps every session and role rule of the ORM User."""

from datetime import timedelta

import pytest

from quizapp import clock
from quizapp.extensions import db
from quizapp.models import User
from tests.conftest import PASSWORD, login, make_user
from tests.taking.helpers import form_for, layout, start

NEW_PASSWORD = "a new long phrase"


def hot_requests(client, pid: str, data: dict) -> dict[str, int]:
    """Return the status of a start (resuming `pid`), its question page, an answer save and an autosave."""
    page = f"/attempts/{pid}/questions/1"
    return {
        "start": client.post("/quizzes/demo-exam/start").status_code,
        "page": client.get(page).status_code,
        "save": client.post(page, data={**data, "go": "next"}).status_code,
        "autosave": client.post(f"{page}/autosave", data=data).status_code,
    }


def edit_user(app, uid: int, **values) -> None:
    """Change a user's columns directly."""
    with app.app_context():
        user = db.session.get(User, uid)
        for name, value in values.items():
            setattr(user, name, value)
        db.session.commit()


@pytest.fixture
def two_sessions(app, client, demo):
    """One learner signed in on two clients, with an attempt; returns (uid, this client, other client, pid, form)."""
    uid = make_user(app)
    other = app.test_client()
    login(client)
    login(other)
    pid = start(client)
    slot, version = layout(app, pid)[0]
    data = form_for(slot, version)
    assert hot_requests(other, pid, data) == {"start": 303, "page": 200, "save": 303, "autosave": 200}
    return uid, client, other, pid, data


def test_password_change_ends_the_other_sessions_hot_requests(two_sessions):
    _, client, other, pid, data = two_sessions
    changed = client.post("/auth/password", data={"current": PASSWORD, "password": NEW_PASSWORD,
                                                  "confirm": NEW_PASSWORD})
    assert changed.status_code == 303
    assert hot_requests(client, pid, data) == {"start": 303, "page": 200, "save": 303, "autosave": 200}  # continues
    refused = hot_requests(other, pid, data)
    assert refused == {"start": 302, "page": 302, "save": 302, "autosave": 302}, refused


def test_logout_and_deactivation_end_the_hot_requests(app, two_sessions):
    uid, client, other, pid, data = two_sessions
    client.post("/auth/logout")
    assert hot_requests(other, pid, data) == {"start": 302, "page": 302, "save": 302, "autosave": 302}
    login(client)
    edit_user(app, uid, active=False)
    assert hot_requests(client, pid, data) == {"start": 302, "page": 302, "save": 302, "autosave": 302}


def test_a_temporary_password_must_be_changed_before_answering(app, two_sessions):
    uid, client, _, pid, data = two_sessions
    edit_user(app, uid, password_expires_at=clock.now() + timedelta(hours=1))
    answered = [client.post("/quizzes/demo-practice/start"), client.get(f"/attempts/{pid}/questions/1"),
                client.post(f"/attempts/{pid}/questions/1/autosave", data=data)]
    assert [(r.status_code, r.headers["Location"]) for r in answered] == [(303, "/auth/password")] * 3


@pytest.mark.parametrize(("role", "links"), [("learner", {"Password"}), ("instructor", {"Password", "Author"}),
                                             ("admin", {"Password", "Author", "Admin"})])
def test_the_question_page_menu_follows_the_role(auth, app, demo, role, links):
    client = auth.sign_in(role)
    page = client.get(f"/attempts/{start(client)}/questions/1").get_data(as_text=True)
    shown = {name for name in ("Password", "Author", "Admin") if f">{name}</a></li>" in page}
    assert shown == links


@pytest.mark.parametrize("odd", ["a.b", "%C3%A9t%C3%A9", "x" * 65, "a%20b", "a'b"])
def test_an_attempt_id_no_attempt_can_have_is_a_404_with_the_user_still_signed_in(learner, odd):
    pid = start(learner)
    for url in (f"/attempts/{odd}/questions/1", f"/attempts/{odd}/questions/1/autosave"):
        response = learner.post(url, data={"answer": "0"}) if url.endswith("autosave") else learner.get(url)
        assert response.status_code == 404
        assert "Sign in" not in response.get_data(as_text=True)
    assert learner.get(f"/attempts/{pid}/questions/1").status_code == 200
