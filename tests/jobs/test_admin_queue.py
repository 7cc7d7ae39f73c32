"""Admin view of the job queue: queued, running and failed jobs listed; failed ones retried (CSRF, admins, audited)."""

from __future__ import annotations

import re

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import AuditEvent, Job, JobState, User
from tests.conftest import signed_in
from tests.jobs.support import job_row, queue_recompute
from tests.reporting.support import take, text_of
from tests.support import csrf_token, login_with_token


def set_state(app, job_id: int, state: JobState, **values) -> None:
    """Put a job in a state, as a worker would have left it."""
    with app.app_context():
        job = db.session.get(Job, job_id)
        job.state = state
        if state not in (JobState.QUEUED, JobState.RUNNING):
            job.active_key = None
        for name, value in values.items():
            setattr(job, name, value)
        db.session.commit()


def row_text(page: str, job_id: int) -> str:
    """Return the visible text of a job's row."""
    match = re.search(rf'<tr id="job-{job_id}"[^>]*>(.*?)</tr>', page, re.S)
    return text_of(match.group(1)) if match else ""


def started_by(app, job_id: int, email: str) -> None:
    """Record who started a job."""
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == email))
        db.session.get(Job, job_id).user_id = user_id
        db.session.commit()


def test_the_queue_lists_queued_running_and_failed_jobs_not_finished_ones(app, admin):
    take(app, "l0@example.org", [True] * 5)
    queued = queue_recompute(app, send=False)
    started_by(app, queued, "admin@example.org")
    running = queue_recompute(app, mode="all", send=False)
    set_state(app, running, JobState.RUNNING, progress=35)
    failed = queue_recompute(app, slug="no-such-quiz")
    done = queue_recompute(app, slug="demo-practice")
    page = admin.get("/admin/jobs").get_data(as_text=True)
    assert "Item statistics Ada Admin" in row_text(page, queued) and "Queued 0%" in row_text(page, queued)
    assert "Running 35%" in row_text(page, running) and "The system" in row_text(page, running)
    assert "Failed 0% The quiz no longer exists. Retry" in row_text(page, failed)
    assert row_text(page, done) == "" and job_row(app, done)["state"] == JobState.DONE
    assert page.count('aria-label="Retry job') == 1


def test_a_failed_job_is_retried_runs_again_and_the_retry_is_audited(app, admin):
    take(app, "l0@example.org", [True] * 5)
    job_id = queue_recompute(app, send=False)
    set_state(app, job_id, JobState.FAILED, error="OperationalError: the database restarted", retries=3)
    response = admin.post(f"/admin/jobs/{job_id}/retry")
    assert response.status_code == 303 and response.headers["Location"] == "/admin/jobs"
    job = job_row(app, job_id)
    assert job["state"] == JobState.DONE and job["error"] == "" and job["retries"] == 0  # ran in-process here
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "job.retry"))
        assert event.target == f"job:{job_id}" and event.details["kind"] == "items"
        assert event.details["error"] == "OperationalError: the database restarted"
        assert db.session.get(User, event.actor_id).email == "admin@example.org"


def test_only_failed_jobs_are_retried_and_never_beside_an_active_one(app, admin):
    take(app, "l0@example.org", [True] * 5)
    first = queue_recompute(app, send=False)
    refused = admin.post(f"/admin/jobs/{first}/retry", follow_redirects=True).get_data(as_text=True)
    assert "Only a failed job can be retried." in refused and job_row(app, first)["state"] == JobState.QUEUED
    set_state(app, first, JobState.FAILED, error="boom")
    second = queue_recompute(app, send=False)  # the same work queued again since
    refused = admin.post(f"/admin/jobs/{first}/retry", follow_redirects=True).get_data(as_text=True)
    assert "The same work is already queued or running." in refused
    assert job_row(app, first)["state"] == JobState.FAILED and job_row(app, second)["state"] == JobState.QUEUED
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "job.retry")) is None
    assert admin.post("/admin/jobs/99999/retry").status_code == 404


def test_the_queue_is_for_admins_and_a_retry_needs_a_csrf_token(app, csrf_app, demo):
    job_id = queue_recompute(app, slug="no-such-quiz")
    instructor = signed_in(app, "teach@example.org", "Teach", "instructor")
    assert instructor.get("/admin/jobs").status_code == 403
    assert instructor.post(f"/admin/jobs/{job_id}/retry").status_code == 403
    guarded = csrf_app.test_client()
    signed_in(app, "boss@example.org", "Boss", "admin")
    assert login_with_token(guarded, "boss@example.org").status_code == 303
    assert guarded.post(f"/admin/jobs/{job_id}/retry").status_code == 303
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "job.retry")) is None
    token = csrf_token(guarded, "/admin/jobs")
    guarded.post(f"/admin/jobs/{job_id}/retry", data={"csrf_token": token})
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "job.retry")) is not None
