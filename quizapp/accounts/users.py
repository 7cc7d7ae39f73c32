"""Accounts: registration, authentication and creation by administrators."""

from __future__ import annotations

import secrets

from flask import current_app
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from quizapp import clock
from quizapp.accounts import identity
from quizapp.accounts.passwords import weakness
from quizapp.errors import DomainError
from quizapp.extensions import db
from quizapp.models import Role, User

# A fixed hash to check against when the email is unknown, so both failures take the same time.
_DUMMY = User(password_hash="scrypt:32768:8:1$0123456789abcdef$" + "0" * 128)


class EmailTaken(DomainError):
    """Another account already uses this email."""


class PasswordExpired(DomainError):
    """The right password, but a temporary one past its expiry."""


def by_email(email: str) -> User | None:
    """Find a user by email, case-insensitively."""
    return db.session.execute(select(User).where(User.email == User.normalise_email(email))).scalar_one_or_none()


def register(email: str, display_name: str, password: str, role: Role = Role.LEARNER) -> User:
    """Create an account (for administrators and the CLI: a taken address is said so); the caller commits."""
    problem = identity.email_problem(email) or identity.name_problem(display_name)
    if problem:
        raise DomainError(problem)
    if by_email(email) is not None:
        raise EmailTaken("An account with this email already exists. Sign in instead.")
    user = User(email=User.normalise_email(email), display_name=display_name.strip(), role=role)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def sign_up(email: str, display_name: str, password: str) -> User | None:
    """Create a learner account for a free address; for a taken one change nothing, log it and return None."""
    # Both take the same work (a lookup and a password hash), so neither the answer nor its timing tells whether
    # the address has an account.
    try:
        return register(email, display_name, password)
    except EmailTaken:
        generate_password_hash(password)
    # Once e-mail exists, the owner is told here that someone tried to sign up with their address.
    current_app.logger.warning("sign-up with the address of account %s: nothing changed", by_email(email).id)
    return None


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with these credentials; unknown email and wrong password look the same."""
    user = by_email(email)
    if user is None:
        _DUMMY.check_password(password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    # Only the holder of the right temporary password learns that it expired.
    if user.password_expires_at is not None and user.password_expires_at <= clock.now():
        raise PasswordExpired("This temporary password has expired. Ask an administrator for a new one.")
    user.last_login_at = clock.now()
    return user


def change_password(user: User, password: str) -> None:
    """Set a new password of the user's own choosing; the session version moves on, so every existing session ends."""
    user.set_password(password)
    user.password_expires_at = None


def end_other_sessions(user: User) -> None:
    """Invalidate every session of this user (logout everywhere)."""
    user.session_version += 1


def generated_password() -> str:
    """Return a random password that passes the policy."""
    while True:
        candidate = secrets.token_urlsafe(12)
        if weakness(candidate) is None:
            return candidate
