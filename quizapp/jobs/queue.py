"""Asking for background work: one status row per job, at most one active job per key, sent once committed.

`request` adds the row (or returns the job already queued or running for the same key) and flushes; the caller
commits, then calls `send`, so a worker never receives a job it cannot read yet.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from kombu.exceptions import OperationalError as BrokerUnreachable
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from quizapp import audit, clock
from quizapp.errors import DomainError
from quizapp.extensions import db
from quizapp.jobs.runner import TASK
from quizapp.models import Job, JobState, User
from quizapp.models.job import ACTIVE

LISTED = 200


def request(kind: str, key: str, params: dict, user: User | None) -> tuple[Job, bool]:
    """Return the job queued or running for `key`, or add a queued one, and whether it is new (flushed).

    The caller commits, then sends a new job; a job already queued or running serves this request too.
    """
    active = active_job(key)
    if active is not None:
        return active, False
    job = Job(kind=kind, key=key, active_key=key, params=params, user_id=user.id if user else None)
    try:
        with db.session.begin_nested():
            db.session.add(job)
    except IntegrityError:  # another request queued the same work a moment ago: that job serves both
        return active_job(key), False
    return job, True


def active_job(key: str) -> Job | None:
    """Return the job queued or running for a key, if any."""
    return db.session.scalar(select(Job).where(Job.active_key == key))


def latest(key: str) -> Job | None:
    """Return the newest job for a key, whatever its state."""
    return db.session.scalar(select(Job).where(Job.key == key).order_by(Job.id.desc()).limit(1))


def send(job: Job) -> None:
    """Hand a committed job to the queue (run here and now without a broker); an unreachable broker fails the job."""
    task = current_app.extensions["celery"].tasks[TASK]
    try:
        task.apply_async((job.id,))
    except BrokerUnreachable as exc:
        job.state, job.active_key, job.error = JobState.FAILED, None, f"The job queue could not be reached: {exc}"
        db.session.flush()
        raise DomainError("The job queue could not be reached; the job was not started. Try again later.") from exc


def retry(job: Job, actor: User) -> Job:
    """Queue a failed job again (audited; flushed, the caller commits then sends)."""
    if job.state != JobState.FAILED:
        raise DomainError("Only a failed job can be retried.")
    try:
        with db.session.begin_nested():
            job.state, job.active_key, job.progress, job.retries = JobState.QUEUED, job.key, 0, 0
            job.started_at = job.finished_at = None
            job.queued_at = clock.now()
    except IntegrityError:
        raise DomainError("The same work is already queued or running.") from None
    audit.record(actor, "job.retry", target=f"job:{job.id}", kind=job.kind, key=job.key, error=job.error)
    return job


def resend_stale() -> int:
    """Send again each job queued longer than JOBS_STALE_SECONDS (its message lost with the broker); return how many.

    The threshold is far above any wait in a working queue; a job delivered twice runs once (the runner checks its
    row, and every kind's work is idempotent).
    """
    cutoff = clock.now() - timedelta(seconds=current_app.config["JOBS_STALE_SECONDS"])
    queued_at = func.coalesce(Job.queued_at, Job.created_at)  # jobs queued before job.queued_at existed
    stale = db.session.scalars(select(Job).where(Job.state == JobState.QUEUED, queued_at <= cutoff)).all()
    for job in stale:
        job.queued_at = clock.now()
    db.session.commit()
    sent = 0
    for job in stale:
        try:
            send(job)
            sent += 1
        except DomainError:  # the broker is still away: the job is now failed, with the reason, for a retry
            db.session.commit()
    return sent


def listing() -> list[tuple[Job, str | None]]:
    """Return the queued, running and failed jobs, newest first, with the name of who started each."""
    stmt = (
        select(Job, User.display_name)
        .outerjoin(User, Job.user_id == User.id)
        .where(Job.state.in_([*ACTIVE, JobState.FAILED]))
        .order_by(Job.id.desc())
        .limit(LISTED)
    )
    return list(db.session.execute(stmt).tuples())
