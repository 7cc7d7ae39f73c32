"""Handing a job to the queue from a view: commit first, so the worker can read the job's row, then send."""

from __future__ import annotations

from flask import flash

from quizapp.errors import DomainError
from quizapp.extensions import db
from quizapp.jobs import queue
from quizapp.models import Job


def commit_and_send(job: Job | None, tell: bool = True) -> bool:
    """Commit the request's transaction, then send the job if any; False (after flashing why, if `tell`) if refused.

    A learner is not told: their own work is saved, and the failed job waits on the admin's queue page for a retry.
    """
    db.session.commit()
    if job is None:
        return True
    try:
        queue.send(job)
    except DomainError as error:
        db.session.commit()  # the job is recorded as failed, with the reason
        if tell:
            flash(error.message, "error")
        return False
    return True
