"""Response headers and session identity checks that apply to every request."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Response, current_app, g, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from quizapp.accounts import session_user
from quizapp.config import DEV_SECRET, LOOPBACK
from quizapp.error_pages import render_error
from quizapp.extensions import db, limiter, login_manager
from quizapp.lti import framing
from quizapp.models import User
from quizapp.taking import open_sitting, starting

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)
# Sent with every response that has not set its own; production adds HSTS (served over HTTPS only).
HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)
PRODUCTION_HEADERS = (*HEADERS, ("Strict-Transport-Security", "max-age=63072000; includeSubDomains"))
# What someone signed in with a temporary password may reach before choosing their own.
OPEN_UNTIL_CHANGED = frozenset({"auth.password", "auth.logout", "static", "health.check"})
# The learner's hot requests read the signed-in user (a SessionUser, not the ORM's) and what their view needs by one
# select, left in `g` for the view: the question page the attempt and its saved slots, the save and the autosave the
# attempt (`views.attempt.open_or_404`; or what an earlier read in this worker kept of it, for the session's
# version), the start the quiz and the learner's attempts at it (`views.quiz.start`).
READ_WITH_USER = {
    "attempt.question": lambda args, uid, version: open_sitting.load_with_user(
        args["public_id"], uid, request.method == "GET", version
    ),
    "attempt.autosave": lambda args, uid, version: open_sitting.load_with_user(args["public_id"], uid, False, version),
    "quiz.start": lambda args, uid, version: starting.load_with_user(args["slug"], uid),
}


def register(app: Flask) -> None:
    """Install the user loader and the security headers."""
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)
    limiter.request_filter(unlimited)
    app.session_interface = framing.LtiSessionInterface()
    if app.config["SECRET_KEY"] == DEV_SECRET:
        app.before_request(local_only)
    app.before_request(require_own_password)
    app.after_request(add_headers)


def unlimited() -> bool:
    """Whether the limiter may skip this request: the learner's hot requests declare no limit (a test keeps it so)."""
    # Resolving that no limit applies was a twentieth of a question page's CPU (py-spy under gunicorn).
    return request.endpoint in READ_WITH_USER


def load_user(identity: str) -> User | session_user.SessionUser | None:
    """Load the session's user only if its session version is still current (logout ends every session).

    The learner's hot requests get a SessionUser read with what their view needs; every other page the ORM User.
    """
    user_id, _, version = identity.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    read = READ_WITH_USER.get(request.endpoint)
    if read is not None:
        user, found = read(request.view_args, int(user_id), int(version))
        g.read_with_user = (request.view_args, int(user_id), found)  # taken by the view: `taken_read`
    else:
        user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def afresh(view: Callable, **args) -> ResponseReturnValue:
    """Serve a hot request again from a fresh read, after what an earlier read kept no longer held for its save.

    Nothing was written (the save's one statement refused); the user is read again as at the start of a request, so
    an ended session is sent to sign in and anything else gets the answer a fresh read gives.
    """
    db.session.rollback()
    open_sitting.forget(args["public_id"], current_user.id)
    g.pop("read_with_user", None)
    login_manager._update_request_context_with_user(load_user(session["_user_id"]))  # current_user, read anew
    return require_own_password() or view(**args)


def taken_read(user_id: int) -> tuple[bool, object]:
    """Return (whether `load_user` read it, what it read with user `user_id`) for this request's view, once."""
    read = g.pop("read_with_user", None)
    if read is None or read[0] != request.view_args or read[1] != user_id:
        return False, None
    return True, read[2]


def require_own_password() -> Response | None:
    """Send someone signed in with a temporary password to choose their own, from every page."""
    if request.endpoint in OPEN_UNTIL_CHANGED or not current_user.is_authenticated:
        return None
    if current_user.password_expires_at is None:
        return None
    return redirect(url_for("auth.password"), code=303)


def add_headers(response: Response) -> Response:
    """Add the security headers to every response, error pages included, except those the view set itself."""
    ancestors = framing.frame_ancestors()
    if ancestors:
        # A session a platform launched is shown inside the platform's iframe, and only there.
        wanted = [("Content-Security-Policy", CSP.replace("frame-ancestors 'none'", f"frame-ancestors {ancestors}"))]
    else:
        wanted = [("Content-Security-Policy", CSP), ("X-Frame-Options", "DENY")]
    wanted += PRODUCTION_HEADERS if current_app.config["QUIZAPP_ENV"] == "production" else HEADERS
    present = {name.lower() for name, _ in response.headers}
    response.headers.extend([(name, value) for name, value in wanted if name.lower() not in present])
    if is_personal(response):
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
    return response


def is_personal(response: Response) -> bool:
    """Whether a response was made for a signed-in session (static files and content-addressed images are not)."""
    # The session's user id, not current_user: reading that after the view committed would reload the user.
    return request.endpoint not in ("static", "media.show") and "_user_id" in session


def local_only():
    """Serve the published development key only to this machine: anyone else could forge its session cookies."""
    if request.remote_addr not in LOOPBACK:
        return render_error(403, "This development server answers only on this machine; set SECRET_KEY to serve more.")
    return None
