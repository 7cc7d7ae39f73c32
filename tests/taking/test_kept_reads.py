"""Issue 20: a save served from what an earlier read kept writes only while its user and attempt still hold."""

import pytest
from sqlalchemy import select, text

from quizapp import clock
from quizapp.accounts import admin_users, users
from quizapp.extensions import db
from quizapp.models import Role, User
from quizapp.taking import open_sitting
from tests.conftest import login, make_user
from tests.support import counted_queries
from tests.taking.helpers import form_for, layout, start


@pytest.fixture
def kept(app, learner):
    """A started exam whose first page was shown: this worker kept the read, the next save comes from it."""
    pid = start(learner, "demo-exam")
    assert learner.get(f"/attempts/{pid}/questions/1").status_code == 200
    return pid


def change_user(app, email: str, change) -> None:
    """Apply `change(user)` to the user with `email` and commit, as another request or worker would."""
    with app.app_context():
        change(db.session.execute(select(User).where(User.email == email)).scalar_one())
        db.session.commit()


def responses(app) -> int:
    """Return how many responses are stored."""
    with app.app_context():
        return db.session.execute(text("SELECT count(*) FROM response")).scalar()


def sent_to_sign_in(response) -> bool:
    """Whether the response sends the browser to the sign-in page, as for any ended session."""
    return response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_a_save_after_the_page_is_its_one_statement(app, learner, kept):
    slot, version = layout(app, kept)[0]
    with counted_queries(app) as statements:
        assert learner.post(f"/attempts/{kept}/questions/1/autosave", data=form_for(slot, version)).json["saved"]
    assert len(statements) == 1 and statements[0].startswith("INSERT INTO response"), statements


def test_the_next_page_reads_only_the_status_and_the_saved_slots(app, learner, kept):
    slot, version = layout(app, kept)[0]
    learner.post(f"/attempts/{kept}/questions/1/autosave", data={**form_for(slot, version), "flag": "y"})
    with counted_queries(app) as statements:
        page = learner.get(f"/attempts/{kept}/questions/1")
    assert page.status_code == 200 and b"nav-flagged" in page.data and b" checked" in page.data
    assert len(statements) == 1 and statements[0].startswith("SELECT attempt.status, "), statements
    assert "layout" not in statements[0] and "quiz" not in statements[0]


def deactivated(user: User) -> None:
    """An admin deactivates the user (which ends their sessions)."""
    admin_users.deactivate(db.session.execute(select(User).where(User.email == "boss@example.org")).scalar_one(), user)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(users.end_other_sessions, id="signed-out-everywhere"),
        pytest.param(deactivated, id="deactivated"),
        pytest.param(lambda user: setattr(user, "active", False), id="inactive-same-session-version"),
    ],
)
@pytest.mark.parametrize("request_kind", ["page", "autosave", "save", "refused answer"])
def test_an_ended_session_saves_nothing_through_a_kept_read(app, learner, kept, change, request_kind):
    slot, version = layout(app, kept)[0]
    make_user(app, "boss@example.org", "admin")
    change_user(app, "learner@example.org", change)
    page = f"/attempts/{kept}/questions/1"
    if request_kind == "page":
        response = learner.get(page)
    elif request_kind == "autosave":
        response = learner.post(f"{page}/autosave", data=form_for(slot, version))
    else:
        answer = form_for(slot, version) if request_kind == "save" else {"answer": "99"}
        response = learner.post(page, data={**answer, "go": "next"})
    assert sent_to_sign_in(response)
    assert b"<fieldset" not in response.data  # a refused answer's page is not shown to an ended session
    assert responses(app) == 0


def test_a_temporary_password_is_chosen_before_a_save_from_a_kept_read(app, learner, kept):
    # Setting one ends the sessions too; here only the expiry is set, so the fresh read alone must catch it.
    slot, version = layout(app, kept)[0]
    change_user(app, "learner@example.org", lambda u: setattr(u, "password_expires_at", clock.now()))
    autosave = learner.post(f"/attempts/{kept}/questions/1/autosave", data=form_for(slot, version))
    assert autosave.status_code == 303 and autosave.headers["Location"].endswith("/auth/password")
    assert responses(app) == 0


def test_a_new_role_is_read_afresh_and_the_answer_saved(app, learner, kept):
    slot, version = layout(app, kept)[0]
    make_user(app, "boss@example.org", "admin")

    def promote(user):
        boss = db.session.execute(select(User).where(User.email == "boss@example.org")).scalar_one()
        admin_users.change_role(boss, user, Role.INSTRUCTOR)

    change_user(app, "learner@example.org", promote)
    with counted_queries(app) as statements:
        autosave = learner.post(f"/attempts/{kept}/questions/1/autosave", data=form_for(slot, version))
    assert autosave.status_code == 200 and autosave.json["saved"] is True
    assert len(statements) == 3, statements  # the refused upsert, the fresh read, the upsert
    assert responses(app) == 1


@pytest.mark.parametrize("request_kind", ["page", "save", "autosave"])
def test_an_attempt_submitted_elsewhere_is_answered_as_a_fresh_read_would(app, learner, kept, request_kind):
    slot, version = layout(app, kept)[0]
    other = app.test_client()
    with learner.session_transaction() as mine, other.session_transaction() as theirs:
        theirs.update(mine)  # the same session in another tab, served by another worker
    assert other.post(f"/attempts/{kept}/submit").status_code == 303
    page = f"/attempts/{kept}/questions/1"
    if request_kind == "autosave":
        autosave = learner.post(f"{page}/autosave", data=form_for(slot, version))
        assert autosave.status_code == 409
        assert autosave.json == {"saved": False, "closed": True,
                                 "error": "This attempt has been submitted; answers can no longer change."}
    else:
        response = learner.get(page) if request_kind == "page" else learner.post(page, data=form_for(slot, version))
        assert response.status_code == 303 and response.headers["Location"].endswith(f"/attempts/{kept}/result")
    assert responses(app) == 0


def test_a_refused_answer_after_a_kept_read_shows_the_page_with_its_message(app, learner, kept):
    refused = learner.post(f"/attempts/{kept}/questions/1", data={"answer": "99", "go": "next"})
    assert refused.status_code == 422 and b"<fieldset" in refused.data
    assert learner.post(f"/attempts/{kept}/questions/1/autosave", data={"answer": "99"}).status_code == 422


def test_a_session_signed_in_again_is_read_afresh(app, learner, kept):
    slot, version = layout(app, kept)[0]
    change_user(app, "learner@example.org", users.end_other_sessions)
    login(learner)
    autosave = learner.post(f"/attempts/{kept}/questions/1/autosave", data=form_for(slot, version))
    assert autosave.status_code == 200 and autosave.json["saved"] is True


def test_a_kept_read_is_its_users_only(app, learner, kept):
    slot, version = layout(app, kept)[0]
    make_user(app, "other@example.org")
    other = app.test_client()
    assert login(other, "other@example.org").status_code == 303
    assert other.post(f"/attempts/{kept}/questions/1/autosave", data=form_for(slot, version)).status_code == 404
    assert responses(app) == 0


def test_the_kept_reads_are_bounded(app, learner, monkeypatch):
    monkeypatch.setattr(open_sitting, "KEPT_MAX", 2)
    monkeypatch.setattr(open_sitting, "_KEPT", {})
    for slug in ("demo-exam", "demo-practice", "demo-timed"):
        assert learner.get(f"/attempts/{start(learner, slug)}/questions/1").status_code == 200
    assert len(open_sitting._KEPT) == 2
