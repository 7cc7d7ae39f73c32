"""Building a message (pure): plain-text and HTML parts, sender, recipient, Message-ID and Date headers."""

from __future__ import annotations

from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid


def new_message_id(sender: str) -> str:
    """Return a fresh Message-ID in the sender's domain (kept in the outbox row, so every try carries the same)."""
    domain = sender.rpartition("@")[2].strip(" >") or "localhost"
    return make_msgid(domain=domain)


def build(
    sender: str, to: str, subject: str, text: str, html: str, message_id: str, at: datetime, extra: dict | None = None
) -> EmailMessage:
    """Return the message: a multipart/alternative with the plain-text part first, as mail readers expect."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message["Message-ID"] = message_id
    message["Date"] = format_datetime(at.replace(tzinfo=UTC) if at.tzinfo is None else at)
    for name, value in (extra or {}).items():
        message[name] = value
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message
