"""Credentials: certificates issued for a readiness check, the learner's real card, and their privacy choice."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.clock import now
from quizapp.extensions import db
from quizapp.models.user import User


class Certificate(db.Model):
    """A certificate of completion: what it says is stored when it is issued, so every download is the same file."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id"), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    quiz_title: Mapped[str] = mapped_column(String(200))
    track_title: Mapped[str] = mapped_column(String(200))
    completed_on: Mapped[date]
    percent: Mapped[float]
    score: Mapped[float]
    max_score: Mapped[float]
    topics: Mapped[list] = mapped_column(JSON, default=list)
    issued_at: Mapped[datetime] = mapped_column(default=now)
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(String(500))
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class LearnerCard(db.Model):
    """The learner's current CPR card; `expires_on` is stored (computed or overridden) so a scheduler can query it."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    course: Mapped[str] = mapped_column(String(40))
    course_other: Mapped[str] = mapped_column(String(100), default="")
    provider: Mapped[str] = mapped_column(String(20))
    provider_other: Mapped[str] = mapped_column(String(100), default="")
    issued_on: Mapped[date]
    expires_on: Mapped[date] = mapped_column(index=True)
    expiry_overridden: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)


class CredentialPrivacy(db.Model):
    """A learner's choice for the public verification page (no row: their name is shown)."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    hide_name: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)
