"""Starting attempts, saving answers and submitting, with the server owning time and counts."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import DateTime, Integer, Row, String, bindparam, func, select, text
from sqlalchemy.orm import joinedload

from quizapp import clock
from quizapp.accounts.session_user import SessionUser
from quizapp.banks.schema import DrawRule, QuizSpec
from quizapp.errors import AnswerLocked, AttemptClosed, AttemptsExhausted, QuizUnavailable, Unconfirmed
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptStatus, Quiz, Response, User
from quizapp.models.attempt import public_id_from
from quizapp.taking import grading, open_sitting, scoring, sitting, starting
from quizapp.taking.drawing import focus, pool
from quizapp.taking.drawing.draw import NotEnoughQuestions, Prepared, draw
from quizapp.taking.open_sitting import OpenSitting
from quizapp.taking.starting import Starting


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


def for_user(public_id: str, user: User, with_quiz: bool = False) -> Attempt | None:
    """Load an attempt only through its owner (anyone else's does not exist for them), with its quiz if asked."""
    stmt = select(Attempt).where(Attempt.public_id == public_id, Attempt.user_id == user.id)
    if with_quiz:
        stmt = stmt.options(joinedload(Attempt.quiz))
    return db.session.execute(stmt).scalar_one_or_none()


def start(quiz: Quiz | Starting, user: User, intake: dict | None = None, recommendation: dict | None = None) -> Attempt:
    """Resume the open attempt or start a new one: draw questions, pin versions, set the deadline."""
    used, open_id, pool_stamp = _used_open_and_stamp(quiz, user)
    if open_id is not None:
        existing = db.session.get(Attempt, open_id)
        if not expire_if_due(existing):
            return existing
    spec = quiz.spec()
    if not quiz.published:
        raise QuizUnavailable("This quiz is not open.")
    if spec.attempts_allowed is not None and used >= spec.attempts_allowed:
        raise AttemptsExhausted(f"You have used all {spec.attempts_allowed} attempts at this quiz.")
    seed = secrets.randbits(31)
    prepared = pool.prepared(spec.draw, pool_stamp)
    layout = _drawn(quiz, spec, _rules_for(spec, user, prepared), prepared, seed)
    started = clock.now()
    deadline = started + timedelta(minutes=spec.time_limit_minutes) if spec.time_limit_minutes else None
    values = {
        "public_id": public_id_from(secrets.token_bytes(16)),
        "quiz_id": quiz.id,
        "user_id": user.id,
        "number": used + 1,
        "status": AttemptStatus.IN_PROGRESS.value,
        "seed": seed,
        "started_at": started,
        "deadline": deadline,
        "layout": layout,
        "settings": quiz.settings,
        "intake": intake,
        "recommendation": recommendation,
    }
    # One INSERT, no savepoint: a concurrent start that won the race (the constraints allow one open attempt and one
    # row per number) makes this one insert nothing, and the winner is returned instead.
    attempt = db.session.scalars(_START, values).one_or_none()
    if attempt is not None:
        return attempt
    winner = open_attempt(quiz, user)
    if winner is None:
        raise AttemptsExhausted("You have used all the attempts at this quiz.")
    return winner


def _rules_for(spec: QuizSpec, user: User, prepared: Prepared) -> list[DrawRule]:
    """Return the draw rules of this learner's attempt: the quiz's, or moved toward their weakest topics."""
    if not spec.focus_weakest:
        return spec.draw
    rules = focus.redistribute(spec.draw, latest_topic_scores(user), prepared.candidates)
    # Never fewer questions than the quiz says: a pool that cannot give them is refused as the quiz's own rules are.
    return rules if sum(r.count for r in rules) == sum(r.count for r in spec.draw) else spec.draw


def latest_topic_scores(user: User) -> dict[str, float]:
    """Return the learner's latest percent per topic, from the newest finished attempt scoring it (one query)."""
    rows = db.session.scalars(
        select(Attempt.topic_scores)
        .where(Attempt.user_id == user.id, Attempt.status != AttemptStatus.IN_PROGRESS, Attempt.percent.is_not(None))
        .order_by(Attempt.submitted_at.desc(), Attempt.id.desc())
    )
    latest: dict[str, float] = {}
    for scores in rows:
        for topic, percent in (scores or {}).items():
            if percent is not None:
                latest.setdefault(topic, percent)
    return latest


def _drawn(quiz: Quiz, spec: QuizSpec, rules: list[DrawRule], prepared: Prepared, seed: int) -> list[dict]:
    """Draw an attempt's layout by `rules` (the quiz's, or moved toward the learner's weakest topics) from the pool."""
    try:
        return draw(rules, prepared, seed, spec.shuffle_questions, spec.shuffle_choices)
    except NotEnoughQuestions:
        current_app.logger.error("quiz %s cannot be drawn from the current banks", quiz.slug)
        raise QuizUnavailable("This quiz cannot be started right now; its question banks are being updated.") from None


def _used_open_and_stamp(quiz: Quiz | Starting, user: User) -> tuple[int, int | None, str | None]:
    """Return how many attempts the learner started at a quiz, the open one's id and the pool stamp.

    A quiz the start read with the user (`Starting`) carries them already; otherwise one query reads them.
    """
    if isinstance(quiz, Starting):
        return quiz.used, quiz.open_id, quiz.pool_stamp
    return starting.counts(quiz.id, user.id)


def _start_statement():
    """Return the attempt INSERT that inserts nothing when a concurrent start won, and returns the new row."""
    # Written as SQL both databases share, like the save's upsert: SQLAlchemy compiles its ON CONFLICT constructs
    # afresh on every execution (about a fifth of a start's CPU).
    table = Attempt.__table__
    names = ["public_id", "quiz_id", "user_id", "number", "status", "seed", "started_at", "deadline", "layout",
             "settings", "intake", "recommendation"]
    returned = ", ".join(c.name for c in table.columns)
    return select(Attempt).from_statement(
        text(
            f"INSERT INTO attempt ({', '.join(names)}) VALUES ({', '.join(':' + n for n in names)}) "  # noqa: S608  # nosec B608 - fixed column names
            f"ON CONFLICT DO NOTHING RETURNING {returned}"
        )
        .bindparams(*(bindparam(n, type_=table.c[n].type) for n in names))
        .columns(*table.columns)
    )


_START = _start_statement()


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


def save(
    attempt: Attempt | OpenSitting, slot: int, answer: dict | None, flagged: bool, check: bool = False
) -> Response | Row:
    """Save (replace) the answer and flag for one slot; `check` grades and locks it (practice mode); return it.

    An attempt kept from an earlier request (`open_sitting.kept`) is saved only if its user and status still hold,
    confirmed by the same statement; otherwise nothing is written and `Unconfirmed` is raised.
    """
    entry = attempt.layout[slot]
    spec = sitting.pinned(entry["v"]).spec()
    answer = grading.normalise(spec, answer)  # deduplicated and within the options, whoever the caller is
    values = {
        "answer": answer,
        "flagged": flagged,
        "saved_at": clock.now(),
        "correct": None,
        "score": None,
        "locked": False,
    }
    if check and answer is not None:
        values.update(correct=grading.is_correct(spec, answer), score=grading.score(spec, answer), locked=True)
    confirm = attempt.kept_for if open_sitting.kept(attempt) else None
    saved = _upsert(attempt.id, slot, entry["v"], values, confirm)
    if saved is not None:
        return saved
    if confirm is not None:
        raise Unconfirmed("This answer could not be saved just now. Please try again.")
    _refuse_if_closed(attempt.id)
    # The upsert leaves a checked (locked) answer alone: only its flag may change, and only without a new answer.
    current = db.session.execute(
        select(Response)
        .where(Response.attempt_id == attempt.id, Response.slot == slot)
        .execution_options(populate_existing=True)
    ).scalar_one()
    if current.answer == answer or answer is None:
        return _set_flag(current, flagged)
    raise AnswerLocked("This answer was already checked and cannot be changed.")


def _refuse_if_closed(attempt_id: int) -> None:
    """After a refused upsert: raise AttemptClosed when the attempt was submitted, expired or is past its time."""
    attempt = db.session.get(Attempt, attempt_id, populate_existing=True)
    if attempt.status == AttemptStatus.SUBMITTED:
        raise AttemptClosed("This attempt has been submitted; answers can no longer change.")
    if not attempt.is_open or is_overdue(attempt):
        raise AttemptClosed(TIME_UP)


def _set_flag(current: Response, flagged: bool) -> Response:
    """Change only the review flag of a locked response."""
    current.flagged = flagged
    db.session.flush()
    return current


def _upsert(attempt_id: int, slot: int, version_id: int, values: dict, confirm: SessionUser | None) -> Row | None:
    """Insert the slot's response or replace it unless locked, while the attempt is open and in time; None otherwise.

    With `confirm` (a user kept from an earlier request) only while that user is still as kept, and owns the attempt.
    Returns the saved row's columns (a Row, not an ORM Response: the save needs no identity-map object). One
    statement, so a transaction of its own when the request holds none (`open_sitting.alone`).
    """
    params = {"attempt_id": attempt_id, "slot": slot, "version_id": version_id, "cutoff": clock.now() - grace(),
              "open": AttemptStatus.IN_PROGRESS.value, **values}
    if confirm is None:
        return open_sitting.alone(_UPSERT, params)
    return open_sitting.alone(_CONFIRMED_UPSERT, params | open_sitting.confirming(confirm))


def _upsert_statement(share_lock: str, confirm: bool = False):
    """Return the upsert that inserts only while the attempt is open and in time (`share_lock`: PostgreSQL's).

    With `confirm`, also only while the user a kept read took for granted still holds (`open_sitting.CONFIRM_USER`).
    """
    # The attempt-is-open check is the INSERT's own SELECT, not a separate statement. On PostgreSQL FOR SHARE makes a
    # save wait for a submit holding the row (FOR UPDATE) and then see its new status, so an answer is either in the
    # score or refused; SQLite runs one writer at a time. Written as SQL both share, because SQLAlchemy compiles its
    # ON CONFLICT constructs afresh on every execution. RETURNING reads the saved row in the same statement.
    columns = [c for c in Response.__table__.columns if c.name != "id"]
    user_check = f" AND {open_sitting.CONFIRM_USER}" if confirm else ""
    user = (bindparam("user_id", type_=Integer()), bindparam("session_version", type_=Integer()),
            bindparam("role", type_=String())) if confirm else ()
    return (
        text(
            "INSERT INTO response (attempt_id, slot, version_id, answer, flagged, locked, correct, score, saved_at) "  # noqa: S608  # nosec B608 - fixed clauses
            "SELECT :attempt_id, :slot, :version_id, :answer, :flagged, :locked, :correct, :score, :saved_at "
            "FROM attempt WHERE attempt.id = :attempt_id AND attempt.status = :open "
            f"AND (attempt.deadline IS NULL OR attempt.deadline >= :cutoff){user_check}{share_lock} "
            "ON CONFLICT (attempt_id, slot) DO UPDATE SET answer = excluded.answer, flagged = excluded.flagged, "
            "locked = excluded.locked, correct = excluded.correct, score = excluded.score, "
            "saved_at = excluded.saved_at WHERE response.locked = false "
            "RETURNING id, attempt_id, slot, version_id, answer, flagged, locked, correct, score, saved_at"
        )
        .bindparams(*(bindparam(c.name, type_=c.type) for c in columns), bindparam("cutoff", type_=DateTime()),
                    bindparam("open", type_=String()), *user)
        .columns(*Response.__table__.columns)
    )


_SHARE_LOCK = {False: "", True: " FOR SHARE OF attempt"}  # keyed by "is PostgreSQL"
_UPSERT = {pg: _upsert_statement(lock) for pg, lock in _SHARE_LOCK.items()}
_CONFIRMED_UPSERT = {pg: _upsert_statement(lock, confirm=True) for pg, lock in _SHARE_LOCK.items()}


def submit(attempt: Attempt) -> Attempt:
    """Score and close the attempt exactly once; submitting again returns the same result."""
    if attempt.is_open:
        overdue = is_overdue(attempt)
        scoring.finalise(attempt, AttemptStatus.EXPIRED if overdue else AttemptStatus.SUBMITTED)
    return attempt
