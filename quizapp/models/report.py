"""Computed reports kept in the database, so every worker and every restart shares one computation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from quizapp.extensions import db


class ReportSnapshot(db.Model):
    """One report of one quiz in one attempts mode, with the validity stamp it was computed under."""

    __table_args__ = (UniqueConstraint("quiz_id", "kind", "mode"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quiz.id"))
    kind: Mapped[str] = mapped_column(String(20))
    mode: Mapped[str] = mapped_column(String(10))
    finished: Mapped[int]  # the stamp: finished attempts, latest submission, latest regrade event
    latest: Mapped[datetime | None]
    regrade: Mapped[int | None]
    computed_at: Mapped[datetime]
    seconds: Mapped[float]
    data: Mapped[dict] = mapped_column(JSON)

    @property
    def stamp(self) -> tuple[int, datetime | None, int | None]:
        """Return the validity stamp in the form `reports.stamp` gives."""
        return self.finished, self.latest, self.regrade
