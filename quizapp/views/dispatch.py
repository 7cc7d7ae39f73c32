"""Handing a job to the queue from a view: commit first, so the worker can read the job's row, then send."""

from __future__ import annotations

from flask import flash

from quizapp.errors import DomainError
from quizapp.extensions import db
from quizapp.jobs import queue
from quizapp.models import Job


def commit_and_send(job: Job) -> bool:
    """Commit the request's transaction, then send the job; False after flashing why the queue refused it."""
    db.session.commit()
    try:
        queue.send(job)
    except DomainError as error:
        db.session.commit()  # the job is recorded as failed, with the reason
        flash(error.message, "error")
        return False
    return True
