"""Queueing a message (a row in the outbox and a `mail.send` job), and the outbox as the admin reads it."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.jobs import queue as jobs
from quizapp.mail import messages
from quizapp.models import Job, OutboxMessage, User

PER_PAGE = 50


def queue(
    to: str, subject: str, text: str, html: str, kind: str, user: User | None = None, headers: dict | None = None
) -> Job:
    """Add the message (with any extra headers) to the outbox and ask for its job (flushed; commit, then send)."""
    row = OutboxMessage(
        to=to,
        subject=subject,
        kind=kind,
        text_body=text,
        html_body=html,
        message_id=messages.new_message_id(current_app.config["MAIL_FROM"]),
        headers=dict(headers or {}),
    )
    db.session.add(row)
    db.session.flush()
    job, _new = jobs.request("mail.send", f"mail:{row.id}", {"outbox_id": row.id}, user)
    return job


def recent(page: int):
    """Return one page of the outbox, newest first."""
    stmt = select(OutboxMessage).order_by(OutboxMessage.id.desc())
    return db.paginate(stmt, page=page, per_page=PER_PAGE, error_out=False)


def transport_label() -> str:
    """Return where mail goes, without credentials: `console` or the server's scheme, host and port."""
    url = current_app.config["MAIL_URL"]
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}:{parts.port or ''}".rstrip(":") if parts.hostname else url
