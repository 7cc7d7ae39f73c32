"""The one number format: cut down, never rounded up, and blind to float noise."""

from __future__ import annotations

import statistics

import pytest

from quizapp.numfmt import number


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (79.996, "79.99"),  # cut, never rounded up to a mark it did not reach
        (100 * 0.57, "57"),  # 56.99999999999999 is a true 57
        (sum([75.9] * 3 + [76.1]) / 4 - 1e-14, "75.95"),  # a mean summed in another order, a hair under
        (79.99999, "79.99"),
        (-0.001, "0"),
        (None, "—"),
    ],
)
def test_number_cuts_the_true_value(value, shown):
    assert number(value) == shown


def test_padded_for_report_columns():
    assert number(statistics.fmean([50, 60]), pad=True) == "55.00"
