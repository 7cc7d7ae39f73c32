"""Scoring contract: table-driven cases and properties."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.banks.schema import Question
from quizapp.qtypes.base import parse_number
from quizapp.taking import grading
from quizapp.taking.grading import AnswerError


def q(**fields) -> Question:
    """Build a question with a rationale and reference filled in."""
    return Question.model_validate({"key": "k-1", "stem": "s", "explanation": "e", "reference": "r", **fields})


SINGLE = q(type="single", choices=[{"text": "a", "correct": True}, {"text": "b"}, {"text": "c"}], points=2)
MULTI = q(
    type="multiple",
    choices=[{"text": "a", "correct": True}, {"text": "b", "correct": True}, {"text": "c"}, {"text": "d"}],
)
MULTI_AON = MULTI.model_copy(update={"scoring": "all_or_nothing"})
TF = q(type="true_false", answer=False)
ORDER = q(type="ordering", choices=[{"text": "1"}, {"text": "2"}, {"text": "3"}, {"text": "4"}])
ORDER_PARTIAL = ORDER.model_copy(update={"scoring": "partial"})
NUM = q(type="numeric", answer={"value": 6, "tolerance": 0.5})
RANGE = q(type="numeric", answer={"min": 100, "max": 120})


@pytest.mark.parametrize(
    ("question", "answer", "expected"),
    [
        (SINGLE, {"choice": 0}, 2.0),
        (SINGLE, {"choice": 1}, 0.0),
        (SINGLE, None, 0.0),
        (MULTI, {"choices": [0, 1]}, 1.0),
        (MULTI, {"choices": [0]}, 0.5),
        (MULTI, {"choices": [0, 2]}, 0.0),
        (MULTI, {"choices": [0, 1, 2]}, 0.5),
        (MULTI, {"choices": [2, 3]}, 0.0),
        (MULTI, {"choices": [0, 1, 2, 3]}, 0.0),
        (MULTI, {"choices": []}, 0.0),
        (MULTI_AON, {"choices": [0, 1]}, 1.0),
        (MULTI_AON, {"choices": [0]}, 0.0),
        (TF, {"value": False}, 1.0),
        (TF, {"value": True}, 0.0),
        (ORDER, {"order": [0, 1, 2, 3]}, 1.0),
        (ORDER, {"order": [1, 0, 2, 3]}, 0.0),
        (ORDER_PARTIAL, {"order": [1, 0, 2, 3]}, 0.5),
        (ORDER_PARTIAL, {"order": [3, 2, 1, 0]}, 0.0),
        (NUM, {"value": "6"}, 1.0),
        (NUM, {"value": "6.5"}, 1.0),
        (NUM, {"value": "5.49"}, 0.0),
        (RANGE, {"value": "100"}, 1.0),
        (RANGE, {"value": "120"}, 1.0),
        (RANGE, {"value": "121"}, 0.0),
    ],
)
def test_score(question, answer, expected):
    assert grading.score(question, answer) == expected


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        (SINGLE, {"choice": 3}),
        (SINGLE, {"choice": -1}),
        (SINGLE, {"nope": 1}),
        (MULTI, {"choices": [9]}),
        (TF, {"value": "yes"}),
        (ORDER, {"order": [0, 0, 1, 2]}),
        (ORDER, {"order": [0, 1]}),
        (NUM, {"value": "six"}),
        (NUM, {"value": "NaN"}),
        (NUM, {"value": "Infinity"}),
    ],
)
def test_normalise_refuses_answers_that_do_not_fit(question, answer):
    with pytest.raises(AnswerError):
        grading.normalise(question, answer)


@pytest.mark.parametrize("raw", ["1e400", "-1E999", "nan", "inf", "1" * 31])
def test_parse_number_refuses_what_a_float_cannot_hold(raw):
    with pytest.raises(grading.AnswerError):
        parse_number(raw)


def test_parse_number_accepts_decimal_comma():
    assert str(parse_number(" 2,5 ")) == "2.5"


def test_summarise_per_topic():
    result = grading.summarise(
        [
            grading.SlotScore("airway", 1, 1),
            grading.SlotScore("airway", 0, 1),
            grading.SlotScore("bvm", 2, 2),
        ]
    )
    assert (result.score, result.max_score, result.percent) == (3, 4, 75.0)
    assert result.topics == {"airway": 50.0, "bvm": 100.0}


@pytest.mark.parametrize(("method", "expected"), [("highest", 90), ("latest", 70), ("first", 50), ("average", 70)])
def test_combine(method, expected):
    assert grading.combine(method, [50, 90, 70]) == expected


def test_combine_nothing():
    assert grading.combine("highest", []) is None


def test_readable_texts():
    assert grading.answer_text(MULTI, {"choices": [1, 0]}) == "b; a"
    assert grading.key_text(RANGE) == "100 to 120"
    assert grading.key_text(NUM) == "5.5 to 6.5"
    assert grading.answer_text(ORDER, {"order": [3, 2, 1, 0]}) == "4 > 3 > 2 > 1"


choice_sets = st.lists(st.integers(min_value=0, max_value=3), max_size=6)


@given(choice_sets)
def test_multiple_score_within_bounds(chosen):
    value = grading.score(MULTI, grading.normalise(MULTI, {"choices": chosen}))
    assert 0 <= value <= MULTI.points


@given(choice_sets, st.randoms())
def test_selection_order_never_matters(chosen, rnd):
    shuffled = list(chosen)
    rnd.shuffle(shuffled)
    first = grading.score(MULTI, grading.normalise(MULTI, {"choices": chosen}))
    assert first == grading.score(MULTI, grading.normalise(MULTI, {"choices": shuffled}))


@given(st.permutations([0, 1, 2, 3]))
def test_ordering_score_within_bounds(order):
    for question in (ORDER, ORDER_PARTIAL):
        assert 0 <= grading.score(question, {"order": order}) <= question.points


@given(st.text(max_size=20))
def test_numeric_parse_never_crashes(raw):
    try:
        value = grading.normalise(NUM, {"value": raw})
    except AnswerError:
        return
    assert 0 <= grading.score(NUM, value) <= NUM.points
