"""The one Celery task: run a job by its status row, so a message delivered twice does its work once.

The row is the truth the user sees. A redelivered message whose job is done (or failed) changes nothing; a job whose
worker died mid-way is still `running` and simply runs again (its work is an upsert, so the result exists once).
A transient error (the database, or the other side of a call, went away) is retried with exponential backoff; any
other error, or a transient one past JOBS_MAX_RETRIES, leaves the job `failed` with the reason.
"""

from __future__ import annotations

import logging
import time

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from flask import current_app
from sqlalchemy import update
from sqlalchemy.exc import OperationalError

from quizapp.clock import now
from quizapp.errors import DomainError, Transient
from quizapp.extensions import db
from quizapp.jobs.kinds import HANDLERS
from quizapp.models import Job, JobState

TASK = "quizapp.jobs.run"
PROGRESS_INTERVAL = 1.0  # seconds between progress writes
log = logging.getLogger(__name__)


class Progress:
    """Write a running job's progress on a connection of its own, at most once a second, so pages see it now."""

    def __init__(self, job_id: int):
        """Follow one job."""
        self.job_id, self.written = job_id, 0.0

    def __call__(self, fraction: float) -> None:
        """Record the fraction done (0-1) unless a write happened less than a second ago."""
        moment = time.monotonic()
        if moment - self.written < PROGRESS_INTERVAL or self._would_break_sqlite_snapshot():
            return
        self.written = moment
        with db.engine.begin() as connection:
            connection.execute(update(Job).where(Job.id == self.job_id).values(progress=min(99, int(fraction * 100))))

    @staticmethod
    def _would_break_sqlite_snapshot() -> bool:
        """Whether the job holds a savepoint on SQLite, where a commit by another connection fails its next write."""
        # SQLITE_BUSY_SNAPSHOT: an import's progress is therefore not written on SQLite (PostgreSQL shows it).
        return db.engine.dialect.name == "sqlite" and db.session().in_nested_transaction()


@shared_task(bind=True, name=TASK)
def run(self, job_id: int) -> dict:
    """Run the job with this id unless it already finished; retry transient errors, record lasting ones."""
    job = db.session.get(Job, job_id)
    if job is None or not job.active:
        return {"job": job_id, "state": job.state if job else "missing"}
    job.state, job.started_at, job.task_id, job.progress = JobState.RUNNING, now(), self.request.id or "", 0
    db.session.commit()
    try:
        job.result = HANDLERS[job.kind](job.params, Progress(job_id))
    except (OperationalError, Transient) as exc:
        db.session.rollback()
        return _retry_or_fail(self, job_id, exc)
    except Exception as exc:  # the job's own failure: shown to the user, never retried by itself
        db.session.rollback()
        if not isinstance(exc, DomainError):
            log.exception("job %s (%s) failed", job_id, job.kind)
        return _fail(job_id, exc)
    _close(job, JobState.DONE)
    db.session.commit()
    return {"job": job_id, "state": job.state}


def _retry_or_fail(task, job_id: int, exc: Exception) -> dict:
    """Put the job back in the queue after a backoff, or fail it once the retries are spent."""
    limit = current_app.config["JOBS_MAX_RETRIES"]
    if task.request.retries >= limit:
        return _fail(job_id, exc)
    try:
        job = db.session.get(Job, job_id)
        job.state, job.retries, job.error = JobState.QUEUED, task.request.retries + 1, _reason(exc)
        db.session.commit()
    except OperationalError:
        db.session.rollback()  # the database is still away: the next attempt records what happens then
    countdown = get_exponential_backoff_interval(current_app.config["JOBS_RETRY_BACKOFF"], task.request.retries, 600)
    raise task.retry(exc=exc, countdown=countdown, max_retries=limit)


def _fail(job_id: int, exc: Exception) -> dict:
    """Record the job as failed with its reason."""
    job = db.session.get(Job, job_id)
    job.error = _reason(exc)
    _close(job, JobState.FAILED)
    db.session.commit()
    return {"job": job_id, "state": job.state}


def _close(job: Job, state: JobState) -> None:
    """End the job in a final state, freeing its key for the next one."""
    job.state, job.active_key, job.finished_at = state, None, now()
    if state == JobState.DONE:
        job.progress, job.error = 100, ""


def _reason(exc: Exception) -> str:
    """Return an error's message for the job's page: a domain error's own words, else its type and first line."""
    if isinstance(exc, DomainError):
        return exc.message
    first = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return f"{type(exc).__name__}: {first[0] if first else ''}"[:1000]
