"""Which reminder is due on a day (pure): the card's milestones and the practice interval."""

from __future__ import annotations

from datetime import date, timedelta

MILESTONES = (90, 30, 7)  # days before the card's expiry date
LAPSED = "card-lapsed"
PRACTICE = "practice"
PRACTICE_EVERY = timedelta(days=90)
# A lapse is told once, soon after: a card recorded long after it lapsed gets no mail about it.
LAPSE_TOLD_FOR = timedelta(days=30)


def card_kind(days: int) -> str:
    """Return the reminder kind of a milestone, e.g. card-30."""
    return f"card-{days}"


def card_milestone(expires_on: date, today: date) -> str | None:
    """Return the one card reminder due today (the nearest milestone passed), or None.

    The card is valid through its expiry date, so it has lapsed the day after. Only the nearest milestone is due:
    a card recorded 20 days before its expiry gets the 30-day reminder, never the 90-day one after it.
    """
    left = (expires_on - today).days
    if left < 0:
        return LAPSED if today - expires_on <= LAPSE_TOLD_FOR else None
    passed = [days for days in MILESTONES if left <= days]
    return card_kind(min(passed)) if passed else None


def practice_due(last_result: date | None, last_reminder: date | None, today: date) -> date | None:
    """Return the day a practice reminder fell due (90 days after the later of the last result and reminder), or None.

    Without a result there is nothing to practise from yet. The day returned is the reminder's key: the same day
    however often the scan runs, the next one 90 days later.
    """
    if last_result is None:
        return None
    due_on = max(last_result, last_reminder or last_result) + PRACTICE_EVERY
    return due_on if due_on <= today else None
