"""taking.scoring: an attempt is scored from its saved responses, exactly once."""

from __future__ import annotations

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Attempt, AttemptStatus, Response
from quizapp.taking import attempts, scoring
from tests.taking.support import answer, person, quiz


def _open_attempt(marks):
    """Start the demo exam for a new learner and answer it as `marks` says."""
    attempt = attempts.start(quiz("demo-exam"), person())
    answer(attempt, marks)
    return attempt


def test_finalise_scores_every_slot_and_the_totals(app, demo):
    with app.app_context():
        attempt = _open_attempt([True, False, True, None, True])
        assert scoring.finalise(attempt, AttemptStatus.SUBMITTED) is True
        assert attempt.status == AttemptStatus.SUBMITTED and attempt.submitted_at is not None
        assert (attempt.score, attempt.max_score, attempt.percent) == (3.0, 5.0, 60.0)
        assert attempt.passed is True  # 60 % meets the demo exam's pass mark of 60 exactly
        assert attempt.topic_scores == {"demo": 60.0}
        rows = db.session.execute(select(Response).where(Response.attempt_id == attempt.id)).scalars()
        assert {r.slot: (r.score, r.correct) for r in rows} == {
            0: (1.0, True), 1: (0.0, False), 2: (1.0, True), 4: (1.0, True)
        }


def test_finalise_scores_once_and_says_so_the_second_time(app, demo):
    with app.app_context():
        attempt = _open_attempt([True] * 5)
        assert scoring.finalise(attempt, AttemptStatus.SUBMITTED) is True
        first = (attempt.status, attempt.submitted_at, attempt.score)
        assert scoring.finalise(attempt, AttemptStatus.EXPIRED) is False
        assert (attempt.status, attempt.submitted_at, attempt.score) == first


def test_finalise_sees_a_close_made_by_another_request(app, demo):
    with app.app_context():
        attempt = _open_attempt([False] * 5)
        db.session.commit()
        stale = db.session.get(Attempt, attempt.id)
        assert stale.status == AttemptStatus.IN_PROGRESS
        with app.app_context():  # another request, with its own session, closes it first
            other = db.session.get(Attempt, attempt.id)
            assert scoring.finalise(other, AttemptStatus.EXPIRED) is True
            db.session.commit()
        assert scoring.finalise(stale, AttemptStatus.SUBMITTED) is False
        assert stale.status == AttemptStatus.EXPIRED and stale.percent == 0.0


def test_grade_computes_without_writing(app, demo):
    with app.app_context():
        attempt = _open_attempt([True, True, None, None, None])
        versions, responses = scoring.versions_for(attempt), scoring.responses_for(attempt)
        assert set(versions) == {slot["v"] for slot in attempt.layout}
        assert sorted(responses) == [0, 1]
        per_slot, totals = scoring.grade(attempt, versions, responses)
        assert per_slot == {0: (1.0, True), 1: (1.0, True), 2: (0.0, False), 3: (0.0, False), 4: (0.0, False)}
        assert (totals.score, totals.max_score, totals.percent) == (2.0, 5.0, 40.0)
        db.session.expire_all()
        assert db.session.get(Attempt, attempt.id).status == AttemptStatus.IN_PROGRESS
        assert all(r.score is None for r in scoring.responses_for(attempt).values())
