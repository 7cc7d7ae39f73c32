"""User accounts and roles."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from quizapp.accounts import identity
from quizapp.clock import now
from quizapp.extensions import db

# A password_hash starting with this is no hash: the account has no password (a platform signs it in).
NO_PASSWORD_MARK = "!"  # noqa: S105 - a marker, not a password


class Role(enum.StrEnum):
    """What a user may do: learners take quizzes, instructors author, admins manage."""

    LEARNER = "learner"
    INSTRUCTOR = "instructor"
    ADMIN = "admin"


class SignedIn(UserMixin):
    """What flask-login and the pages ask of a signed-in user, from its id, session version, active flag and role."""

    def get_id(self) -> str:
        """Return the session identity: id and session version, so old sessions stop working."""
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        """Deactivated users cannot sign in."""
        return self.active

    @property
    def can_author(self) -> bool:
        """Instructors and admins may author banks and quizzes."""
        return self.role in (Role.INSTRUCTOR, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        """Admins manage users and exports."""
        return self.role == Role.ADMIN


class User(SignedIn, db.Model):
    """A person who signs in."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(20), default=Role.LEARNER)
    active: Mapped[bool] = mapped_column(default=True)
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=now)
    last_login_at: Mapped[datetime | None]
    # Set while the password is a temporary one an admin gave: it must be changed at sign-in, and fails after this.
    password_expires_at: Mapped[datetime | None]
    # When the address was proved by a link sent to it; reminders go only to verified addresses.
    email_verified_at: Mapped[datetime | None]

    @staticmethod
    def normalise_email(email: str) -> str:
        """Return the NFKC, case-folded, trimmed form under which emails are unique."""
        return identity.normalise_email(email)

    def set_password(self, password: str) -> None:
        """Hash and store a new password, ending every other session."""
        self.password_hash = generate_password_hash(password)
        self.session_version = (self.session_version or 0) + 1

    def check_password(self, password: str) -> bool:
        """Return whether the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    @property
    def has_password(self) -> bool:
        """Whether the account signs in with a password (a platform-launched one holds a '!' marker, no hash)."""
        return not self.password_hash.startswith(NO_PASSWORD_MARK)

