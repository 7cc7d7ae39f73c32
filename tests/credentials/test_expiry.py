"""Expiry arithmetic as each provider counts it, month ends, leap years, and today in the learner's time zone (pure)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from quizapp.credentials import expiry
from quizapp.timefmt import day_tag


@pytest.mark.parametrize(
    ("provider", "issued", "expires"),
    [
        ("aha", date(2025, 3, 15), date(2027, 3, 31)),  # through the end of the month, two years on
        ("aha", date(2025, 3, 1), date(2027, 3, 31)),
        ("aha", date(2025, 3, 31), date(2027, 3, 31)),
        ("aha", date(2025, 12, 31), date(2027, 12, 31)),
        ("aha", date(2024, 2, 29), date(2026, 2, 28)),  # issued on a leap day: February's end in a common year
        ("aha", date(2024, 2, 10), date(2026, 2, 28)),
        ("aha", date(2026, 2, 10), date(2028, 2, 29)),  # ...and February's end in a leap year
        ("aha", date(2025, 4, 30), date(2027, 4, 30)),
        ("red-cross", date(2025, 3, 15), date(2027, 3, 15)),  # the same date two years on
        ("red-cross", date(2024, 2, 29), date(2026, 2, 28)),
        ("erc", date(2025, 3, 15), date(2028, 3, 15)),  # three years
        ("erc", date(2024, 2, 29), date(2027, 2, 28)),
        ("erc", date(2025, 2, 28), date(2028, 2, 28)),  # not moved to the 29th of a leap year
        ("other", date(2025, 1, 31), date(2027, 1, 31)),
        ("other", date(2024, 2, 29), date(2026, 2, 28)),
    ],
)
def test_computed_expiry(provider, issued, expires):
    assert expiry.computed_expiry(provider, issued) == expires


def test_add_years_keeps_the_29th_in_a_leap_year():
    assert expiry.add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)


def test_every_provider_has_a_rule_in_words():
    assert set(expiry.RULES) == set(expiry.PROVIDERS) == set(expiry.YEARS)


@pytest.mark.parametrize(
    ("moment", "zone", "day"),
    [
        (datetime(2026, 3, 1, 11, 30), "Pacific/Auckland", date(2026, 3, 2)),  # UTC+13: already tomorrow
        (datetime(2026, 3, 1, 11, 30), "America/Los_Angeles", date(2026, 3, 1)),
        (datetime(2026, 3, 1, 3, 0), "America/Los_Angeles", date(2026, 2, 28)),  # UTC-8: still yesterday
        (datetime(2024, 2, 29, 23, 0), "Europe/Berlin", date(2024, 3, 1)),
        (datetime(2026, 3, 1, 23, 59), None, date(2026, 3, 1)),  # unknown zone: UTC
        (datetime(2026, 3, 1, 23, 59), "Mars/Olympus", date(2026, 3, 1)),
    ],
)
def test_local_date_is_the_learners_date(moment, zone, day):
    assert expiry.local_date(moment, zone) == day


@pytest.mark.parametrize(
    ("today", "left", "words", "expired"),
    [
        (date(2027, 3, 1), 30, "30 days left", False),
        (date(2027, 3, 30), 1, "1 day left", False),
        (date(2027, 3, 31), 0, "Expires today", False),  # valid through the whole expiry date
        (date(2027, 4, 1), -1, "Expired 1 day ago", True),
        (date(2027, 4, 3), -3, "Expired 3 days ago", True),
    ],
)
def test_standing(today, left, words, expired):
    shown = expiry.standing(date(2027, 3, 31), today)
    assert (shown.days_left, shown.words, shown.expired) == (left, words, expired)


def test_days_left_across_a_time_zone_boundary():
    """At 11:30 UTC on the expiry date's eve, Auckland is already on the expiry date: 0 days left there, 1 in UTC."""
    now = datetime(2027, 3, 30, 11, 30)
    assert expiry.standing(date(2027, 3, 31), expiry.local_date(now, "Pacific/Auckland")).days_left == 0
    assert expiry.standing(date(2027, 3, 31), expiry.local_date(now, None)).days_left == 1


@pytest.mark.parametrize(
    ("issued", "override", "problems"),
    [
        (date(2026, 3, 1), None, {}),
        (date(2026, 3, 2), None, {"issued_on": "The issue date cannot be in the future (today is 2026-03-01)."}),
        (date(2026, 1, 1), date(2025, 12, 31), {"expires_on": "The expiry date cannot be before the issue date."}),
        (date(2026, 1, 1), date(2026, 1, 1), {}),
        (date(1989, 12, 31), None, {"issued_on": "Check the year of the issue date: it is before 1990."}),
        (None, date(2020, 1, 1), {}),
    ],
)
def test_date_problems(issued, override, problems):
    assert expiry.date_problems(issued, override, date(2026, 3, 1)) == problems


def test_a_calendar_day_is_shown_without_a_zone():
    """Expiry and certificate dates are days, not instants: shown as written, with the ISO date for machines."""
    assert day_tag(date(2027, 3, 31)) == '<time datetime="2027-03-31">31 Mar 2027</time>'
