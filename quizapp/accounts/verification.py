"""E-mail verification: a single-use link sent at sign-up (and on request), valid for two days, stored hashed.

Learners take quizzes before verifying; only reminders wait for a verified address. A link proves the address it
was sent to: it does nothing once the account's address is another.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta

from markupsafe import escape
from sqlalchemy import select, update

from quizapp import clock
from quizapp.accounts.resets import TOKEN_BYTES, digest
from quizapp.extensions import db
from quizapp.mail import outbox
from quizapp.models import EmailVerification, Job, User

VALID_FOR = timedelta(days=2)
KIND = "verify_email"


def request_link(user: User, link_for: Callable[[str], str]) -> Job | None:
    """Make a new link for an unverified active account and queue its e-mail (flushed); None when not needed."""
    if user.email_verified_at is not None or not user.active:
        return None
    token = secrets.token_urlsafe(TOKEN_BYTES)
    moment = clock.now()
    db.session.add(
        EmailVerification(
            user_id=user.id, token_hash=digest(token), email=user.email, created_at=moment,
            expires_at=moment + VALID_FOR,
        )
    )
    text, html = message_bodies(user, link_for(token))
    return outbox.queue(user.email, "Confirm your e-mail address for the CPR quiz", text, html, KIND, user)


def message_bodies(user: User, link: str) -> tuple[str, str]:
    """Return the plain-text and HTML bodies of the verification e-mail."""
    text = (
        f"Hello {user.display_name},\n\nPlease confirm that this is your address (the link works once, for two "
        f"days):\n\n{link}\n\nYou can take quizzes without it; reminders before your CPR card expires are only "
        "sent to a confirmed address.\nIf you did not create an account, ignore this message.\n"
    )
    html = (
        f"<p>Hello {escape(user.display_name)},</p><p><a href=\"{escape(link)}\">Confirm that this is your "
        "address</a> (the link works once, for two days).</p><p>You can take quizzes without it; reminders before "
        "your CPR card expires are only sent to a confirmed address.</p><p>If you did not create an account, "
        "ignore this message.</p>"
    )
    return text, html


def confirm(token: str) -> User | None:
    """Verify the address the token was sent to and use the link up; None for an unknown, used or expired link.

    The link is claimed by a conditional UPDATE, so two clicks at the same moment verify once.
    """
    found = db.session.scalar(select(EmailVerification).where(EmailVerification.token_hash == digest(token)))
    moment = clock.now()
    if found is None or found.used_at is not None or found.expires_at <= moment:
        return None
    user = db.session.get(User, found.user_id)
    if user is None or not user.active or user.email != found.email:
        return None
    claimed = db.session.execute(
        update(EmailVerification)
        .where(EmailVerification.id == found.id, EmailVerification.used_at.is_(None))
        .values(used_at=moment)
    )
    if claimed.rowcount != 1:
        return None
    user.email_verified_at = user.email_verified_at or moment
    db.session.flush()
    return user
