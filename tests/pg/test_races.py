"""Exactly once under concurrency (PostgreSQL): submits, starts and saves racing through real requests."""

import threading

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Attempt, Response
from tests.conftest import login
from tests.taking.helpers import answer_all, form_for, layout, start

THREADS = 10


@pytest.fixture(autouse=True)
def _postgres_only(is_postgres):
    """SQLite serialises every writer, so these races can only be run on PostgreSQL."""
    if not is_postgres:
        pytest.skip("concurrency tests need PostgreSQL (set TEST_DATABASE_URL)")


def race(app, action) -> list:
    """Run `action(index, client)` in THREADS threads released together; return their results."""
    clients = []
    for _ in range(THREADS):
        client = app.test_client()
        login(client)
        clients.append(client)
    barrier = threading.Barrier(THREADS)
    results: list = [None] * THREADS

    def run(i: int) -> None:
        barrier.wait()
        results[i] = action(i, clients[i])

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def count(app, model, **where) -> int:
    """Count rows matching simple equality filters."""
    with app.app_context():
        stmt = select(func.count()).select_from(model)
        for column, value in where.items():
            stmt = stmt.where(getattr(model, column) == value)
        return db.session.scalar(stmt)


def test_concurrent_submits_score_once(app, learner):
    pid = start(learner)
    answer_all(learner, app, pid)
    statuses = race(app, lambda _, c: c.post(f"/attempts/{pid}/submit").status_code)
    assert statuses == [303] * THREADS
    with app.app_context():
        attempt = db.session.execute(select(Attempt).where(Attempt.public_id == pid)).scalar_one()
        assert attempt.status == "submitted" and attempt.percent == 100
        scores = db.session.execute(select(Response.score).where(Response.attempt_id == attempt.id)).scalars().all()
        assert len(scores) == 5 and all(s is not None for s in scores)


def test_concurrent_starts_open_one_attempt(app, learner):
    locations = race(app, lambda _, c: c.post("/quizzes/demo-exam/start").headers.get("Location"))
    assert len(set(locations)) == 1 and "/attempts/" in locations[0]
    assert count(app, Attempt) == 1


def test_concurrent_starts_respect_attempts_allowed(app, learner):
    pid = start(learner, "demo-timed")
    learner.post(f"/attempts/{pid}/submit")  # 1 of 2 used
    race(app, lambda _, c: c.post("/quizzes/demo-timed/start").status_code)
    assert count(app, Attempt) == 2


def test_concurrent_saves_of_one_slot_keep_one_row(app, learner):
    pid = start(learner)
    slot, version = layout(app, pid)[0]
    data = form_for(slot, version)
    statuses = race(app, lambda _, c: c.post(f"/attempts/{pid}/questions/1/autosave", data=data).status_code)
    assert statuses == [200] * THREADS
    assert count(app, Response) == 1


def test_saves_racing_a_submit_are_either_scored_or_refused(app, learner):
    pid = start(learner)
    slot, version = layout(app, pid)[0]
    data = form_for(slot, version)

    def act(index, client):
        if index == 0:
            return client.post(f"/attempts/{pid}/submit").status_code
        return client.post(f"/attempts/{pid}/questions/1/autosave", data=data).status_code

    assert set(race(app, act)) <= {200, 303, 409}
    with app.app_context():
        attempt = db.session.execute(select(Attempt).where(Attempt.public_id == pid)).scalar_one()
        saved = db.session.execute(select(Response).where(Response.attempt_id == attempt.id)).scalars().all()
        # Whatever was stored is part of the score: no answer was saved after the attempt closed.
        assert attempt.status == "submitted"
        assert all(r.score is not None for r in saved)
        assert attempt.score == sum(r.score for r in saved)
