"""The request edge: the body limit is chosen and control characters refused once, before any view, form or query.

Every request body is capped by MAX_CONTENT_LENGTH (2 MB) except an author's bank import upload, capped by
IMPORT_MAX_BYTES: the limit must be set before the first hook reads the form, and a larger body is a 413.

A NUL byte cannot be stored in a PostgreSQL text column (psycopg raises, which was a 500), and the other C0
controls are never meaningful in a URL or a form field. Tab, CR and LF are allowed in query and form values, where
multi-line text (a question stem) needs them; the forms that must be single-line refuse them themselves.
"""

from __future__ import annotations

import re

from flask import Flask, current_app, request
from flask_login import current_user
from werkzeug.exceptions import BadRequest

from quizapp.models import Role

# Any C0 control: nothing in a path, a field name or a file name may contain one.
ANY_CONTROL = re.compile(r"[\x00-\x1f]")
# C0 controls other than tab, LF and CR: refused in values, where text may span lines.
TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
IMPORT_UPLOAD = "author.import_bank"  # the one endpoint with its own body limit
MESSAGE = (
    "The request contained a control character (such as a NUL byte) that cannot be part of a web address or a "
    "form field. Please remove it and try again."
)


class ControlCharacter(BadRequest):
    """A control character arrived in the path, the query string or a form."""

    description = MESSAGE


def register(app: Flask) -> None:
    """Check every request before the other hooks (CSRF, rate limits, sign-in) and every view."""
    app.before_request(body_limit)
    app.before_request(refuse_control_characters)


def body_limit() -> None:
    """Let an author's bank import upload be up to IMPORT_MAX_BYTES; every other body keeps MAX_CONTENT_LENGTH."""
    if request.method == "POST" and request.endpoint == IMPORT_UPLOAD and is_author():
        request.max_content_length = current_app.config["IMPORT_MAX_BYTES"]


def is_author() -> bool:
    """Whether a signed-in instructor or admin sent the request (anyone else keeps the small limit)."""
    return current_user.is_authenticated and current_user.role in (Role.INSTRUCTOR, Role.ADMIN)


def refuse_control_characters() -> None:
    """Raise 400 when the path, a query or form field's name or value, or an upload's name has a control."""
    if not request.query_string and not request.mimetype:  # no query, and a body with no type is not parsed as a form
        if ANY_CONTROL.search(request.path):
            raise ControlCharacter()
        return
    pairs = [*request.args.items(multi=True), *request.form.items(multi=True)]
    uploads = list(request.files.items(multi=True))
    names = [request.path, *(name for name, _ in pairs + uploads), *(upload.filename or "" for _, upload in uploads)]
    if any(ANY_CONTROL.search(name) for name in names) or any(TEXT_CONTROL.search(value) for _, value in pairs):
        raise ControlCharacter()
