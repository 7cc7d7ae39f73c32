"""Handing a message to the mail server named by MAIL_URL, or to the log in development (`console`).

smtp://user:pass@host:587 upgrades with STARTTLS (required, except to a relay on this machine); smtps://host:465
uses implicit TLS. A 4xx reply or a lost connection is Transient (the job retries with backoff); a 5xx reply is a
DomainError (the job fails visibly).
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from quizapp.errors import DomainError, Transient

CONSOLE = "console"
SCHEMES = {"smtp": 587, "smtps": 465}
LOOPBACK = ("127.0.0.1", "::1", "localhost")
TIMEOUT = 30
log = logging.getLogger(__name__)


def check_url(url: str) -> None:
    """Raise DomainError when MAIL_URL is neither `console` nor an smtp:// or smtps:// URL with a host."""
    if url == CONSOLE:
        return
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise DomainError("MAIL_URL must be console, smtp://user:pass@host:587 or smtps://user:pass@host:465.")


def deliver(url: str, message: EmailMessage) -> None:
    """Send the message through MAIL_URL (or print it to the log for `console`)."""
    check_url(url)
    if url == CONSOLE:
        log.info("mail (console, not sent):\n%s", message.as_string())
        return
    try:
        with _connect(urlsplit(url)) as smtp:
            smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        code, reply = next(iter(exc.recipients.values()))
        raise _refusal(code, reply) from exc
    except smtplib.SMTPResponseException as exc:
        raise _refusal(exc.smtp_code, exc.smtp_error) from exc
    except (smtplib.SMTPException, OSError) as exc:  # disconnects, refused connections, timeouts, TLS failures
        raise Transient(f"The mail server could not be reached: {exc}") from exc


def _connect(parts) -> smtplib.SMTP:
    """Open an authenticated connection: implicit TLS for smtps, STARTTLS for smtp (plain only to loopback)."""
    context = ssl.create_default_context()
    port = parts.port or SCHEMES[parts.scheme]
    if parts.scheme == "smtps":
        smtp = smtplib.SMTP_SSL(parts.hostname, port, timeout=TIMEOUT, context=context)
    else:
        smtp = smtplib.SMTP(parts.hostname, port, timeout=TIMEOUT)
        smtp.ehlo()
        if smtp.has_extn("starttls"):
            smtp.starttls(context=context)
            smtp.ehlo()
        elif parts.hostname not in LOOPBACK:
            smtp.close()
            raise DomainError(f"The mail server {parts.hostname} does not offer STARTTLS; use smtps:// or fix it.")
    if parts.username:
        smtp.login(unquote(parts.username), unquote(parts.password or ""))
    return smtp


def _refusal(code: int, reply: bytes | str) -> Exception:
    """Turn an SMTP reply into Transient (4xx: try later) or DomainError (5xx: refused for good)."""
    text = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
    if 400 <= code < 500:
        return Transient(f"The mail server asked to try later: {code} {text}")
    return DomainError(f"The mail server refused the message: {code} {text}")
