"""Moodle fractions in GIFT: choice weights, numeric partial ranges and right-answer feedback, read and written back."""

from __future__ import annotations

from fractions import Fraction

import pytest

from quizapp import qtypes
from quizapp.banks.formats.drafts import LineError, to_question
from quizapp.banks.formats.gift import dump_gift, parse_gift
from quizapp.banks.schema import Question
from tests.banks.test_gift import moodle_fixture, only_draft


def question(text: str) -> Question:
    """Import one GIFT question as our schema question."""
    return to_question(parse_gift(text).drafts[0], "g-1")


@pytest.mark.parametrize(
    ("text", "kind", "weights"),
    [
        ("Q{~%50%half ~%50%other ~wrong}", "multiple", [50, 50, 0]),
        ("Q{~%70%a ~%30%b}", "multiple", [70, 30]),
        ("Q{=%100%a ~%50%b ~c}", "single", [100, 50, 0]),
        ("Q{=a ~%-50%b ~c}", "single", [100, -50, 0]),
        ("Q{~%33.33333%a ~%33.33333%b ~%33.33333%c ~%-100%d}", "multiple", [33.33333, 33.33333, 33.33333, -100]),
        ("Q{~%33.333333%a ~%33.333333%b ~%33.333333%c ~%0%d}", "multiple", [33.33333, 33.33333, 33.33333, 0]),
        # Weights that grade as our plain choices do are left out: our partial scoring, or 100/0 in single.
        ("Q{~%50%a ~%50%b ~%-50%c}", "multiple", None),
        ("Q{=a ~%0%b}", "single", None),
    ],
)
def test_choice_weights_are_kept(text, kind, weights):
    """Each choice keeps its Moodle grade as `weight`; correct follows from it."""
    data = only_draft(text)
    assert data["type"] == kind
    assert [c.get("weight") for c in data["choices"]] == (weights or [None] * len(data["choices"]))
    if weights:
        rule = [w == 100 if kind == "single" else w > 0 for w in weights]
        assert [c.correct for c in question(text).choices] == rule


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Q{~%33%a ~%67%b}", "Answer weight %33% is not one of Moodle's grades"),
        ("Q{=a ~%45%b}", "Answer weight %45% is not one of Moodle's grades"),
        ("Q{#=5 =%-50%6}", "Numerical answer '6' has a negative weight"),
    ],
)
def test_grades_moodle_does_not_allow_are_errors(text, message):
    """As Moodle's import: a weight off its list of grades stops the question (the rest of the file imports)."""
    result = parse_gift(f"{text}\n\nNext{{T}}")
    assert [e.message[: len(message)] for e in result.errors] == [message]
    assert len(result.drafts) == 1


def test_imported_weights_grade_as_moodle():
    """The class-description examples: half credit in single, a 0% distractor costs nothing in multiple."""
    single = question("Difficult question.{~wrong answer ~%50%half credit answer =full credit answer}")
    kind = qtypes.get("single")
    assert [kind.fraction(single, {"choice": i}) for i in range(3)] == [0, Fraction(1, 2), 1]
    multiple = question("Q{~%50%Grant ~%50%Grant's wife ~No one ~%-50%Grant's father}")
    kind = qtypes.get("multiple")
    assert kind.fraction(multiple, {"choices": [0, 1, 2]}) == 1
    assert kind.fraction(multiple, {"choices": [0, 3]}) == 0
    assert kind.fraction(multiple, {"choices": [0, 2]}) == Fraction(1, 2)


def test_numeric_partial_answers_are_ranges_with_credit():
    """`{#=1822:0 =%50%1822:2}`: the key, and 1820 to 1824 at half credit, each with its feedback."""
    q = question("Born?{#=1822:0#Correct! =%50%1822:2#Close. =%0%1900#Way off ~#Wrong.}")
    assert q.right_feedback == "Correct!" and q.feedback == "Wrong."
    assert [(r.value, r.tolerance, r.credit, r.feedback) for r in q.answer.partial] == [
        (1822, 2, 50, "Close."),
        (1900, 0, 0, "Way off"),
    ]
    kind = qtypes.get("numeric")
    grades = {value: kind.fraction(q, {"value": value}) for value in ("1822", "1823.5", "1825", "1900")}
    assert grades == {"1822": 1, "1823.5": Fraction(1, 2), "1825": 0, "1900": 0}
    feedback = {value: kind.picked_feedback(q, {"value": value}) for value in ("1822", "1823", "1825", "1900")}
    assert feedback == {"1822": ["Correct!"], "1823": ["Close."], "1825": ["Wrong."], "1900": ["Way off"]}


def test_the_best_partial_range_counts():
    """Overlapping ranges: the one giving the most credit wins, whatever their order."""
    q = question("Q{#=10 =%25%10:5 =%50%10:2}")
    assert qtypes.get("numeric").fraction(q, {"value": "11"}) == Fraction(1, 2)


@pytest.mark.parametrize(
    ("text", "wrong", "right"),
    [
        ("Q{T#wrong one#right one}", "wrong one", "right one"),
        ("Q{FALSE#feedback for true #feedback for false}", "feedback for true", "feedback for false"),
        ("Q{TRUE# #only the right one}", None, "only the right one"),
        ("Q{F#only the wrong one}", "only the wrong one", None),
    ],
)
def test_true_false_keeps_both_feedbacks(text, wrong, right):
    """Moodle reads `{T#wrong#right}`: the first text is shown for a wrong answer, the second for a right one."""
    q = question(text)
    assert (q.feedback, q.right_feedback) == (wrong, right)
    kind = qtypes.get("true_false")
    assert kind.picked_feedback(q, {"value": q.answer}) == ([right] if right else [])
    assert kind.picked_feedback(q, {"value": not q.answer}) == ([wrong] if wrong else [])
    notes = [mark[3] for mark in kind.marked_options(q, {"value": q.answer}, None)]
    assert (right or "") in notes


@pytest.mark.parametrize(
    "text",
    [
        "Q{=%100%a ~%50%b#half ~%-50%c}",
        "Q{~%33.33333%a ~%33.33333%b ~%33.33333%c ~%-100%d ~e}",
        "Q{~%70%a ~%30%b ~%0%\\%50\\% of it}",
        "Q{#=1822:0#Correct! =%50%1822:2#Close. =%0%1..5 ~#Wrong.}",
        "Q{T#wrong#right}",
        "Q{F# #right only}",
    ],
)
def test_export_writes_fractions_back(text):
    """Writing an imported question as GIFT and reading it again gives the same question."""
    q = question(text)
    again = to_question(parse_gift(dump_gift([q])).drafts[0], "g-1")
    assert again == q


def test_moodle_examples_keep_their_fractions():
    """Moodle's own examples: Jesus' hometown keeps 25% and 50%, Grant's birth year its 50% range."""
    result = parse_gift(moodle_fixture("gift_examples.txt"))
    hometown = next(d.data for d in result.drafts if d.title == "Jesus' hometown")
    assert [c["weight"] for c in hometown["choices"]] == [0, 25, 50, 100]
    numeric = next(d.data for d in result.drafts if d.title == "Numerical example")
    assert numeric["answer"]["partial"] == [
        {"value": 1822, "tolerance": 2, "credit": 50,
         "feedback": "He was born in 1822.\nYou get 50% credit for being close."}
    ]
    assert numeric["right_feedback"] == "Correct! 100% credit"
    assert result.errors == [] and LineError not in map(type, result.drafts)
