"""Admin: the outbox, every message the app sent or tried to send, with its state, tries and last error."""

from __future__ import annotations

from flask import abort, render_template, request

from quizapp.extensions import db
from quizapp.mail import outbox as mail
from quizapp.models import OutboxMessage
from quizapp.views.admin.blueprint import bp


@bp.get("/outbox")
def outbox():
    """List the outbox, newest first (in development, where mail goes to the console, this is where it is read)."""
    page = mail.recent(request.args.get("page", 1, type=int))
    return render_template("admin/outbox.html", page=page, mail_url=mail.transport_label())


@bp.get("/outbox/<int:message_id>")
def outbox_message(message_id: int):
    """Show one message as it was sent: headers, the plain-text part and the HTML part as source."""
    message = db.session.get(OutboxMessage, message_id) or abort(404)
    return render_template("admin/outbox_message.html", message=message)

