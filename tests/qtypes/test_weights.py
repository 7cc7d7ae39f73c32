"""Moodle fractions: per-choice weights in single and multiple choice, their schema rules and their grading."""

from __future__ import annotations

from fractions import Fraction

import pytest
import yaml
from pydantic import ValidationError

from quizapp import qtypes
from quizapp.banks import sync
from quizapp.banks.formats import yamldump
from quizapp.banks.schema import Bank, Question
from quizapp.taking import marks
from tests.taking.test_grading import MULTI, SINGLE


def question(qtype: str, *weights, **extra) -> Question:
    """Return a question whose choices carry the given weights (None: left out), `correct` derived from them."""
    choices = [{"text": f"choice {n}"} | ({} if w is None else {"weight": w}) for n, w in enumerate(weights)]
    return Question.model_validate({"key": "w-1", "type": qtype, "stem": "Pick.", "choices": choices, **extra})


def fraction(q: Question, answer: dict) -> Fraction:
    """Grade a canonical answer."""
    return qtypes.get(q.type).fraction(q, answer)


def test_weights_are_left_out_of_stored_content_when_unset():
    """Versions from before the field keep their content and hash."""
    for q in (SINGLE, MULTI):
        assert all("weight" not in c for c in q.model_dump()["choices"])
        assert sync.content_hash(q) == sync.content_hash(Question.model_validate(q.model_dump()))
    weighted = question("multiple", 50, 50, -100)
    assert [c["weight"] for c in weighted.model_dump()["choices"]] == [50, 50, -100]


def test_correct_follows_the_weight_when_left_out():
    """Single: the 100% choice is correct; multiple: every positively weighted choice."""
    assert [c.correct for c in question("single", 100, 50, -50).choices] == [True, False, False]
    assert [c.correct for c in question("multiple", 70, 30, 0, None).choices] == [True, True, False, False]


@pytest.mark.parametrize(
    ("qtype", "choices", "extra", "message"),
    [
        ("single", [(50, None), (50, None)], {}, "needs exactly 1 choice at 100%, found 0"),
        ("single", [(100, None), (100, None)], {}, "needs exactly 1 choice at 100%, found 2"),
        ("single", [(100, False), (0, None)], {}, "choice 1 weighs 100%, so it must be marked correct"),
        ("single", [(100, None), (50, True)], {}, "choice 2 weighs 50%, so it must not be marked correct"),
        ("multiple", [(50, None), (40, None), (0, None)], {}, "must add up to 100%, not 90%"),
        ("multiple", [(60, None), (50, None)], {}, "must add up to 100%, not 110%"),
        ("multiple", [(-50, None), (0, None)], {}, "needs at least 1 correct choice"),
        ("multiple", [(None, True), (100, None)], {}, "choice 1 weighs 0%, so it must not be marked correct"),
        ("multiple", [(50, None), (50, None)], {"scoring": "all_or_nothing"}, "all_or_nothing scoring does not"),
        ("multiple", [(101, None), (0, None)], {}, "less than or equal to 100"),
        ("single", [(100, None), (-101, None)], {}, "greater than or equal to -100"),
        ("ordering", [(100, None), (None, None)], {}, "weights apply to choices, not to the items"),
    ],
)
def test_schema_refuses_inconsistent_weights(qtype, choices, extra, message):
    """Each rule names the choice or the sum that breaks it."""
    rows = []
    for n, (weight, correct) in enumerate(choices):
        row = {"text": f"c{n}"}
        if weight is not None:
            row["weight"] = weight
        if correct is not None:
            row["correct"] = correct
        rows.append(row)
    with pytest.raises(ValidationError, match=message):
        Question.model_validate({"key": "w-1", "type": qtype, "stem": "Pick.", "choices": rows, **extra})


def test_thirds_written_as_moodle_writes_them_add_up():
    """33.33333% three times is 99.99999%: inside the slack, and picking all three is full credit."""
    q = question("multiple", 33.33333, 33.33333, 33.33333, -100)
    assert fraction(q, {"choices": [0, 1, 2]}) == 1
    assert fraction(q, {"choices": [0]}) == Fraction(1, 3)
    with pytest.raises(ValidationError, match=r"not 99\.98%"):
        question("multiple", 33.33, 33.33, 33.32, 0)


def test_single_pick_earns_its_weight_never_below_zero():
    """As Moodle: the picked choice's fraction; a negative one earns nothing here (marks never go below 0)."""
    q = question("single", 100, 50, 0, -50)
    assert [fraction(q, {"choice": i}) for i in range(4)] == [1, Fraction(1, 2), 0, 0]


def test_multiple_earns_the_sum_of_picked_weights_clamped():
    """0% distractors cost nothing, negative ones do; the sum stays within 0 and 1."""
    q = question("multiple", 70, 30, 0, -50)
    cases = {(0,): "7/10", (1,): "3/10", (0, 1): "1", (0, 1, 2): "1", (0, 2): "7/10", (0, 3): "1/5", (1, 3): "0",
             (0, 1, 3): "1/2", (): "0"}
    assert {picks: str(fraction(q, {"choices": list(picks)})) for picks in cases} == cases


def test_without_weights_grading_is_unchanged():
    """A multiple question without weights keeps its own partial scoring (a wrong pick takes one right pick back)."""
    assert fraction(MULTI, {"choices": [0, 1]}) == 1
    assert fraction(MULTI, {"choices": [0, 2]}) == 0
    assert fraction(MULTI, {"choices": [0]}) == Fraction(1, 2)
    assert [fraction(SINGLE, {"choice": i}) for i in range(3)] == [1, 0, 0]


def test_duplicate_choices_are_exact_after_stripping():
    """GB and Gb are different answers; the same text twice (spaces aside) is refused."""
    ok = Question.model_validate(
        {"key": "d-1", "type": "single", "stem": "Unit?", "choices": [{"text": "GB", "correct": True}, {"text": "Gb"}]}
    )
    assert [c.text for c in ok.choices] == ["GB", "Gb"]
    with pytest.raises(ValidationError, match="choices must not repeat"):
        Question.model_validate(
            {"key": "d-1", "type": "single", "stem": "Unit?", "choices": [{"text": "GB", "correct": True},
                                                                          {"text": " GB "}]}
        )


def test_review_shows_the_credit_of_each_choice_only_with_weights():
    """Each marked option carries its weight; questions without weights show none."""
    q = question("multiple", 50, 50, -25)
    options = marks.options(q, {"choices": [0, 2]}, [2, 0, 1])
    assert [(o.text, o.picked, o.correct, o.credit) for o in options] == [
        ("choice 2", True, False, "-25%"),
        ("choice 0", True, True, "50%"),
        ("choice 1", False, True, "50%"),
    ]
    assert {o.credit for o in marks.options(SINGLE, {"choice": 0}, [0, 1, 2])} == {""}


def test_version_history_names_weights():
    """A weight change shows in the diff of two versions."""
    fields = qtypes.get("single").diff_fields(question("single", 100, 50))
    assert fields["Choice 2 weight"] == "50%" and "Choice 1 weight" in fields


def test_yaml_export_keeps_weights():
    """The YAML writer writes each weight, and reading it back gives the same question."""
    q = question("multiple", 33.33333, 33.33333, 33.33333, -50, None)
    data = yamldump.question_data(q)
    assert [c.get("weight") for c in data["choices"]] == [33.33333, 33.33333, 33.33333, -50, None]
    assert Question.model_validate(data) == q


def test_yaml_export_keeps_partial_ranges_and_right_feedback():
    """Numeric partial ranges and the right answer's feedback are written, and read back the same."""
    ranges = [{"value": 1822, "tolerance": 2, "credit": 50, "feedback": "Close\nenough."},
              {"min": 1800, "max": 1850, "credit": 10}]
    q = Question.model_validate({"key": "n-1", "type": "numeric", "stem": "Born?", "right_feedback": "Yes.",
                                 "answer": {"value": 1822, "unit": "AD", "partial": ranges}})
    bank = Bank(format="quizapp-bank/1", bank="bb", title="B", topic="tt", level="lay", questions=[q])
    text = yamldump.dump_bank(bank)
    assert "right_feedback: Yes." in text and "credit: 50" in text
    assert Bank.model_validate(yaml.safe_load(text)).questions == [q]
