"""The server owns time and attempt counts (frozen clock)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from quizapp import clock
from quizapp.extensions import db
from quizapp.models import Attempt
from tests.taking.helpers import form_for, layout, start


@pytest.fixture
def frozen(monkeypatch):
    """A controllable clock: call .advance(minutes=...) to move it."""

    class Frozen:
        now = clock.now()

        def advance(self, **delta):
            self.now += timedelta(**delta)

    frozen = Frozen()
    monkeypatch.setattr(clock, "now", lambda: frozen.now)
    return frozen


def attempt_row(app, pid) -> Attempt:
    """Load an attempt."""
    with app.app_context():
        return db.session.execute(select(Attempt).where(Attempt.public_id == pid)).scalar_one()


def test_deadline_set_on_start_and_shown(app, learner, frozen):
    pid = start(learner, "demo-timed")
    row = attempt_row(app, pid)
    assert row.deadline - row.started_at == timedelta(minutes=10)
    page = learner.get(f"/attempts/{pid}/questions/1").get_data(as_text=True)
    assert 'data-remaining="600"' in page and "Time left" in page


def test_saves_within_grace_accepted_after_refused(app, learner, frozen):
    pid = start(learner, "demo-timed")
    slot, version = layout(app, pid)[0]
    frozen.advance(minutes=10, seconds=20)  # past the deadline, inside the 30 s grace
    ok = learner.post(f"/attempts/{pid}/questions/1/autosave", data=form_for(slot, version))
    assert ok.status_code == 200
    frozen.advance(seconds=20)
    late = learner.post(f"/attempts/{pid}/questions/1/autosave", data=form_for(slot, version, correct=False))
    assert late.status_code == 409 and "Time is up" in late.json["error"]
    row = attempt_row(app, pid)
    assert row.status == "expired" and row.score == 1  # scored from the answer saved in time


def test_expired_attempt_finalised_when_touched(app, learner, frozen):
    pid = start(learner, "demo-timed")
    frozen.advance(minutes=11)
    response = learner.get(f"/attempts/{pid}/questions/1")
    assert response.status_code == 303 and response.headers["Location"].endswith("/result")
    assert attempt_row(app, pid).status == "expired"
    assert "Time ran out" in learner.get(f"/attempts/{pid}/result").get_data(as_text=True)


def test_late_submit_is_scored_as_expired(app, learner, frozen):
    pid = start(learner, "demo-timed")
    frozen.advance(hours=1)
    learner.post(f"/attempts/{pid}/submit")
    assert attempt_row(app, pid).status == "expired"


def test_attempts_allowed_enforced(app, learner, frozen):
    for _ in range(2):
        pid = start(learner, "demo-timed")
        learner.post(f"/attempts/{pid}/submit")
    response = learner.post("/quizzes/demo-timed/start")
    assert response.status_code == 303 and response.headers["Location"].endswith("/quizzes/demo-timed")
    page = learner.get("/quizzes/demo-timed").get_data(as_text=True)
    assert "used every attempt" in page
