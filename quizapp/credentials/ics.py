"""An iCalendar (RFC 5545) file for a card's renewal date: escaped text, CRLF lines folded at 75 octets (pure)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta

LIMIT = 75  # octets per line, CRLF excluded (RFC 5545 section 3.1)
ALARM_DAYS = (90, 30, 7)


@dataclass(frozen=True)
class Renewal:
    """What the calendar event says: whose card (a stable seed, never the e-mail), which card, until when."""

    seed: str
    course: str
    provider: str
    expires_on: date
    stamp: datetime
    link: str
    host: str


def escape(text: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and line breaks (section 3.3.11)."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold one content line into CRLF-joined pieces of at most 75 octets, never splitting a UTF-8 character."""
    pieces, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        room = LIMIT if not pieces else LIMIT - 1  # a continuation line starts with one space
        if size + width > room:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def uid(renewal: Renewal) -> str:
    """Return the event's UID: the same for the same card and expiry, so re-importing updates the event."""
    digest = hashlib.sha256(f"{renewal.seed}|{renewal.expires_on.isoformat()}".encode()).hexdigest()[:32]
    return f"card-renewal-{digest}@{renewal.host}"


def calendar(renewal: Renewal) -> bytes:
    """Return the VCALENDAR with one all-day event on the card's last valid day and reminders before it."""
    day = renewal.expires_on
    summary = f"Last valid day of your {renewal.course} card from {renewal.provider}"
    about = (
        f"Your {renewal.course} card from {renewal.provider} is valid through {day:%d %B %Y}. "
        f"Book a renewal course before then; check your readiness first: {renewal.link}"
    )
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//quizapp//CPR card renewal//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uid(renewal)}",
        f"DTSTAMP:{renewal.stamp:%Y%m%dT%H%M%S}Z",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{escape(summary)}",
        f"DESCRIPTION:{escape(about)}",
        f"URL:{renewal.link}",
        "TRANSP:TRANSPARENT",
    ]
    for days in ALARM_DAYS:
        note = escape(f"{renewal.course} card: {days} days left to renew")
        lines += ["BEGIN:VALARM", "ACTION:DISPLAY", f"DESCRIPTION:{note}", f"TRIGGER:-P{days}D", "END:VALARM"]
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines).encode("utf-8")
