"""Read models for the catalog and history pages."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from quizapp.banks.schema import QuizSpec
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptStatus, Quiz, User
from quizapp.taking.grading import combine


@dataclass(frozen=True)
class Entry:
    """A quiz in the catalog, with the viewer's open attempt if any."""

    quiz: Quiz
    spec: QuizSpec
    question_count: int
    resume: Attempt | None

    @property
    def resume_id(self) -> str | None:
        """Return the public id of the open attempt to resume, if any."""
        return self.resume.public_id if self.resume is not None else None


def entries(user: User | None) -> list[Entry]:
    """Return published quizzes with the user's open attempts (two queries)."""
    quizzes = db.session.execute(select(Quiz).where(Quiz.published.is_(True)).order_by(Quiz.title)).scalars().all()
    open_attempts: dict[int, Attempt] = {}
    if user is not None:
        rows = db.session.execute(
            select(Attempt)
            .where(Attempt.user_id == user.id, Attempt.status == AttemptStatus.IN_PROGRESS)
            .order_by(Attempt.started_at)
        )
        open_attempts = {a.quiz_id: a for a in rows.scalars()}
    result = []
    for quiz in quizzes:
        spec = quiz.spec()
        result.append(Entry(quiz, spec, sum(r.count for r in spec.draw), open_attempts.get(quiz.id)))
    return result


@dataclass(frozen=True)
class HistoryRow:
    """One quiz in the learner's history: its attempts and the grade that counts."""

    quiz: Quiz
    attempts: list[Attempt]
    grade: float | None
    method: str


def history(user: User) -> list[HistoryRow]:
    """Return the learner's attempts grouped by quiz, newest quiz activity first (one query)."""
    attempts = (
        db.session.execute(
            select(Attempt)
            .join(Attempt.quiz)
            .options(contains_eager(Attempt.quiz))
            .where(Attempt.user_id == user.id)
            .order_by(Attempt.started_at)
        )
        .scalars()
        .all()
    )
    by_quiz: dict[int, list[Attempt]] = {}
    for a in attempts:
        by_quiz.setdefault(a.quiz_id, []).append(a)
    rows = []
    for group in by_quiz.values():
        quiz = group[0].quiz
        method = quiz.spec().grading
        done = [a.percent for a in group if a.status != AttemptStatus.IN_PROGRESS and a.percent is not None]
        rows.append(HistoryRow(quiz, group, combine(method, done), method))
    return sorted(rows, key=lambda r: r.attempts[-1].started_at, reverse=True)
