"""Jobs on a real worker: Celery worker processes on Redis (loopback) and the test database, as in production."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, select, text

from quizapp.extensions import db
from quizapp.models import Job, JobState
from tests.jobs.support import job_row, queue_recompute, snapshots
from tests.jobs.workers import BROKER, Worker, redis_or_skip, wait_for
from tests.reporting.support import staff_client, stat, take

pytestmark = pytest.mark.worker
URL = "/reports/demo-exam/items"


@pytest.fixture
def workers(tmp_path, database_url):
    """Start workers by name (`workers("w1", **settings)`); every one still alive is killed at the end."""
    redis_or_skip()
    started = []

    def start(name: str, **settings: str) -> Worker:
        worker = Worker(name, database_url, tmp_path / f"{name}.log", **settings)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.kill()


@pytest.fixture
def queued_app(make_app, demo):
    """The web app sending jobs to Redis (not running them itself); the demo exam counts as a large quiz."""
    app = make_app(BROKER_URL=BROKER, REPORT_INLINE_ATTEMPTS=0)
    for i, pattern in enumerate(([True] * 5, [False] * 5, [True, False, True, False, True])):
        take(app, f"l{i}@example.org", pattern)
    return app


def only_job(app) -> int:
    """Return the id of the one job there is."""
    with app.app_context():
        return db.session.execute(select(Job.id)).scalar_one()


def postgres_or_skip(is_postgres: bool) -> None:
    """Skip, saying why, on SQLite: the test holds a table lock only PostgreSQL offers."""
    if not is_postgres:
        pytest.skip("needs PostgreSQL: the test holds a table lock to catch the job mid-way")


def test_a_recompute_asked_for_on_the_page_is_done_by_a_worker_and_shown(queued_app, workers):
    boss = staff_client(queued_app, "instructor")
    assert boss.post(f"{URL}/recalculate", data={"attempts": "first"}).status_code == 303
    waiting = boss.get(URL).get_data(as_text=True)
    assert "Recalculation queued" in waiting and 'data-stat="n"' not in waiting  # nothing ran in the request
    workers("w1")
    wait_for(lambda: 'data-job-state="done"' in boss.get(f"{URL}/job").get_data(as_text=True))
    page = boss.get(URL).get_data(as_text=True)
    assert stat(page, "n") == "3" and "Computed just now" in page


def test_a_job_whose_worker_is_killed_mid_way_is_redone_by_another_and_stored_once(
    queued_app, workers, is_postgres, database_url
):
    postgres_or_skip(is_postgres)
    quick = {"JOBS_VISIBILITY_TIMEOUT": "3", "JOBS_RESTORE_SECONDS": "1"}
    first = workers("w1", **quick)
    holder = create_engine(database_url)
    try:
        with holder.connect() as lock:
            lock.execute(text("LOCK TABLE report_snapshot IN ACCESS EXCLUSIVE MODE"))  # the job waits to store
            job_id = queue_recompute(queued_app)
            wait_for(lambda: job_row(queued_app, job_id)["state"] == JobState.RUNNING)
            blocked = "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'report_snapshot'::regclass"
            wait_for(lambda: lock.execute(text(blocked)).scalar())  # mid-way: computed, waiting to write
            first.kill()
            workers("w2", **quick)
            lock.rollback()  # release the table
        job = wait_for(lambda: (row := job_row(queued_app, job_id))["state"] == JobState.DONE and row)
    finally:
        holder.dispose()
    assert "w2@" in (wait_for(lambda: "succeeded" in (log := (first.log.parent / "w2.log").read_text()) and log))
    assert job["progress"] == 100 and job["error"] == ""
    assert [(kind, mode, finished) for _, kind, mode, finished, _ in snapshots(queued_app)] == [("items", "first", 3)]


def test_a_failing_job_is_retried_with_backoff_then_shown_failed(queued_app, workers, is_postgres, database_url):
    postgres_or_skip(is_postgres)
    sep = "&" if "?" in database_url else "?"
    impatient = f"{database_url}{sep}options=-c%20lock_timeout%3D200"  # each try gives up waiting after 0.2 s
    workers("w1", DATABASE_URL=impatient, JOBS_MAX_RETRIES="2", JOBS_RETRY_BACKOFF="1")
    boss = staff_client(queued_app, "instructor")
    holder = create_engine(database_url)
    try:
        with holder.connect() as lock:
            lock.execute(text("LOCK TABLE report_snapshot IN ACCESS EXCLUSIVE MODE"))
            assert boss.post(f"{URL}/recalculate", data={"attempts": "first"}).status_code == 303
            job_id = only_job(queued_app)
            job = wait_for(lambda: (row := job_row(queued_app, job_id))["state"] == JobState.FAILED and row)
            lock.rollback()
    finally:
        holder.dispose()
    assert job["retries"] == 2 and "lock timeout" in job["error"]
    status = boss.get(f"{URL}/job").get_data(as_text=True)
    assert "The last recalculation failed</strong> after 2 retries" in status and "lock timeout" in status
    assert snapshots(queued_app) == []
