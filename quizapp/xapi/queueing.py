"""Asking for an attempt's statements to be sent: once when it starts, once when it ends (when the site has an LRS)."""

from __future__ import annotations

from quizapp.jobs import queue
from quizapp.models import Attempt, Job
from quizapp.xapi import sending


def request(attempt: Attempt) -> Job | None:
    """Queue the `xapi.send` job for a started or finished attempt (flushed; the caller commits, then sends)."""
    if not sending.enabled():
        return None
    key = f"{sending.KIND}:{attempt.id}" + ("" if attempt.submitted_at else ":started")
    if queue.latest(key) is not None:  # a resume or a repeated submit sends nothing twice; admins retry a failed one
        return None
    job, new = queue.request(sending.KIND, key, {"attempt_id": attempt.id}, attempt.user)
    return job if new else None
