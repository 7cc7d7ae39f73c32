"""The learner's hot requests (question page, save, autosave) read their attempt by one Core select, no ORM objects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select

from quizapp.banks.schema import QuizSpec
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptStatus, Quiz

_ATTEMPT, _QUIZ = Attempt.__table__, Quiz.__table__
_READ = (
    select(
        _ATTEMPT.c.id, _ATTEMPT.c.status, _ATTEMPT.c.deadline, _ATTEMPT.c.layout, _ATTEMPT.c.settings,
        _QUIZ.c.title, _QUIZ.c.settings.label("quiz_settings"),
    )
    .join_from(_ATTEMPT, _QUIZ, _ATTEMPT.c.quiz_id == _QUIZ.c.id)
    .where(_ATTEMPT.c.public_id == bindparam("public_id"), _ATTEMPT.c.user_id == bindparam("user_id"))
)


@dataclass(frozen=True)
class QuizTitle:
    """What the question page shows of the quiz: its title (and its settings, for attempts without a snapshot)."""

    title: str
    settings: dict

    def spec(self) -> QuizSpec:
        """Return the quiz settings, as `Quiz.spec` does."""
        return QuizSpec.model_validate(self.settings)


@dataclass(frozen=True)
class OpenSitting:
    """The fields of an `Attempt` the hot requests read, as plain values; `is_open` as of the read."""

    id: int
    status: str
    deadline: datetime | None
    layout: list
    settings: dict | None
    quiz: QuizTitle

    @property
    def is_open(self) -> bool:
        """Whether the attempt accepted answers when read (status only, as `Attempt.is_open`)."""
        return self.status == AttemptStatus.IN_PROGRESS

    @property
    def question_count(self) -> int:
        """Number of slots drawn for this attempt."""
        return len(self.layout)

    def spec(self) -> QuizSpec:
        """Return the quiz settings as they were when the attempt started, as `Attempt.spec` does."""
        return QuizSpec.model_validate(self.settings) if self.settings else self.quiz.spec()


def load(public_id: str, user_id: int) -> OpenSitting | None:
    """Return the attempt `public_id` of user `user_id` with its quiz's title (one select), or None."""
    row = db.session.connection().execute(_READ, {"public_id": public_id, "user_id": user_id}).first()
    if row is None:
        return None
    quiz = QuizTitle(row.title, row.quiz_settings)
    return OpenSitting(row.id, row.status, row.deadline, row.layout, row.settings, quiz)
