"""The attempt start reads the signed-in user, the quiz and the learner's attempts at it by one Core select."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import Text, bindparam, cast, func, select

from quizapp.accounts import session_user
from quizapp.banks.schema import QuizSpec
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptStatus, Quiz, User, stamp
from quizapp.taking.open_sitting import spec_of

_ATTEMPT, _QUIZ, _USER = Attempt.__table__, Quiz.__table__, User.__table__
SLUG_LENGTH = _QUIZ.c.slug.type.length


def _attempts_at(quiz_id, user_id) -> tuple:
    """The learner's attempts at a quiz: how many (`used`) and the open one's id (`open_id`), as scalar subqueries."""
    mine = (_ATTEMPT.c.quiz_id == quiz_id) & (_ATTEMPT.c.user_id == user_id)
    return (
        select(func.count(_ATTEMPT.c.id)).where(mine).scalar_subquery().label("used"),
        select(func.max(_ATTEMPT.c.id))
        .where(mine, _ATTEMPT.c.status == AttemptStatus.IN_PROGRESS.value)
        .scalar_subquery()
        .label("open_id"),
    )


# The user's row; the quiz's columns (None when no quiz has the slug); the learner's attempts at it; the pool stamp.
_READ = (
    select(
        *session_user.COLUMNS,
        _QUIZ.c.id.label("quiz_id"), _QUIZ.c.slug, _QUIZ.c.published,
        cast(_QUIZ.c.settings, Text).label("quiz_settings"),
        *_attempts_at(_QUIZ.c.id, _USER.c.id),
        stamp.token().label("pool_stamp"),
    )
    .select_from(_USER)
    .outerjoin(_QUIZ, _QUIZ.c.slug == bindparam("slug"))
    .where(_USER.c.id == bindparam("user_id"))
)
# The same for a quiz and a user already loaded (a start not reached through the start page's read).
_COUNTS = select(*_attempts_at(bindparam("quiz_id"), bindparam("user_id")), stamp.token().label("pool_stamp"))


@dataclass(frozen=True)
class Starting:
    """A quiz as the start reads it, with the learner's attempts at it: how many, the open one, the pool's stamp."""

    id: int
    slug: str
    published: bool
    settings_text: str
    used: int
    open_id: int | None
    pool_stamp: str | None

    @property
    def settings(self) -> dict:
        """Return the quiz settings as stored (the attempt keeps a copy)."""
        return json.loads(self.settings_text)

    def spec(self) -> QuizSpec:
        """Return the quiz settings, as `Quiz.spec` does (parsed once per worker)."""
        return spec_of(self.settings_text)


def counts(quiz_id: int, user_id: int) -> tuple[int, int | None, str | None]:
    """Return how many attempts user `user_id` started at quiz `quiz_id`, the open one's id and the pool stamp."""
    used, open_id, pool_stamp = db.session.execute(_COUNTS, {"quiz_id": quiz_id, "user_id": user_id}).one()
    return used, open_id, pool_stamp


def load_with_user(slug: str, user_id: int) -> tuple[session_user.SessionUser | None, Starting | None]:
    """Return the user `user_id` and the quiz `slug` with their attempts at it, read by one select (None: missing)."""
    # Names no quiz: not sent (PostgreSQL refuses a NUL in text, and a refused URL's error page loads the user too).
    if len(slug) > SLUG_LENGTH or "\x00" in slug:
        return session_user.load(user_id), None
    row = db.session.connection().execute(_READ, {"slug": slug, "user_id": user_id}).first()
    if row is None:
        return None, None
    quiz = None if row.quiz_id is None else Starting(
        row.quiz_id, row.slug, bool(row.published), row.quiz_settings, row.used, row.open_id, row.pool_stamp
    )
    return session_user.from_row(user_id, row), quiz
