"""A secret to show once (a just-set temporary password), kept on the server until the page that shows it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary
from sqlalchemy.orm import Mapped, mapped_column

from quizapp.clock import now
from quizapp.extensions import db


class OneTimeSecret(db.Model):
    """A secret for one user's admin page, sealed with a one-time pad that only the admin's session holds."""

    # Neither the row alone nor the session cookie alone reveals anything; the page that shows the secret
    # deletes the row, so it is shown once.
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    sealed: Mapped[bytes] = mapped_column(LargeBinary(256))
    created_at: Mapped[datetime] = mapped_column(default=now)
