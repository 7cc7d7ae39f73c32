"""The outbox: every message the app sends, its state and tries; the record that makes sending idempotent."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from quizapp.clock import now
from quizapp.extensions import db


class MailStatus(enum.StrEnum):
    """Where a message is: waiting for the mail job, handed to the mail server, or refused for good."""

    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(db.Model):
    """One outgoing e-mail: what it says and where it stands; a job that runs twice finds it sent and stops."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    to: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40), index=True)  # what the message is for, e.g. password_reset
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(200))
    # Extra headers, e.g. List-Unsubscribe and List-Unsubscribe-Post on reminders.
    headers: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default=MailStatus.QUEUED, index=True)
    tries: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=now)
    sent_at: Mapped[datetime | None]
