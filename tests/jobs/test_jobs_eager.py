"""Jobs run in-process without a broker: status rows, one active job per key, redelivery, failures and retries."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from quizapp.extensions import db
from quizapp.jobs.runner import TASK
from quizapp.models import Job, JobState
from tests.jobs.support import count_jobs, job_row, queue_recompute, snapshots
from tests.reporting.support import take


@pytest.fixture
def sat(app, demo):
    """Three learners sat the demo exam."""
    for i, pattern in enumerate(([True] * 5, [False] * 5, [True, False, True, False, True])):
        take(app, f"l{i}@example.org", pattern)


def run_again(app, job_id: int) -> None:
    """Deliver the job's message once more, as the broker does after a worker died before acknowledging it."""
    app.extensions["celery"].tasks[TASK].apply((job_id,))


def test_without_a_broker_jobs_run_in_the_sending_process(app):
    conf = app.extensions["celery"].conf
    assert conf.task_always_eager and conf.task_acks_late and conf.task_reject_on_worker_lost
    assert conf.worker_prefetch_multiplier == 1


def test_a_recompute_runs_and_its_row_says_done(app, sat):
    job = job_row(app, queue_recompute(app))
    assert job["state"] == JobState.DONE and job["progress"] == 100 and job["error"] == ""
    assert job["result"] == "report_snapshot:items:demo-exam:first"
    assert job["active_key"] is None and job["started_at"] <= job["finished_at"]
    assert [(kind, mode, finished) for _, kind, mode, finished, _ in snapshots(app)] == [("items", "first", 3)]


def test_one_active_job_per_quiz_and_mode(app, sat):
    waiting = queue_recompute(app, send=False)
    assert queue_recompute(app, send=False) == waiting
    assert queue_recompute(app, mode="all", send=False) != waiting  # another mode is other work
    run_again(app, waiting)
    assert job_row(app, waiting)["state"] == JobState.DONE
    assert queue_recompute(app) != waiting  # once done, the next request is a new job
    assert count_jobs(app) == 3


def test_a_message_delivered_again_after_the_job_finished_changes_nothing(app, sat):
    job_id = queue_recompute(app)
    before, stored = job_row(app, job_id), snapshots(app)
    run_again(app, job_id)
    assert job_row(app, job_id) == before and snapshots(app) == stored


def test_a_job_whose_worker_died_mid_way_runs_again_and_stores_one_result(app, sat):
    job_id = queue_recompute(app, send=False)
    with app.app_context():  # what a worker killed during the computation leaves behind
        job = db.session.get(Job, job_id)
        job.state, job.progress = JobState.RUNNING, 40
        db.session.commit()
    run_again(app, job_id)
    assert job_row(app, job_id)["state"] == JobState.DONE
    run_again(app, job_id)
    assert len(snapshots(app)) == 1


def test_a_job_that_cannot_succeed_fails_at_once_with_its_reason(app, demo):
    job = job_row(app, queue_recompute(app, slug="no-such-quiz"))
    assert job["state"] == JobState.FAILED and job["retries"] == 0
    assert job["error"] == "The quiz no longer exists." and job["active_key"] is None


def test_a_transient_database_error_is_retried_then_the_job_fails(is_postgres, database_url, make_app, demo):
    if not is_postgres:
        pytest.skip("needs PostgreSQL: a lock timeout is the real transient error the test provokes")
    options = {"pool_pre_ping": True, "connect_args": {"options": "-c lock_timeout=200"}}
    app = make_app(SQLALCHEMY_ENGINE_OPTIONS=options, JOBS_MAX_RETRIES=2)
    take(app, "l0@example.org", [True] * 5)
    holder = create_engine(database_url)
    try:
        with holder.begin() as connection:
            connection.execute(text("LOCK TABLE report_snapshot IN ACCESS EXCLUSIVE MODE"))
            job_id = queue_recompute(app)
    finally:
        holder.dispose()
    job = job_row(app, job_id)
    assert job["state"] == JobState.FAILED and job["retries"] == 2
    assert "lock timeout" in job["error"] and job["active_key"] is None
    assert snapshots(app) == []
