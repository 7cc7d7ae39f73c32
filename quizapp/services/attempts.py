"""Starting attempts, saving answers and submitting, with the server owning time and counts."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from quizapp import clock, grading
from quizapp.draw import NotEnoughQuestions, draw
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptStatus, Quiz, Response, User
from quizapp.models.attempt import public_id_from
from quizapp.services import pool, scoring
from quizapp.services.errors import AnswerLocked, AttemptClosed, AttemptsExhausted, QuizUnavailable


def open_attempt(quiz: Quiz, user: User) -> Attempt | None:
    """Return the learner's unfinished attempt at a quiz, if any."""
    return db.session.execute(
        select(Attempt).where(
            Attempt.quiz_id == quiz.id, Attempt.user_id == user.id, Attempt.status == AttemptStatus.IN_PROGRESS
        )
    ).scalar_one_or_none()


def attempts_used(quiz: Quiz, user: User) -> int:
    """Return how many attempts the learner has started at a quiz."""
    return db.session.scalar(
        select(func.count(Attempt.id)).where(Attempt.quiz_id == quiz.id, Attempt.user_id == user.id)
    )


def for_user(public_id: str, user: User) -> Attempt | None:
    """Load an attempt only through its owner: anyone else's attempt does not exist for them."""
    return db.session.execute(
        select(Attempt).where(Attempt.public_id == public_id, Attempt.user_id == user.id)
    ).scalar_one_or_none()


def start(quiz: Quiz, user: User, intake: dict | None = None, recommendation: dict | None = None) -> Attempt:
    """Resume the open attempt or start a new one: draw questions, pin versions, set the deadline."""
    existing = open_attempt(quiz, user)
    if existing is not None and not expire_if_due(existing):
        return existing
    spec = quiz.spec()
    if not quiz.published:
        raise QuizUnavailable("This quiz is not open.")
    used = attempts_used(quiz, user)
    if spec.attempts_allowed is not None and used >= spec.attempts_allowed:
        raise AttemptsExhausted(f"You have used all {spec.attempts_allowed} attempts at this quiz.")
    seed = secrets.randbits(31)
    try:
        layout = draw(
            spec.draw, pool.candidates(pool.rule_banks(spec)), seed, spec.shuffle_questions, spec.shuffle_choices
        )
    except NotEnoughQuestions:
        current_app.logger.error("quiz %s cannot be drawn from the current banks", quiz.slug)
        raise QuizUnavailable("This quiz cannot be started right now; its question banks are being updated.") from None
    started = clock.now()
    deadline = started + timedelta(minutes=spec.time_limit_minutes) if spec.time_limit_minutes else None
    attempt = Attempt(
        public_id=public_id_from(secrets.token_bytes(16)),
        quiz_id=quiz.id,
        user_id=user.id,
        number=used + 1,
        seed=seed,
        started_at=started,
        deadline=deadline,
        layout=layout,
        settings=quiz.settings,
        intake=intake,
        recommendation=recommendation,
    )
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:
        # A concurrent start won the race: the constraints allow one open attempt and one row per number.
        winner = open_attempt(quiz, user)
        if winner is None:
            raise AttemptsExhausted("You have used all the attempts at this quiz.") from None
        return winner
    return attempt


def grace() -> timedelta:
    """Return how long after the deadline an answer already in flight is still accepted."""
    return timedelta(seconds=current_app.config.get("ANSWER_GRACE_SECONDS", 30))


def is_overdue(attempt: Attempt) -> bool:
    """Whether the attempt's deadline (plus grace) has passed."""
    return attempt.deadline is not None and clock.now() > attempt.deadline + grace()


def expire_if_due(attempt: Attempt) -> bool:
    """Finalise an open attempt whose time ran out, from its saved answers; return whether it did."""
    if attempt.is_open and is_overdue(attempt):
        scoring.finalise(attempt, AttemptStatus.EXPIRED)
        return True
    return False


TIME_UP = "Time is up: your attempt was submitted with the answers saved before the deadline."


def _lock_open(attempt: Attempt) -> None:
    """Re-check under a row lock that the attempt is open and in time (callers expire overdue attempts first)."""
    status = db.session.execute(select(Attempt.status).where(Attempt.id == attempt.id).with_for_update()).scalar_one()
    if status == AttemptStatus.IN_PROGRESS and not is_overdue(attempt):
        return
    db.session.refresh(attempt)
    if status == AttemptStatus.SUBMITTED:
        raise AttemptClosed("This attempt has been submitted; answers can no longer change.")
    raise AttemptClosed(TIME_UP)


def save(attempt: Attempt, slot: int, answer: dict | None, flagged: bool, check: bool = False) -> Response:
    """Save (replace) the answer and flag for one slot; `check` grades and locks it (practice mode)."""
    _lock_open(attempt)
    entry = attempt.layout[slot]
    current = response(attempt, slot)
    if current is not None and current.locked:
        if current.answer == answer or answer is None:
            return _set_flag(current, flagged)
        raise AnswerLocked("This answer was already checked and cannot be changed.")
    values = {
        "answer": answer,
        "flagged": flagged,
        "saved_at": clock.now(),
        "correct": None,
        "score": None,
        "locked": False,
    }
    if check and answer is not None:
        spec = scoring.versions_for(attempt)[entry["v"]].spec()
        values.update(correct=grading.is_correct(spec, answer), score=grading.score(spec, answer), locked=True)
    _upsert(attempt.id, slot, entry["v"], values)
    return response(attempt, slot)


def _set_flag(current: Response, flagged: bool) -> Response:
    """Change only the review flag of a locked response."""
    current.flagged = flagged
    db.session.flush()
    return current


def _upsert(attempt_id: int, slot: int, version_id: int, values: dict) -> None:
    """Insert the slot's response or replace it in place: one row per slot, whatever the concurrency."""
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = insert(Response).values(attempt_id=attempt_id, slot=slot, version_id=version_id, **values)
    stmt = stmt.on_conflict_do_update(
        index_elements=["attempt_id", "slot"], set_=values, where=Response.locked.is_(False)
    )
    db.session.execute(stmt)
    db.session.expire_all()


def response(attempt: Attempt, slot: int) -> Response | None:
    """Return the saved response for one slot."""
    return db.session.execute(
        select(Response).where(Response.attempt_id == attempt.id, Response.slot == slot)
    ).scalar_one_or_none()


def submit(attempt: Attempt) -> Attempt:
    """Score and close the attempt exactly once; submitting again returns the same result."""
    if attempt.is_open:
        overdue = is_overdue(attempt)
        scoring.finalise(attempt, AttemptStatus.EXPIRED if overdue else AttemptStatus.SUBMITTED)
    return attempt
