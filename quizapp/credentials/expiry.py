"""When a CPR card expires, as its provider counts, and how many days it has left in the learner's zone (pure)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from quizapp.timefmt import known_zone

COURSES = {
    "bls-provider": "BLS Provider",
    "heartsaver-cpr-aed": "Heartsaver CPR AED",
    "heartsaver-first-aid-cpr-aed": "Heartsaver First Aid CPR AED",
    "other": "Another course",
}
PROVIDERS = {
    "aha": "American Heart Association (AHA)",
    "red-cross": "American Red Cross",
    "erc": "European Resuscitation Council (ERC)",
    "other": "Another provider",
}
# How each provider counts, in words the card form and docs/credentials.md show.
RULES = {
    "aha": "AHA cards are valid for 2 years, through the end of the month they were issued in.",
    "red-cross": "Red Cross certificates are valid for 2 years: we count to the same date 2 years after the issue.",
    "erc": "ERC provider certificates are valid for 3 years from the day of issue.",
    "other": "For other providers we assume 2 years from the day of issue; if your card differs, enter its date.",
}
EARLIEST_YEAR = 1990
YEARS = {"aha": 2, "red-cross": 2, "erc": 3, "other": 2}


def add_years(day: date, years: int) -> date:
    """Return the same calendar date `years` later; 29 February becomes 28 February in a common year."""
    year = day.year + years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def month_end(day: date) -> date:
    """Return the last day of the month `day` falls in."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def computed_expiry(provider: str, issued: date) -> date:
    """Return the last valid day of a card from `provider` issued on `issued` (AHA: through the month's end)."""
    later = add_years(issued, YEARS.get(provider, YEARS["other"]))
    return month_end(later) if provider == "aha" else later


def local_date(moment: datetime, zone: str | None) -> date:
    """Return the date of `moment` (naive UTC) in the learner's zone, or in UTC when the zone is unknown."""
    known = known_zone(zone)
    return moment.replace(tzinfo=UTC).astimezone(ZoneInfo(known) if known else UTC).date()


@dataclass(frozen=True)
class Standing:
    """A card's expiry as the learner reads it today: days left (negative once expired) and the words for it."""

    expires_on: date
    days_left: int

    @property
    def expired(self) -> bool:
        """Whether the last valid day has passed."""
        return self.days_left < 0

    @property
    def words(self) -> str:
        """Return 'Expires today', '1 day left', '30 days left' or 'Expired 3 days ago'."""
        n = self.days_left
        if n == 0:
            return "Expires today"
        if n > 0:
            return f"{n} day{'' if n == 1 else 's'} left"
        return f"Expired {-n} day{'' if n == -1 else 's'} ago"


def standing(expires_on: date, today: date) -> Standing:
    """Return the card's standing on `today` (the card is valid through the whole of its expiry date)."""
    return Standing(expires_on, (expires_on - today).days)


def date_problems(issued: date | None, override: date | None, today: date) -> dict[str, str]:
    """Return a message per field for impossible dates: an issue date in the future, an expiry before the issue."""
    problems = {}
    if issued is not None and issued.year < EARLIEST_YEAR:
        problems["issued_on"] = f"Check the year of the issue date: it is before {EARLIEST_YEAR}."
    if issued is not None and issued > today:
        problems["issued_on"] = f"The issue date cannot be in the future (today is {today.isoformat()})."
    if issued is not None and override is not None and override < issued:
        problems["expires_on"] = "The expiry date cannot be before the issue date."
    return problems
