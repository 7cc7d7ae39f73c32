"""Question banks, questions and their immutable versions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from quizapp.banks.schema import Question as QuestionSpec
from quizapp.clock import now
from quizapp.extensions import db


class Bank(db.Model):
    """A named collection of questions on one topic."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    topic: Mapped[str] = mapped_column(String(64), index=True)
    level: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")
    references: Mapped[dict] = mapped_column(JSON, default=dict)
    retired: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)

    questions: Mapped[list[Question]] = relationship(back_populates="bank", order_by="Question.position")


class Question(db.Model):
    """A question's identity: a stable key and a pointer to its current version."""

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("bank.id"), index=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    retired: Mapped[bool] = mapped_column(default=False)
    # "draft" (previewable, never drawn) or "ready" (drawn into attempts).
    status: Mapped[str] = mapped_column(String(10), default="ready", server_default="ready")
    # The state hash (content, status, retired) of the file entry last imported or exported; None if never in a file.
    file_hash: Mapped[str | None] = mapped_column(String(64))
    # The state hash of a file entry an import stopped on because the browser had changed the question too.
    file_conflict: Mapped[str | None] = mapped_column(String(64))
    current_version_id: Mapped[int | None] = mapped_column(ForeignKey("question_version.id", use_alter=True))

    bank: Mapped[Bank] = relationship(back_populates="questions")
    current_version: Mapped[QuestionVersion | None] = relationship(foreign_keys=[current_version_id], post_update=True)


class QuestionVersion(db.Model):
    """One immutable revision of a question; attempts pin the version they were given."""

    __table_args__ = (UniqueConstraint("question_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    number: Mapped[int]
    type: Mapped[str] = mapped_column(String(20))
    content: Mapped[dict] = mapped_column(JSON)
    reference_text: Mapped[str] = mapped_column(Text, default="")
    points: Mapped[float] = mapped_column(default=1)
    content_hash: Mapped[str] = mapped_column(String(64))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=now)

    question: Mapped[Question] = relationship(foreign_keys=[question_id])

    def spec(self) -> QuestionSpec:
        """Return the version's content as the validated schema object (parsed once per process)."""
        cache_key = (self.id, self.content_hash)
        spec = _SPEC_CACHE.get(cache_key) if self.id is not None else None
        if spec is None:
            spec = QuestionSpec.model_validate(self.content)
            if self.id is not None:
                if len(_SPEC_CACHE) >= _SPEC_CACHE_SIZE:
                    _SPEC_CACHE.clear()
                _SPEC_CACHE[cache_key] = spec
        return spec


# Versions are immutable, so their parsed content can be shared by every request of a worker.
_SPEC_CACHE: dict[tuple[int, str], QuestionSpec] = {}
_SPEC_CACHE_SIZE = 8192
