"""Helpers for the domain tests: people, quizzes and attempts made through the domain operations (no test client)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from quizapp.accounts import users
from quizapp.banks.schema import Question
from quizapp.extensions import db
from quizapp.models import Attempt, QuestionVersion, Quiz, Role, User
from quizapp.taking import attempts
from tests.conftest import import_paths
from tests.support import PASSWORD

DATA = Path(__file__).resolve().parent / "data"
TOPIC_FILES = (DATA / "airway-bank.yaml", DATA / "compressions-bank.yaml", DATA / "topic-quizzes.yaml")


def import_topics(app):
    """Import two one-topic banks (airway, compressions) and their quizzes; return the import report."""
    return import_paths(app, *TOPIC_FILES)


def person(email: str = "learner@example.org", role: Role = Role.LEARNER) -> User:
    """Register a user in the current app context (flushed, not committed)."""
    return users.register(email, email.split("@")[0].title(), PASSWORD, role)


def quiz(slug: str) -> Quiz:
    """Load a quiz by slug."""
    return db.session.execute(select(Quiz).where(Quiz.slug == slug)).scalar_one()


def right(q: Question) -> dict:
    """Return the stored (canonical) answer that earns full credit."""
    if q.type == "single":
        return {"choice": next(i for i, c in enumerate(q.choices) if c.correct)}
    if q.type == "multiple":
        return {"choices": [i for i, c in enumerate(q.choices) if c.correct]}
    if q.type == "true_false":
        return {"value": q.answer}
    if q.type == "ordering":
        return {"order": list(range(len(q.choices)))}
    return {"value": str(q.answer.bounds()[0])}


def wrong(q: Question) -> dict:
    """Return a stored answer that earns nothing."""
    if q.type == "single":
        return {"choice": next(i for i, c in enumerate(q.choices) if not c.correct)}
    if q.type == "multiple":
        return {"choices": [i for i, c in enumerate(q.choices) if not c.correct]}
    if q.type == "true_false":
        return {"value": not q.answer}
    if q.type == "ordering":
        return {"order": list(reversed(range(len(q.choices))))}
    return {"value": str(q.answer.bounds()[1] + 1000)}


def answer(attempt: Attempt, marks: list[bool | None] | dict[str, bool]) -> None:
    """Save each slot right or wrong (None: unanswered), by slot position or by the slot's topic."""
    for slot, entry in enumerate(attempt.layout):
        good = marks[entry["topic"]] if isinstance(marks, dict) else marks[slot]
        if good is not None:
            q = db.session.get(QuestionVersion, entry["v"]).spec()
            attempts.save(attempt, slot, right(q) if good else wrong(q), flagged=False)


def sit(slug: str, user: User, marks: list[bool | None] | dict[str, bool], **extra) -> Attempt:
    """Start an attempt at a quiz, answer it as `marks` says and submit it; return the finished attempt."""
    attempt = attempts.start(quiz(slug), user, **extra)
    answer(attempt, marks)
    return attempts.submit(attempt)
