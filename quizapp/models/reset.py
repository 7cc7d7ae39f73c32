"""A password-reset link sent by e-mail: only the hash of its token is kept, and it works once, for an hour."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from quizapp.clock import now
from quizapp.extensions import db


class PasswordReset(db.Model):
    """One reset link: the token's SHA-256, the password it may replace, its expiry and when it was used."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # A fingerprint of the password hash when the link was made: any password change since makes the link void.
    password_fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=now)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
