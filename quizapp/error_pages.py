"""Error pages: clear messages, no tracebacks, the session rolled back."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from quizapp.banks.formats.file_errors import BankFileError
from quizapp.edge import ControlCharacter
from quizapp.extensions import db
from quizapp.taking import pending

MESSAGES = {
    400: "The request could not be understood.",
    403: "You do not have permission to see this page.",
    404: "We could not find that page.",
    405: "That action is not allowed here.",
    413: "That upload is too large.",
    429: "Too many attempts. Please wait a minute and try again.",
    500: "Something went wrong on our side. Your saved answers are safe; please try again.",
    503: "The service is briefly unavailable. Your saved answers are safe; please try again in a few seconds.",
}
RETRY_AFTER_SECONDS = 5


def register(app: Flask) -> None:
    """Install the error handlers."""
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(BankFileError, rules_unavailable)
    app.register_error_handler(OperationalError, database_unavailable)
    app.register_error_handler(413, too_large)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(Exception, server_error)


def wants_json() -> bool:
    """Whether the client asked for JSON (autosave and API calls)."""
    return request.accept_mimetypes.best == "application/json" or request.is_json


def render_error(code: int, message: str | None = None):
    """Render an error as JSON or as a page."""
    message = message or MESSAGES.get(code, "The request could not be completed.")
    if wants_json():
        return jsonify(error=message), code
    return render_template("errors/error.html", code=code, message=message), code


def from_elsewhere() -> bool:
    """Whether the browser says another site sent this request (Fetch metadata, else the Origin header)."""
    site = request.headers.get("Sec-Fetch-Site")
    if site:
        return site not in ("same-origin", "none")
    origin = request.headers.get("Origin")
    return origin is not None and urlsplit(origin).netloc != request.host


def csrf_error(exc: CSRFError):
    """An expired or missing form token: send the person back to the page, never a bare 400."""
    db.session.rollback()
    message = "Your session expired before that was saved. Please check the page and send it again."
    if wants_json():
        return jsonify(error=message, reload=True), 400
    if from_elsewhere() or request.endpoint == "auth.logout":
        # The browser sends no cookie with another site's POST: a message in a new session would replace (and so
        # end) the real one. A logout without a valid session has nothing to say either.
        return redirect(url_for("catalog.index"), code=303)
    if request.method == "POST" and pending.stash(request.path, request.form):
        message = (
            "Your session expired before your answer was saved. We kept it on the question page: save it from there."
        )
    flash(message, "warning")
    return redirect(request.path if request.method == "POST" else "/", code=303)


def rules_unavailable(exc: BankFileError):
    """A data file the page needs (the track rules) is invalid: say so, log it, never a traceback."""
    db.session.rollback()
    current_app.logger.error("data file invalid: %s", exc)
    return render_error(503, "Course recommendations are unavailable right now. Please try again later.")


def http_error(exc: HTTPException):
    """Render an HTTP error with a friendly message."""
    db.session.rollback()
    return render_error(exc.code or 500, own_message(exc) or MESSAGES.get(exc.code or 500))


def too_large(exc: HTTPException):
    """A body over this route's limit (the bank import upload has its own): say the limit; nothing was read."""
    db.session.rollback()
    megabytes = (request.max_content_length or 0) // (1024 * 1024)
    return render_error(413, f"{MESSAGES[413]} This page accepts at most {megabytes} MB.")


def own_message(exc: HTTPException) -> str | None:
    """Return the message an error was raised with when it was written for people (the edge, a sign-in limit)."""
    if isinstance(exc, ControlCharacter) or (isinstance(exc, RateLimitExceeded) and exc.limit.error_message):
        return exc.description
    return None


def server_error(exc: Exception):
    """Log the failure, roll back, and show a page without a traceback."""
    db.session.rollback()
    current_app.logger.exception("unhandled error")
    return render_error(500)


def database_unavailable(exc: OperationalError):
    """A lost database connection (restart, failover, killed backend) or a refused lock: 503, retry shortly."""
    db.session.rollback()  # an invalidated connection rolls back without error and is not reused
    current_app.logger.exception("database unavailable (connection lost: %s)", exc.connection_invalidated)
    body, code = render_error(503)
    return body, code, {"Retry-After": str(RETRY_AFTER_SECONDS)}
