"""Asking for an attempt's statements to be sent, once, when the site has an LRS."""

from __future__ import annotations

from quizapp.jobs import queue
from quizapp.models import Attempt, Job
from quizapp.xapi import sending


def request(attempt: Attempt) -> Job | None:
    """Queue the `xapi.send` job for a finished attempt (flushed; the caller commits then sends), or return None."""
    if not sending.enabled() or attempt.submitted_at is None:
        return None
    key = f"{sending.KIND}:{attempt.id}"
    if queue.latest(key) is not None:  # a repeated submit sends nothing twice; a failed job is retried by an admin
        return None
    job, new = queue.request(sending.KIND, key, {"attempt_id": attempt.id}, attempt.user)
    return job if new else None
