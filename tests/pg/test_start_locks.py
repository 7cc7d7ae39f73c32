"""Synchronised starts never wait on each other (PostgreSQL): no start takes a lock that another start needs."""

import threading

import pytest
from sqlalchemy import func, select, text

from quizapp.accounts import profiles
from quizapp.authoring import quiz_builder
from quizapp.extensions import db
from quizapp.models import Attempt, User
from quizapp.taking import attempts
from tests.conftest import make_user

LEARNERS = 12  # within the engine's pool (5 + 10 overflow)
INTAKE = {"role": "nurse", "employer_requires": "bls", "clinical_setting": "y", "cares_for": ["adults"],
          "regulatory": "none", "current_card": "none"}
# Sessions of this database waiting for a heavyweight lock (a row, a relation, another transaction), and the locks
# they wait for: a start that serialised on a shared row would wait here for the other starts to commit.
WAITERS = text(
    "SELECT a.pid, a.wait_event_type, a.wait_event, l.locktype, l.relation::regclass::text AS relation, a.query "
    "FROM pg_stat_activity a LEFT JOIN pg_locks l ON l.pid = a.pid AND NOT l.granted "
    "WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() AND (a.wait_event_type = 'Lock' "
    "OR l.pid IS NOT NULL)"
)


@pytest.fixture(autouse=True)
def _postgres_only(is_postgres):
    """Lock waits between transactions are PostgreSQL's (SQLite runs one writer at a time)."""
    if not is_postgres:
        pytest.skip("lock waits need PostgreSQL (set TEST_DATABASE_URL)")


def lock_waiters(app) -> list[dict]:
    """Return the sessions of the test database waiting for a lock, read from pg_stat_activity and pg_locks."""
    with app.app_context():
        rows = [dict(row._mapping) for row in db.session.execute(WAITERS)]
        db.session.rollback()
        return rows


def hold_open(app, steps: list, barrier: threading.Barrier | None, release: threading.Event, errors: list) -> list:
    """Run each step in its own thread and transaction; wait at `barrier` (if any) with it open, commit on `release`."""

    def run(step) -> None:
        with app.app_context():
            try:
                step()
                if barrier is not None:
                    barrier.wait(timeout=10)
                release.wait(timeout=30)
                db.session.commit()
            except Exception as exc:  # reported by the test
                errors.append(repr(exc))
                db.session.rollback()

    threads = [threading.Thread(target=run, args=(step,)) for step in steps]
    for thread in threads:
        thread.start()
    return threads


def test_the_detector_sees_a_transaction_waiting_on_a_shared_row(app, demo):
    """Control: two transactions updating the quiz row, the second waits for the first, and lock_waiters says so."""

    def touch_quiz() -> None:
        db.session.execute(text("UPDATE quiz SET title = title WHERE slug = 'demo-exam'"))

    release, errors = threading.Event(), []
    threads = hold_open(app, [touch_quiz, touch_quiz], None, release, errors)
    waiting = []
    for _ in range(50):
        waiting = lock_waiters(app)
        if waiting:
            break
        threading.Event().wait(0.1)
    release.set()
    for thread in threads:
        thread.join(timeout=30)
    assert waiting and waiting[0]["wait_event_type"] == "Lock" and not errors, (waiting, errors)


def test_synchronised_starts_hold_no_lock_another_start_needs(app, demo):
    """Every learner's start (draw, INSERT, profile upsert) completes while all the others keep their transactions
    open: had any start waited on another's lock, it could not reach the barrier and the barrier would break."""
    ids = [make_user(app, f"sync{i}@example.org") for i in range(LEARNERS)]
    with app.app_context():  # a first start reads the pool into this process's cache, as a worker's first would
        attempts.start(quiz_builder.find("demo-practice"), db.session.get(User, ids[0]))
        db.session.commit()

    def starter(user_id: int):
        def step() -> None:
            user = db.session.get(User, user_id)
            attempts.start(quiz_builder.find("demo-exam"), user, intake=INTAKE)
            profiles.remember(user, INTAKE, "Europe/Paris")
        return step

    barrier, release, errors = threading.Barrier(LEARNERS + 1), threading.Event(), []
    threads = hold_open(app, [starter(i) for i in ids], barrier, release, errors)
    try:
        barrier.wait(timeout=10)
        reached = True
    except threading.BrokenBarrierError:
        reached = False
    waiting = lock_waiters(app)  # all starts' transactions are still open here
    release.set()
    for thread in threads:
        thread.join(timeout=30)
    assert reached and not waiting and not errors, (waiting, errors)
    with app.app_context():
        exam = quiz_builder.find("demo-exam")
        assert db.session.scalar(select(func.count()).where(Attempt.quiz_id == exam.id)) == LEARNERS
