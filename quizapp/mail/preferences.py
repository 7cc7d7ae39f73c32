"""What a learner wants by e-mail, and the signed one-click unsubscribe link (RFC 8058) on every reminder.

The link carries the user id and the list, signed with SECRET_KEY: it needs no sign-in and no expiry (an old
reminder's link must still work), and it can do one thing only, turn that list off for that user.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from quizapp.extensions import db
from quizapp.models import MailPreference, User

LISTS = {"reminders": "card expiry reminders", "practice": "practice reminders"}
SALT = "quizapp.unsubscribe"


def of(user: User) -> MailPreference:
    """Return the user's preferences (the defaults, not stored, when they never chose)."""
    return db.session.get(MailPreference, user.id) or MailPreference(user_id=user.id, reminders=True, practice=False)


def choose(user: User, reminders: bool, practice: bool) -> MailPreference:
    """Store the user's choices (flushed)."""
    row = db.session.get(MailPreference, user.id)
    if row is None:
        row = MailPreference(user_id=user.id)
        db.session.add(row)
    row.reminders, row.practice = reminders, practice
    db.session.flush()
    return row


def _serializer() -> URLSafeSerializer:
    """Return the signer of unsubscribe tokens."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token(user: User, name: str) -> str:
    """Return the signed token that unsubscribes this user from one list."""
    return _serializer().dumps([user.id, name])


def read(signed: str) -> tuple[User, str] | None:
    """Return the user and list a token names, or None for a forged, altered or stale one."""
    try:
        user_id, name = _serializer().loads(signed)
    except (BadSignature, TypeError, ValueError):
        return None
    if not isinstance(user_id, int) or not isinstance(name, str) or name not in LISTS:
        return None
    user = db.session.get(User, user_id)
    return (user, name) if user is not None else None


def unsubscribe(user: User, name: str) -> None:
    """Turn one list off for the user, keeping the other choice (flushed)."""
    current = of(user)
    choose(user, current.reminders and name != "reminders", current.practice and name != "practice")


def headers(link: str) -> dict:
    """Return the List-Unsubscribe headers of RFC 8058: the HTTPS link and the one-click POST marker."""
    return {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
