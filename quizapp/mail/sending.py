"""The `mail.send` job: send one outbox message unless it is already sent, so a job that runs twice sends once.

A worker that dies after the server accepted the message but before the row says `sent` sends it again on
redelivery (SMTP offers nothing better); the same Message-ID lets mail readers fold the twin.
"""

from __future__ import annotations

from flask import current_app

from quizapp.clock import now
from quizapp.errors import DomainError, Transient
from quizapp.extensions import db
from quizapp.mail import messages, transport
from quizapp.models import MailStatus, OutboxMessage


def send_job(params: dict, progress) -> str:
    """Send the outbox message `outbox_id` (the `mail.send` job); keep every try and its error on the row."""
    row = db.session.get(OutboxMessage, params["outbox_id"])
    if row is None:
        raise DomainError("The message to send no longer exists.")
    reference = f"outbox:{row.id}"
    if row.status == MailStatus.SENT:
        return reference
    row.tries += 1
    config = current_app.config
    message = messages.build(
        config["MAIL_FROM"], row.to, row.subject, row.text_body, row.html_body, row.message_id, row.created_at,
        row.headers,
    )
    try:
        transport.deliver(config["MAIL_URL"], message)
    except (Transient, DomainError) as exc:
        row.last_error = str(exc)
        if isinstance(exc, DomainError):
            row.status = MailStatus.FAILED
        db.session.commit()  # keep the try and its error, whatever happens to the job
        raise
    row.status, row.sent_at, row.last_error = MailStatus.SENT, now(), ""
    return reference
