"""The signed-in user as the learner's hot requests read it: the few columns they use, by one Core select."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select

from quizapp.extensions import db
from quizapp.models.user import NO_PASSWORD_MARK, SignedIn, User

# The attempt start, the question page, the answer save and the autosave (`security.READ_WITH_USER`): they and the
# pages around them (base.html, the temporary password check) read only these fields, and pass the user on only for
# its id. Every other page gets the ORM User.
_USER = User.__table__
COLUMNS = (_USER.c.role, _USER.c.active, _USER.c.session_version, _USER.c.password_hash, _USER.c.password_expires_at)
_READ = select(*COLUMNS).where(_USER.c.id == bindparam("id"))


@dataclass(frozen=True, eq=False)
class SessionUser(SignedIn):
    """A signed-in user without the ORM: identity, role, session version and the password state."""

    id: int
    role: str
    active: bool
    session_version: int
    has_password: bool
    password_expires_at: datetime | None


def load(user_id: int) -> SessionUser | None:
    """Return the user `user_id` as a SessionUser, or None when there is none."""
    row = db.session.connection().execute(_READ, {"id": user_id}).first()
    return None if row is None else from_row(user_id, row)


def from_row(user_id: int, row) -> SessionUser:
    """Return the SessionUser of a row holding `COLUMNS`."""
    has_password = not row.password_hash.startswith(NO_PASSWORD_MARK)
    return SessionUser(user_id, row.role, bool(row.active), row.session_version, has_password, row.password_expires_at)
