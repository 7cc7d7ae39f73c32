"""An answer that arrived with an expired session or form token, kept so the learner does not lose it."""

from __future__ import annotations

import re

from flask import session
from werkzeug.datastructures import MultiDict

KEY = "pending_answer"
QUESTION_PATH = re.compile(r"^/attempts/[A-Za-z0-9_-]{1,64}/questions/\d{1,4}$")
MAX_VALUES = 50


def stash(path: str, form: MultiDict) -> bool:
    """Keep the posted answer for the question page at `path`; return whether it was a question page."""
    if not QUESTION_PATH.match(path):
        return False
    values = [(k, v[:200]) for k, v in form.items(multi=True) if k not in ("csrf_token", "go")][:MAX_VALUES]
    session[KEY] = {"path": path, "values": values}
    return True


def take(path: str) -> MultiDict | None:
    """Return (and forget) the kept answer for this question page, if any."""
    pending = session.get(KEY)
    if not pending or pending.get("path") != path:
        return None
    session.pop(KEY, None)
    return MultiDict([tuple(pair) for pair in pending["values"]])


def carry_over() -> dict | None:
    """Return the kept answer so it can survive the session reset at sign-in."""
    return session.get(KEY)


def restore(pending: dict | None) -> None:
    """Put a carried-over answer back into the new session."""
    if pending:
        session[KEY] = pending
