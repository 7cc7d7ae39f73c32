"""What a learner told us about themselves once: the track intake and the browser's time zone."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from quizapp.clock import now
from quizapp.extensions import db


class LearnerProfile(db.Model):
    """One row per user who has answered the intake or sent a time zone (the users table stays unchanged)."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    intake: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    time_zone: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)
