"""GIFT numbers a bank cannot hold (issue 15 item 7) are refused on their line, in plain words."""

from __future__ import annotations

import pytest

from quizapp.banks.formats import gift


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Q {#1e400}", "Numerical answer '1e400' is not a number"),
        ("Q {#-1e308..1e309}", "Numerical answer '1e309' is not a number"),
        ("Q {#nan}", "Numerical answer 'nan' is not a number"),
        ("Q {#6:Infinity}", "Numerical answer 'Infinity' is not a number"),
        ("Q {#1e308:1e308}", "Numerical answer: value plus or minus tolerance is not a finite number"),
        ("Q {#" + "1" * 40_000 + "x}", "Numerical answer '" + "1" * 37 + "...' is not a number"),
        ("Q {~%" + "1" * 400 + "%a ~b}", "Answer weight %" + "1" * 20 + "...% is not a number"),
    ],
    ids=["overflow", "range-overflow", "nan", "infinity", "tolerance-overflow", "40000-digits", "weight-overflow"],
)
def test_non_finite_gift_numbers_are_refused(text, message):
    result = gift.parse_gift("\n\n" + text + "\n")
    assert [(e.line, e.message) for e in result.errors] == [(3, message)] and result.drafts == []
