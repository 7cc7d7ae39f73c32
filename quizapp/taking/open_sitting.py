"""The learner's hot requests (question page, save, autosave) read their attempt by one Core select, no ORM objects."""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import Text, bindparam, cast, func, select, text

from quizapp.accounts import session_user
from quizapp.banks.schema import QuizSpec
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptStatus, Quiz, Response, User

_ATTEMPT, _QUIZ, _USER, _RESPONSE = Attempt.__table__, Quiz.__table__, User.__table__, Response.__table__
# The settings come as their JSON text: attempts of one quiz share it, so it is parsed and validated once per worker;
# the layout too, parsed once per worker for each attempt (it never changes once drawn).
_COLUMNS = (
    _ATTEMPT.c.id, _ATTEMPT.c.status, _ATTEMPT.c.deadline, cast(_ATTEMPT.c.layout, Text).label("layout"),
    cast(_ATTEMPT.c.settings, Text).label("settings"),
    _QUIZ.c.title, cast(_QUIZ.c.settings, Text).label("quiz_settings"),
)
_READ = (
    select(*_COLUMNS)
    .join_from(_ATTEMPT, _QUIZ, _ATTEMPT.c.quiz_id == _QUIZ.c.id)
    .where(_ATTEMPT.c.public_id == bindparam("public_id"), _ATTEMPT.c.user_id == bindparam("user_id"))
)


def _saved_column(postgresql: bool):
    """The attempt's saved slots as one JSON array of [slot, answer, answered, flagged, locked], read as text."""
    r = _RESPONSE.c
    if postgresql:
        entries = func.json_agg(func.json_build_array(r.slot, r.answer, r.answer.is_not(None), r.flagged, r.locked))
    else:
        entries = func.json_group_array(
            func.json_array(r.slot, func.json(r.answer), r.answer.is_not(None), r.flagged, r.locked)
        )
    return cast(select(entries).where(r.attempt_id == _ATTEMPT.c.id).scalar_subquery(), Text).label("saved")


def _read_with_user(*extra):
    """The signed-in user and their attempt together: the user's row, the attempt's columns (None when not theirs)."""
    return (
        select(*session_user.COLUMNS, *_COLUMNS, *extra)
        .select_from(_USER)
        .outerjoin(_ATTEMPT, (_ATTEMPT.c.user_id == _USER.c.id) & (_ATTEMPT.c.public_id == bindparam("public_id")))
        .outerjoin(_QUIZ, _ATTEMPT.c.quiz_id == _QUIZ.c.id)
        .where(_USER.c.id == bindparam("user_id"))
    )


_READ_WITH_USER = _read_with_user()
# The question page's read takes the saved slots too (its only other statement), keyed by "is PostgreSQL".
_READ_FOR_PAGE = {pg: _read_with_user(_saved_column(pg)) for pg in (False, True)}

# What a kept read (below) took for granted, confirmed by the statement that relies on it: the same user owns the
# attempt, with the session version, role, activity and password state (no temporary password) it was kept with.
CONFIRM_USER = (
    'attempt.user_id = :user_id AND EXISTS (SELECT 1 FROM "user" WHERE "user".id = :user_id'
    ' AND "user".session_version = :session_version AND "user".role = :role AND "user".active = true'
    " AND \"user\".password_expires_at IS NULL)"
)
# The question page from a kept read: only what changes (the status, the saved slots), while the user still holds.
_CONFIRMED_PAGE = {
    pg: select(_ATTEMPT.c.status, _saved_column(pg)).where(_ATTEMPT.c.id == bindparam("attempt_id"), text(CONFIRM_USER))
    for pg in (False, True)
}

# What an attempt's public id can hold (URL-safe base64): anything else names no attempt, and is not sent to the
# database (PostgreSQL refuses a NUL in text, and this read also serves the error page of a refused URL).
_PUBLIC_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


@lru_cache(maxsize=1024)
def layout_of(layout: str) -> list:
    """Return an attempt's layout written as JSON text, parsed (shared: never changed in place)."""
    return json.loads(layout)


@lru_cache(maxsize=256)
def spec_of(settings: str) -> QuizSpec:
    """Return the quiz settings written as JSON text, parsed and validated (shared: never changed in place)."""
    return QuizSpec.model_validate(json.loads(settings))


@dataclass(frozen=True)
class QuizTitle:
    """What the question page shows of the quiz: its title (and its settings, for attempts without a snapshot)."""

    title: str
    settings: str

    def spec(self) -> QuizSpec:
        """Return the quiz settings, as `Quiz.spec` does."""
        return spec_of(self.settings)


class SavedSlot(NamedTuple):
    """One saved slot as the question page reads it (the columns of `sitting.saved_slots`)."""

    slot: int
    answer: dict | None
    answered: bool
    flagged: bool
    locked: bool


@dataclass(frozen=True)
class OpenSitting:
    """The fields of an `Attempt` the hot requests read, as plain values; `is_open` as of the read."""

    id: int
    status: str
    deadline: datetime | None
    layout: list
    settings: str | None
    quiz: QuizTitle
    saved: dict[int, SavedSlot] | None = None  # read with the attempt for the question page, else None
    # Set when this came from the worker's kept reads (`load_with_user`): the user the save's statement must confirm.
    kept_for: session_user.SessionUser | None = None

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
        return spec_of(self.settings) if self.settings else self.quiz.spec()


def load(public_id: str, user_id: int) -> OpenSitting | None:
    """Return the attempt `public_id` of user `user_id` with its quiz's title (one select), or None."""
    row = alone(_READ, {"public_id": public_id, "user_id": user_id})
    return None if row is None else _sitting(row)


def load_with_user(
    public_id: str, user_id: int, with_saved: bool = False, version: int | None = None
) -> tuple[session_user.SessionUser | None, OpenSitting | None]:
    """Return the user `user_id` and their attempt `public_id` (with its saved slots) read by one select, or None.

    With the session's `version`, what an earlier read in this worker kept serves instead: as it is for a save (its
    upsert confirms it), confirmed and with the status and saved slots read for the question page.
    """
    if not _PUBLIC_ID.fullmatch(public_id):
        return session_user.load(user_id), None
    kept = _KEPT.get((public_id, user_id)) if version is not None else None
    if kept is not None and kept.kept_for.session_version == version:
        if not with_saved:
            return kept.kept_for, kept
        row = alone(_CONFIRMED_PAGE, {"attempt_id": kept.id} | confirming(kept.kept_for))
        if row is not None:  # confirmed by this read, as a fresh one would
            if row.status != AttemptStatus.IN_PROGRESS:
                forget(public_id, user_id)
            return kept.kept_for, replace(kept, status=row.status, saved=_saved_of(row.saved), kept_for=None)
    row = alone(_READ_FOR_PAGE if with_saved else _READ_WITH_USER, {"public_id": public_id, "user_id": user_id})
    if row is None:
        return None, None
    sitting = None if row.id is None else _sitting(row, _saved_of(row.saved) if with_saved else None)
    user = session_user.from_row(user_id, row)
    _keep(public_id, user, sitting)
    return user, sitting


# What the hot reads found of open attempts, kept per worker so that a save can skip its read: the save's one
# statement confirms in the database what may have changed since (the user's session version, role, activity and
# password state; the attempt's owner, status and time), and a refused save is served again from a fresh read
# (`security.afresh`). Only what never changes once the attempt started is taken from here: its id, layout,
# settings snapshot and deadline.
_KEPT: dict[tuple[str, int], OpenSitting] = {}
KEPT_MAX = 2048
_KEEPING = threading.Lock()  # changes one at a time, should a worker run threads (the oldest found, then dropped)


def _keep(public_id: str, user: session_user.SessionUser, sitting: OpenSitting | None) -> None:
    """Keep a fresh read of an open attempt (with its own settings) by a user who may save, for the next save."""
    if sitting is None or not sitting.is_open or sitting.settings is None:
        return
    if not user.active or user.password_expires_at is not None:
        return
    kept = replace(sitting, saved=None, kept_for=user)
    with _KEEPING:
        if len(_KEPT) >= KEPT_MAX:
            _KEPT.pop(next(iter(_KEPT)), None)  # the oldest kept
        _KEPT[(public_id, user.id)] = kept


def confirming(user: session_user.SessionUser) -> dict:
    """Return the parameters of `CONFIRM_USER` for a kept user."""
    return {"user_id": user.id, "session_version": user.session_version, "role": user.role}


def forget(public_id: str, user_id: int) -> None:
    """Forget what was kept of attempt `public_id` for user `user_id`: the next request reads it afresh."""
    with _KEEPING:
        _KEPT.pop((public_id, user_id), None)


def kept(attempt) -> bool:
    """Whether the attempt a view holds came from the worker's kept reads (not confirmed by this request's read)."""
    return isinstance(attempt, OpenSitting) and attempt.kept_for is not None


def alone(statement, params: dict):
    """Run one statement (or the one for this database of a pair keyed by "is PostgreSQL"); return its first row.

    Outside a transaction it is a transaction of its own, committed at once, on a pooled connection with no ORM
    session to open and close (about a tenth of a hot request's CPU, measured); on PostgreSQL in autocommit: no BEGIN
    and no COMMIT to send (SQLite sends no BEGIN for a read). Inside a request's transaction it runs in that one.
    """
    if db.session.registry.has() and db.session().in_transaction():
        connection = db.session.connection()
        return connection.execute(_for_database(statement, connection), params).first()
    with db.engine.connect() as connection:
        if connection.dialect.name != "postgresql":
            row = connection.execute(_for_database(statement, connection), params).first()
            connection.commit()
            return row
        # psycopg's own switch, not SQLAlchemy's isolation level: that one is set and reset through its connection
        # characteristics at each checkout (4-6% of a hot request's CPU, measured). The pool finds it as it was.
        driver = connection.connection.dbapi_connection
        driver.autocommit = True
        try:
            return connection.execute(_for_database(statement, connection), params).first()
        finally:
            if not connection.invalidated:  # a lost connection is discarded as it is
                driver.autocommit = False


def commit() -> None:
    """Commit the request's ORM session if it has one: a save that was one statement (`alone`) opened none."""
    if db.session.registry.has():
        db.session.commit()


def _for_database(statement, connection):
    """Return the statement, or the one of a pair keyed by "is PostgreSQL" for the connection's database."""
    return statement[connection.dialect.name == "postgresql"] if isinstance(statement, dict) else statement


def _sitting(row, saved: dict[int, SavedSlot] | None = None) -> OpenSitting:
    """Return the OpenSitting of a row of attempt columns."""
    quiz = QuizTitle(row.title, row.quiz_settings)
    return OpenSitting(row.id, row.status, row.deadline, layout_of(row.layout), row.settings, quiz, saved)


def _saved_of(entries: str | None) -> dict[int, SavedSlot]:
    """Return the saved slots read as a JSON array (None or [] when there are none), keyed by slot."""
    return {e[0]: SavedSlot(e[0], e[1], bool(e[2]), bool(e[3]), bool(e[4])) for e in json.loads(entries or "[]")}
