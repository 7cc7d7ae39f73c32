"""E-mail verification links, mail preferences and the reminders claimed (each sent once)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from quizapp.clock import now
from quizapp.extensions import db


class EmailVerification(db.Model):
    """One verification link: its token's SHA-256, the address it proves, its expiry and when it was used."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254))  # a link proves this address only, not one changed since
    created_at: Mapped[datetime] = mapped_column(default=now)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class MailPreference(db.Model):
    """What a learner wants by e-mail (no row: card reminders on, practice reminders off)."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    reminders: Mapped[bool] = mapped_column(default=True)
    practice: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)


class Reminder(db.Model):
    """A reminder claimed before its mail is queued: the unique (user, kind, due_on) makes each one go once.

    kind is card-90, card-30, card-7, card-lapsed (due_on: the card's expiry, so a renewed card is reminded again)
    or practice (due_on: the day the practice fell due).
    """

    __table_args__ = (UniqueConstraint("user_id", "kind", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    due_on: Mapped[date]
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))
    created_at: Mapped[datetime] = mapped_column(default=now)
