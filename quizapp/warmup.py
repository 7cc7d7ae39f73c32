"""Warming gunicorn's master before it forks: every worker is born with what its first requests would build."""

from __future__ import annotations

import gc

from flask import Flask
from sqlalchemy import Text, cast, select
from sqlalchemy.exc import SQLAlchemyError

from quizapp import timefmt
from quizapp.banks.formats.file_errors import BankFileError
from quizapp.extensions import db
from quizapp.models import Quiz, stamp
from quizapp.recommendation import stored
from quizapp.taking.drawing import pool
from quizapp.taking.open_sitting import spec_of

WARMED = "quizapp.warmed"


def before_fork(app: Flask) -> str | None:
    """Compile every template, read the track rules, the time zones and the published quizzes' pools; freeze them.

    Once per loaded app (gunicorn loads it again on a reload): each worker did this on its own first requests.
    Returns what was warmed, for the server's log (None when this app was warmed already).
    """
    if app.extensions.get(WARMED):
        return None
    templates = app.jinja_env.list_templates()
    for name in templates:
        app.jinja_env.get_template(name)
    timefmt.known_zone("UTC")
    with app.app_context():
        rules = "the track rules"
        try:
            stored.rules()
        except BankFileError:
            rules = "no track rules (unreadable)"
            app.logger.exception("track rules unreadable; workers will report it on the pages that need them")
        try:
            quizzes = _published_pools()
        except (SQLAlchemyError, ValueError):
            quizzes = 0
            app.logger.exception("quizzes unreadable at start; each worker will read the pools it draws from")
        finally:
            db.session.remove()
            db.engine.dispose()  # no connection of the master's is shared with a worker
    # Kept out of the collector's passes, the master's objects stay in pages the workers share (copy-on-write).
    gc.freeze()
    app.extensions[WARMED] = True
    return f"warmed before forking: {len(templates)} templates, {rules}, {quizzes} published quizzes' pools"


def _published_pools() -> int:
    """Parse each published quiz's settings and prepare the pool it draws from, under the current pool stamp."""
    rows = db.session.execute(
        select(cast(Quiz.settings, Text), stamp.token()).where(Quiz.published.is_(True))
    ).all()
    for settings, pool_stamp in rows:
        pool.prepared(spec_of(settings).draw, pool_stamp)
    return len(rows)
