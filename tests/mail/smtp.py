"""A real SMTP server (aiosmtpd) on loopback in a thread: it keeps what arrives, or answers with a chosen reply."""

from __future__ import annotations

import contextlib
import email
import email.policy
from collections.abc import Iterator
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class Inbox:
    """The aiosmtpd handler: keeps each message received; `reply` set to e.g. "451 ..." answers DATA with it."""

    def __init__(self):
        """Start empty, accepting everything."""
        self.received: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.reply: str | None = None

    async def handle_DATA(self, server, session, envelope) -> str:
        """Keep the message (parsed as the standard library reads mail) unless told to refuse it."""
        if self.reply:
            return self.reply
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.received.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


class LoopbackController(Controller):
    """aiosmtpd's controller on 127.0.0.1, port 0 (the system picks a free one), reporting the port it got."""

    def _trigger_server(self):
        """Learn the bound port before aiosmtpd's own readiness check connects to it."""
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@contextlib.contextmanager
def running(inbox: Inbox | None = None) -> Iterator[tuple[Inbox, str]]:
    """Run the server for the block (with the handler given, else a new Inbox); yield it and the MAIL_URL."""
    inbox = inbox or Inbox()
    controller = LoopbackController(inbox, hostname="127.0.0.1", port=0)
    controller.start()
    try:
        yield inbox, f"smtp://127.0.0.1:{controller.port}"
    finally:
        controller.stop()
