"""The pool stamp: one row whose random token changes with every committed change to banks, questions or versions.

Workers cache what they derive from the drawable pool (taking.drawing.pool) under the token they read with it, so a
change committed by any process reaches every worker's next start. The token is replaced in the changing transaction,
as its last statement, so it is never newer than the data and holds its row lock only for the commit.
"""

from __future__ import annotations

import secrets

from sqlalchemy import String, event, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from quizapp.extensions import db
from quizapp.models.bank import Bank, Question, QuestionVersion

_CHANGED = "pool_changed"
_WATCHED = (Bank, Question, QuestionVersion)
# One statement on both databases; the row appears with the first change (none before: nothing is cached then).
_REPLACE = text(
    "INSERT INTO pool_stamp (id, token) VALUES (1, :token) ON CONFLICT (id) DO UPDATE SET token = excluded.token"
)


class PoolStamp(db.Model):
    """The drawable pool's version: a random token, never reused (ids are, after a database is emptied)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32))


def token():
    """Return a scalar subquery of the current token (None before the first change), to read with other columns."""
    return select(PoolStamp.token).where(PoolStamp.id == 1).scalar_subquery()


@event.listens_for(Session, "before_flush")
def _note_changes(session: Session, _context, _instances) -> None:
    """Remember that this transaction changes a bank, question or version (not a mere re-set of equal values)."""
    if _CHANGED in session.info:
        return
    if any(isinstance(o, _WATCHED) for o in (*session.new, *session.deleted)) or any(
        isinstance(o, _WATCHED) and session.is_modified(o) for o in session.dirty
    ):
        session.info[_CHANGED] = True


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_changes(state) -> None:
    """Remember an UPDATE, INSERT or DELETE statement on a bank, question or version run through the session."""
    if (state.is_update or state.is_insert or state.is_delete) and any(
        m.class_ in _WATCHED for m in state.all_mappers
    ):
        state.session.info[_CHANGED] = True


@event.listens_for(Session, "before_commit")
def _replace_token(session: Session) -> None:
    """Replace the token as the transaction's last statement, when it changed the pool."""
    session.flush()  # the commit's own flush comes after this hook
    if session.info.pop(_CHANGED, False):
        session.execute(_REPLACE, {"token": secrets.token_hex(16)})
