"""Background jobs as the user sees them: one status row per job, whatever the queue does with its messages."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from quizapp.clock import now
from quizapp.extensions import db


class JobState(enum.StrEnum):
    """Where a job is: waiting for a worker, being worked on, finished, or given up with its error."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


ACTIVE = (JobState.QUEUED, JobState.RUNNING)


class Job(db.Model):
    """One piece of background work: its kind and parameters, who started it, its progress and outcome."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    key: Mapped[str] = mapped_column(String(200), index=True)  # what the job works on, e.g. items:12:first
    # The key while the job is queued or running, NULL after: the unique index allows one active job per key.
    active_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(10), default=JobState.QUEUED, index=True)
    progress: Mapped[int] = mapped_column(default=0)  # percent
    error: Mapped[str] = mapped_column(Text, default="")
    retries: Mapped[int] = mapped_column(default=0)
    result: Mapped[str] = mapped_column(String(200), default="")  # a reference to what the job made
    task_id: Mapped[str] = mapped_column(String(64), default="")  # the queue's message id of the latest attempt
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    # When the job was last put in the queue (created or retried): a job queued long ago was lost by the broker.
    queued_at: Mapped[datetime | None] = mapped_column(default=now)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    @property
    def active(self) -> bool:
        """Whether the job still waits for or occupies a worker."""
        return self.state in ACTIVE
