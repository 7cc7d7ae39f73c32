"""Tests for the pure item-statistics module (Moodle's quiz statistics definitions)."""

import csv
import json
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.reporting.itemstats import compute, flags

FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "moodle-item-stats"
MOODLE_REL_TOLERANCE = 1.5e-5
QUESTION_KEYS = (
    "facility",
    "sd",
    "effectiveweight",
    "covariance",
    "markvariance",
    "othermarkvariance",
    "discriminationindex",
    "covariancemax",
    "discriminativeefficiency",
)
TEST_KEYS = (
    "n",
    "median",
    "mean",
    "standarddeviation",
    "skewness",
    "kurtosis",
    "cic",
    "errorratio",
    "standarderror",
)


def fixture_dir():
    """Return the Moodle fixture folder, skipping the test when ../shared is absent."""
    if not FIXTURES.is_dir():
        pytest.skip("../shared fixtures not present")
    return FIXTURES


def moodle_close(actual, expected):
    """Return whether actual is within Moodle's own tolerance abs(expected) * 1.5e-5."""
    tolerance = abs(expected) * MOODLE_REL_TOLERANCE if expected else 1e-12
    return actual is not None and abs(actual - expected) <= tolerance


def fixture_result():
    """Return compute() over results00.csv (25 attempts, 7 questions of max mark 1)."""
    with open(fixture_dir() / "results00.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    slots = [name for name in rows[0] if name.startswith("slots.")]
    marks = [[float(row[name]) for name in slots] for row in rows]
    return compute(marks, [1.0] * len(slots))


def test_fixture_question_stats_match_moodle():
    """Every per-question value in qstats00.csv is reproduced within Moodle's tolerance."""
    questions = fixture_result()["questions"]
    with open(fixture_dir() / "qstats00.csv", newline="") as handle:
        expected_rows = list(csv.DictReader(handle))
    assert len(questions) == len(expected_rows)
    misses = [
        (row["slot"], key, questions[int(row["slot"]) - 1][key], float(row[key]))
        for row in expected_rows
        for key in QUESTION_KEYS
        if not moodle_close(questions[int(row["slot"]) - 1][key], float(row[key]))
    ]
    assert misses == []


def test_fixture_quiz_stats_match_moodle():
    """Every whole-test value in quizstats00_expected.json is reproduced within tolerance."""
    test = fixture_result()["test"]
    expected = json.loads((fixture_dir() / "quizstats00_expected.json").read_text())
    names = {key: key for key in TEST_KEYS} | {"mean": "allattemptsavg", "n": "allattemptscount"}
    misses = [
        (key, test[key], expected[source])
        for key, source in names.items()
        if not moodle_close(test[key], expected[source])
    ]
    assert misses == []


# Hand-worked case: 4 attempts, 2 questions of max 1.
# Q1 = [1,1,0,0]: mean 1/2, var 1/3.  Q2 = [1,1,1,0]: mean 3/4, var 1/4.  cov(Q1,Q2) = 1/6.
# With two questions each one's "rest" is the other.  Totals [2,2,1,0]: mean 5/4, median 3/2,
# var 11/12.  CIC = 200 * (1 - (7/12)/(11/12)) = 800/11; error ratio = 100*sqrt(3/11);
# standard error = sqrt(11/12) * sqrt(3/11) = 1/2.  cov with total: Q1 1/2, Q2 5/12.
HAND_MARKS = [[1.0, 1.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]


def test_hand_case_question_stats():
    """Per-question values of the hand-worked 4 x 2 case."""
    q1, q2 = compute(HAND_MARKS, [1.0, 1.0])["questions"]
    assert q1["facility"] == pytest.approx(0.5)
    assert q2["facility"] == pytest.approx(0.75)
    assert q1["markvariance"] == pytest.approx(1 / 3)
    assert q1["sd"] == pytest.approx(math.sqrt(1 / 3))
    assert q2["sd"] == pytest.approx(0.5)
    assert q1["othermarkvariance"] == pytest.approx(1 / 4)
    assert q1["covariance"] == pytest.approx(1 / 6)
    assert q1["covariancemax"] == pytest.approx(1 / 6)
    assert q1["discriminationindex"] == pytest.approx(100 / math.sqrt(3))
    assert q2["discriminationindex"] == pytest.approx(100 / math.sqrt(3))
    assert q1["discriminativeefficiency"] == pytest.approx(100.0)
    assert q1["effectiveweight"] == pytest.approx(100 * math.sqrt(6) / (math.sqrt(6) + math.sqrt(5)))
    assert q1["effectiveweight"] + q2["effectiveweight"] == pytest.approx(100.0)


def test_hand_case_test_stats():
    """Whole-test values of the hand-worked 4 x 2 case (totals [2, 2, 1, 0])."""
    test = compute(HAND_MARKS, [1.0, 1.0])["test"]
    assert test["n"] == 4
    assert test["median"] == pytest.approx(1.5)
    assert test["mean"] == pytest.approx(1.25)
    assert test["standarddeviation"] == pytest.approx(math.sqrt(11 / 12))
    assert test["skewness"] == pytest.approx(-0.75 / (11 / 12) ** 1.5)
    assert test["kurtosis"] == pytest.approx(-156 / 121)
    assert test["cic"] == pytest.approx(800 / 11)
    assert test["errorratio"] == pytest.approx(100 * math.sqrt(3 / 11))
    assert test["standarderror"] == pytest.approx(0.5)


def test_facility_is_a_fraction_of_the_max_mark_and_sd_is_in_marks():
    """Facility divides by the max mark; sd stays in marks (Moodle's scales)."""
    question = compute([[2.0], [0.0]], [2.0])["questions"][0]
    assert question["facility"] == pytest.approx(0.5)
    assert question["sd"] == pytest.approx(math.sqrt(2))


def test_anti_ordered_item_has_negative_discrimination_below_minus_100_efficiency():
    """Moodle's efficiency is not bounded below by -100: Q1 [0,0,1] against rest [1,1,0] gives -200."""
    result = compute([[0.0, 1.0], [0.0, 1.0], [1.0, 0.0]], [1.0, 1.0])
    q1 = result["questions"][0]
    assert q1["covariance"] == pytest.approx(-1 / 3)
    assert q1["covariancemax"] == pytest.approx(1 / 6)
    assert q1["discriminationindex"] == pytest.approx(-100.0)
    assert q1["discriminativeefficiency"] == pytest.approx(-200.0)
    assert q1["effectiveweight"] is None
    assert flags(q1) == ["negative discrimination"]
    assert result["test"]["standarddeviation"] == 0.0
    assert result["test"]["cic"] is None


def test_two_attempts_have_no_skewness_or_kurtosis():
    """Skewness needs three attempts and kurtosis four; CIC needs only two."""
    test = compute([[1.0, 1.0], [0.0, 1.0]], [1.0, 1.0])["test"]
    assert test["skewness"] is None
    assert test["kurtosis"] is None
    assert test["cic"] == pytest.approx(0.0, abs=1e-12)
    assert compute([[1.0], [0.0], [0.5]], [1.0])["test"]["kurtosis"] is None


@pytest.mark.parametrize("max_marks", [[1.0, 1.0], []])
def test_no_attempts_gives_none_everywhere(max_marks):
    """An empty attempt list gives n = 0 and None for every statistic."""
    result = compute([], max_marks)
    assert result["test"] == {key: 0 if key == "n" else None for key in TEST_KEYS}
    assert len(result["questions"]) == len(max_marks)
    assert all(q[key] is None for q in result["questions"] for key in QUESTION_KEYS)


def test_one_attempt_defines_only_facility_median_and_mean():
    """With one attempt every spread statistic is None."""
    result = compute([[1.0, 0.5]], [1.0, 1.0])
    assert [q["facility"] for q in result["questions"]] == [1.0, 0.5]
    assert all(q[key] is None for q in result["questions"] for key in QUESTION_KEYS[1:])
    assert result["test"]["median"] == 1.5
    assert result["test"]["mean"] == 1.5
    assert result["test"]["standarddeviation"] is None
    assert result["test"]["cic"] is None


def test_all_same_marks_give_zero_spread_and_undefined_ratios():
    """Identical attempts: variances are 0 and every ratio built on them is None."""
    result = compute([[1.0, 1.0]] * 3, [1.0, 1.0])
    question = result["questions"][0]
    assert question["sd"] == 0.0
    assert question["covariancemax"] == 0.0
    assert question["discriminationindex"] is None
    assert question["discriminativeefficiency"] is None
    assert question["effectiveweight"] is None
    test = result["test"]
    assert test["standarddeviation"] == 0.0
    assert [test[k] for k in ("skewness", "kurtosis", "cic", "errorratio", "standarderror")] == [None] * 5


def test_zero_variance_item_among_varying_items():
    """A question everyone gets right has no discrimination but the others still do."""
    q1, q2, q3 = compute([[1.0, 1.0, 0.0], [1.0, 0.0, 0.0], [1.0, 1.0, 1.0]], [1.0] * 3)["questions"]
    assert q1["discriminationindex"] is None
    assert q1["discriminativeefficiency"] is None
    assert q1["effectiveweight"] == 0.0
    assert q2["discriminationindex"] is not None
    assert q2["effectiveweight"] + q3["effectiveweight"] == pytest.approx(100.0)


def test_zero_max_mark_has_no_facility():
    """A question worth nothing has no facility rather than a division by zero."""
    assert compute([[0.0], [0.0]], [0.0])["questions"][0]["facility"] is None


def test_ragged_attempt_is_rejected():
    """An attempt with the wrong number of marks is a ValueError naming the attempt."""
    with pytest.raises(ValueError, match="attempt 1"):
        compute([[1.0, 0.0], [1.0]], [1.0, 1.0])


@pytest.mark.parametrize(
    ("stats", "expected"),
    [
        ({"facility": 0.95, "discriminationindex": 30.0}, ["too easy"]),
        ({"facility": 0.2, "discriminationindex": -5.0}, ["too hard", "negative discrimination"]),
        ({"facility": 0.9, "discriminationindex": 0.0}, []),
        ({"facility": 0.3, "discriminationindex": 50.0}, []),
        ({"facility": None, "discriminationindex": None}, []),
    ],
)
def test_flags(stats, expected):
    """Flags fire strictly beyond 0.9 / 0.3 and below zero discrimination, never on None."""
    assert flags(stats) == expected


@st.composite
def attempt_tables(draw):
    """Draw (marks, max_marks): 0-12 attempts of 1-5 questions with realistic partial credit."""
    max_marks = draw(st.lists(st.sampled_from([1.0, 2.0, 5.0]), min_size=1, max_size=5))
    fractions = st.sampled_from([0.0, 0.25, 1 / 3, 0.5, 0.8, 1.0])
    rows = draw(st.lists(st.lists(fractions, min_size=len(max_marks), max_size=len(max_marks)), max_size=12))
    return [[f * top for f, top in zip(row, max_marks, strict=False)] for row in rows], max_marks


@given(attempt_tables())
def test_properties_hold_for_any_attempts(table):
    """Facility in [0, 1], efficiency <= 100, CIC <= 100, and never NaN or infinity."""
    result = compute(*table)
    for question in result["questions"]:
        assert question["facility"] is None or -1e-12 <= question["facility"] <= 1 + 1e-12
        efficiency = question["discriminativeefficiency"]
        assert efficiency is None or efficiency <= 100 + 1e-6
    assert result["test"]["cic"] is None or result["test"]["cic"] <= 100 + 1e-6
    values = [v for q in result["questions"] for v in q.values()] + list(result["test"].values())
    assert all(v is None or math.isfinite(v) for v in values)
