"""Which reminder is due on a day: the nearest card milestone passed, the lapse once, practice every 90 days."""

from datetime import date, timedelta

import pytest

from quizapp.reminders import due

EXPIRES = date(2027, 3, 31)


@pytest.mark.parametrize(
    ("days_left", "kind"),
    [
        (120, None), (91, None), (90, "card-90"), (31, "card-90"), (30, "card-30"), (8, "card-30"), (7, "card-7"),
        (0, "card-7"), (-1, "card-lapsed"), (-30, "card-lapsed"), (-31, None), (-400, None),
    ],
)
def test_the_nearest_milestone_passed_is_due(days_left, kind):
    assert due.card_milestone(EXPIRES, EXPIRES - timedelta(days=days_left)) == kind


def test_the_card_is_valid_through_its_expiry_day_across_a_leap_day():
    assert due.card_milestone(date(2028, 2, 29), date(2028, 2, 29)) == "card-7"
    assert due.card_milestone(date(2028, 2, 29), date(2028, 3, 1)) == "card-lapsed"
    assert due.card_milestone(date(2028, 2, 29), date(2027, 12, 1)) == "card-90"  # 90 days across the leap day


@pytest.mark.parametrize(
    ("last_result", "last_reminder", "today", "expected"),
    [
        (None, None, date(2027, 1, 1), None),
        (date(2026, 1, 1), None, date(2026, 3, 31), None),  # 89 days
        (date(2026, 1, 1), None, date(2026, 4, 1), date(2026, 4, 1)),  # 90 days
        (date(2026, 1, 1), None, date(2026, 6, 1), date(2026, 4, 1)),  # late: the key is still the day it fell due
        (date(2026, 1, 1), date(2026, 4, 1), date(2026, 6, 1), None),  # reminded: the next is 90 days after
        (date(2026, 1, 1), date(2026, 4, 1), date(2026, 6, 30), date(2026, 6, 30)),
        (date(2026, 5, 1), date(2026, 4, 1), date(2026, 7, 1), None),  # practised since: 90 days from the result
    ],
)
def test_practice_falls_due_90_days_after_the_later_of_result_and_reminder(last_result, last_reminder, today, expected):
    assert due.practice_due(last_result, last_reminder, today) == expected
