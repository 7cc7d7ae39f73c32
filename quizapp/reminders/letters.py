"""The words of each reminder (pure): subject, plain text and HTML, each with its link and the unsubscribe link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from markupsafe import escape

from quizapp.numfmt import number
from quizapp.reminders import due


@dataclass(frozen=True)
class Letter:
    """A reminder ready for the outbox."""

    subject: str
    text: str
    html: str


def _when(kind: str, expires_on: date) -> tuple[str, str]:
    """Return (subject, opening sentence) for a card milestone."""
    day = f"{expires_on.day} {expires_on:%b %Y}"
    if kind == due.LAPSED:
        return "Your CPR card has lapsed", f"Your CPR card expired on {day}."
    days = kind.removeprefix("card-")
    return f"Your CPR card expires in {days} days", f"Your CPR card expires on {day}, in {days} days or fewer."


def card(name: str, course: str, kind: str, expires_on: date, check: tuple[str, str], stop: str) -> Letter:
    """Return a card reminder: when the card expires, the readiness check (title, link), how to stop these."""
    subject, opening = _when(kind, expires_on)
    title, link = check
    text = (
        f"Hello {name},\n\n{opening} ({course})\nBook your renewal course, and see where you stand first with "
        f"{title}:\n\n{link}\n\nThis is a self-assessment, not a certification.\n\n"
        f"Stop these reminders: {stop}\n"
    )
    html = (
        f"<p>Hello {escape(name)},</p><p>{escape(opening)} ({escape(course)})</p><p>Book your renewal course, and "
        f'see where you stand first with <a href="{escape(link)}">{escape(title)}</a>.</p>'
        "<p>This is a self-assessment, not a certification.</p>"
        f'<p><small><a href="{escape(stop)}">Stop these reminders</a></small></p>'
    )
    return Letter(subject, text, html)


def weakest_topics(favoured: list[tuple[str, float]]) -> str:
    """Return why the mixed practice is suggested: its favoured topics (label, latest percent), weakest first."""
    named = ", ".join(f"{label} ({number(score)}%)" for label, score in favoured)
    topics, them = ("topics", "them") if len(favoured) > 1 else ("topic", "it")
    return f"Your weakest {topics} last time: {named}. This short mix gives {them} more of its questions."


def practice(name: str, suggestion: tuple[str, str], reason: str, stop: str) -> Letter:
    """Return the practice reminder: what to practise (title, link) and why, how to stop these."""
    title, link = suggestion
    text = (
        f"Hello {name},\n\nCPR skills fade within months: a few minutes of practice every 90 days keeps them. "
        f"{reason}\n\n{title}: {link}\n\nStop these reminders: {stop}\n"
    )
    html = (
        f"<p>Hello {escape(name)},</p><p>CPR skills fade within months: a few minutes of practice every 90 days "
        f'keeps them. {escape(reason)}</p><p><a href="{escape(link)}">{escape(title)}</a></p>'
        f'<p><small><a href="{escape(stop)}">Stop these reminders</a></small></p>'
    )
    return Letter("Time for a few minutes of CPR practice", text, html)
