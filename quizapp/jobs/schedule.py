"""The one schedule of periodic work, run by Celery beat: one beat per deployment, never one per web worker.

Beat only sends a `quizapp.periodic` message at each interval; a worker runs it like any job. Without a broker
(development) nothing is scheduled: `flask jobs tick` runs the same work once (from cron, or by hand).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from celery import shared_task

from quizapp.exports import files
from quizapp.extensions import db
from quizapp.jobs import queue
from quizapp.reminders import scan

TASK = "quizapp.periodic"
# name: (what it does, the setting holding its interval in seconds, what tick reports)
PERIODIC: dict[str, tuple[Callable[[], int], str, str]] = {
    "reminders": (scan.run, "REMINDERS_EVERY_SECONDS", "reminder e-mail(s) queued"),
    "exports": (files.sweep, "SWEEP_EVERY_SECONDS", "expired export file(s) deleted"),
    "stale-jobs": (queue.resend_stale, "SWEEP_EVERY_SECONDS", "stale job(s) sent again"),
}


def beat_schedule(config: Mapping) -> dict:
    """Return Celery's beat_schedule: each periodic work at its configured interval."""
    return {
        name: {"task": TASK, "schedule": float(config[setting]), "args": (name,)}
        for name, (_work, setting, _told) in PERIODIC.items()
    }


def tick(name: str) -> int:
    """Run one periodic work now and commit; return its count."""
    work = PERIODIC[name][0]
    count = work()
    db.session.commit()
    return count


@shared_task(name=TASK)
def periodic(name: str) -> dict:
    """Run the periodic work beat asked for (in the worker, with the Flask app pushed)."""
    return {"work": name, "count": tick(name)}
