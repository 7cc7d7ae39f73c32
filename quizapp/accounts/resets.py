"""Self-service password reset: a single-use link by e-mail, valid for an hour, void after any password change.

The token (256 random bits) is only in the e-mail; the database keeps its SHA-256, so a copy of the database opens
no account. Asking for a link answers the same whether the address has an account or not.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta

from markupsafe import escape
from sqlalchemy import select, update

from quizapp import clock
from quizapp.accounts import users
from quizapp.errors import DomainError
from quizapp.extensions import db
from quizapp.mail import outbox
from quizapp.models import Job, PasswordReset, User

VALID_FOR = timedelta(hours=1)
USED = "This link was used a moment ago, or the password was changed since it was sent."
TOKEN_BYTES = 32


class LinkUsed(DomainError):
    """The link was used, or its password changed, between showing the form and setting the password."""


def digest(text: str) -> str:
    """Return the SHA-256 of a token or password hash, in hex."""
    return hashlib.sha256(text.encode()).hexdigest()


def request_link(email: str, link_for: Callable[[str], str]) -> Job | None:
    """Make a reset link for an active account and queue its e-mail (flushed); None, and nothing sent, otherwise."""
    user = users.by_email(email)
    if user is None or not user.active:
        return None
    token = secrets.token_urlsafe(TOKEN_BYTES)
    moment = clock.now()
    db.session.add(
        PasswordReset(
            user_id=user.id,
            token_hash=digest(token),
            password_fingerprint=digest(user.password_hash),
            created_at=moment,
            expires_at=moment + VALID_FOR,
        )
    )
    link = link_for(token)
    text, html = message_bodies(user, link)
    return outbox.queue(user.email, "Reset your CPR quiz password", text, html, "password_reset", user)


def message_bodies(user: User, link: str) -> tuple[str, str]:
    """Return the plain-text and HTML bodies of the reset e-mail."""
    text = (
        f"Hello {user.display_name},\n\nSomeone (we hope you) asked to reset the password of your CPR quiz account.\n"
        f"Choose a new password here (the link works once, for one hour):\n\n{link}\n\n"
        "If you did not ask, ignore this message: your password stays as it is.\n"
    )
    html = (
        f"<p>Hello {escape(user.display_name)},</p><p>Someone (we hope you) asked to reset the password of your CPR "
        f'quiz account.</p><p><a href="{escape(link)}">Choose a new password</a> (the link works once, for one '
        "hour).</p><p>If you did not ask, ignore this message: your password stays as it is.</p>"
    )
    return text, html


def valid(token: str) -> PasswordReset | None:
    """Return the reset for this token if it is unused, unexpired, its account active and its password unchanged."""
    reset = db.session.scalar(select(PasswordReset).where(PasswordReset.token_hash == digest(token)))
    if reset is None or reset.used_at is not None or reset.expires_at <= clock.now():
        return None
    user = db.session.get(User, reset.user_id)
    if user is None or not user.active or digest(user.password_hash) != reset.password_fingerprint:
        return None
    return reset


def complete(reset: PasswordReset, password: str) -> User:
    """Use up the link, then set the new password; every session of the account ends (flushed).

    The link is claimed by one conditional UPDATE, so of two simultaneous uses exactly one changes the password: the
    other's UPDATE waits for the first to commit and then matches no row. The account row is then locked and its
    password compared with the one the link was made for, so two different links cannot both change it either.
    """
    moment = clock.now()
    claim = (
        update(PasswordReset)
        .where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None), PasswordReset.expires_at > moment)
        .values(used_at=moment)
        .execution_options(synchronize_session=False)
    )
    if db.session.execute(claim).rowcount != 1:
        raise LinkUsed(USED)
    user = db.session.get(User, reset.user_id, with_for_update=True, populate_existing=True)
    if digest(user.password_hash) != reset.password_fingerprint:
        raise LinkUsed(USED)
    users.change_password(user, password)
    db.session.flush()
    db.session.refresh(reset)
    return user
