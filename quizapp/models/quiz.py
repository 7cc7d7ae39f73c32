"""Quiz definitions: draw rules and settings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from quizapp.banks.schema import QuizSpec
from quizapp.clock import now
from quizapp.extensions import db


class Quiz(db.Model):
    """A quiz learners take; its settings are one validated `QuizSpec`."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    settings: Mapped[dict] = mapped_column(JSON)
    published: Mapped[bool] = mapped_column(default=True, index=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)

    def spec(self) -> QuizSpec:
        """Return the quiz settings as the validated schema object."""
        return QuizSpec.model_validate(self.settings)
