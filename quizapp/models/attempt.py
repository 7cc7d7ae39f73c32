"""Attempts at a quiz and the responses saved in them."""

from __future__ import annotations

import base64
import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.banks.schema import QuizSpec
from quizapp.clock import now
from quizapp.extensions import db
from quizapp.models.quiz import Quiz
from quizapp.models.user import User


def public_id_from(random_bytes: bytes) -> str:
    """Encode 16 random bytes as a URL-safe id that starts with a letter (never read as a spreadsheet formula)."""
    text = base64.urlsafe_b64encode(random_bytes).decode().rstrip("=")
    return "a" + text if not text[0].isalnum() else text


class AttemptStatus(enum.StrEnum):
    """Lifecycle of an attempt; only `in_progress` accepts answers."""

    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    EXPIRED = "expired"


class Attempt(db.Model):
    """One learner's sitting of a quiz, with the question versions it drew pinned in `layout`."""

    __table_args__ = (
        UniqueConstraint("quiz_id", "user_id", "number"),
        # At most one open attempt per learner and quiz, enforced by the database.
        Index(
            "uq_attempt_open",
            "quiz_id",
            "user_id",
            unique=True,
            sqlite_where=text("status = 'in_progress'"),
            postgresql_where=text("status = 'in_progress'"),
        ),
        # Reports and their cache stamp read finished attempts of one quiz by status and time.
        Index("ix_attempt_report", "quiz_id", "status", "submitted_at", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quiz.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    number: Mapped[int]
    status: Mapped[str] = mapped_column(String(20), default=AttemptStatus.IN_PROGRESS)
    seed: Mapped[int]
    started_at: Mapped[datetime] = mapped_column(default=now)
    deadline: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None]
    layout: Mapped[list] = mapped_column(JSON)
    settings: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    score: Mapped[float | None]
    max_score: Mapped[float | None]
    percent: Mapped[float | None]
    passed: Mapped[bool | None]
    topic_scores: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    intake: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    recommendation: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))

    quiz: Mapped[Quiz] = relationship()
    user: Mapped[User] = relationship()

    @property
    def is_open(self) -> bool:
        """Whether the attempt still accepts answers (status only; deadlines are checked by the service)."""
        return self.status == AttemptStatus.IN_PROGRESS

    def spec(self) -> QuizSpec:
        """Return the quiz settings as they were when this attempt started (edits never reach it)."""
        return QuizSpec.model_validate(self.settings) if self.settings else self.quiz.spec()

    @property
    def question_count(self) -> int:
        """Number of slots drawn for this attempt."""
        return len(self.layout)


class Response(db.Model):
    """The saved answer for one slot of an attempt; saving again replaces it."""

    __table_args__ = (UniqueConstraint("attempt_id", "slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id"))
    slot: Mapped[int]
    version_id: Mapped[int] = mapped_column(ForeignKey("question_version.id"), index=True)
    answer: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    flagged: Mapped[bool] = mapped_column(default=False)
    locked: Mapped[bool] = mapped_column(default=False)
    correct: Mapped[bool | None]
    score: Mapped[float | None]
    saved_at: Mapped[datetime] = mapped_column(default=now)
