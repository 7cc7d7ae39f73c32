"""How a review marks an answer: each option in the order shown, and an ordering answer beside the right order."""

from hypothesis import given
from hypothesis import strategies as st

from quizapp.banks.schema import Question
from quizapp.taking import marks


def q(**fields) -> Question:
    """Build a question with a rationale and reference filled in."""
    return Question.model_validate({"key": "k-1", "stem": "s", "explanation": "e", "reference": "r", **fields})


SINGLE = q(
    type="single",
    choices=[
        {"text": "right", "correct": True, "feedback": "Why right."},
        {"text": "wrong", "feedback": "Why wrong."},
        {"text": "other", "feedback": "Why other is wrong."},
    ],
)
MULTI = q(type="multiple", choices=[{"text": "a", "correct": True}, {"text": "b", "correct": True}, {"text": "c"}])
TF = q(type="true_false", answer=False, feedback="Gasps are not breathing.")
ORDER = q(type="ordering", choices=[{"text": "first"}, {"text": "second"}, {"text": "third"}])
NUM = q(type="numeric", answer={"value": 6}, feedback="Six.")


def test_single_marks_the_pick_and_the_missed_key_in_the_order_shown():
    got = marks.options(SINGLE, {"choice": 1}, [2, 1, 0])
    assert [(m.text, m.state) for m in got] == [("other", "plain"), ("wrong", "picked-wrong"), ("right", "missed")]
    # The picked option's feedback and the right option's feedback sit beside them; an unpicked wrong one has none.
    assert [m.feedback for m in got] == ["", "Why wrong.", "Why right."]


def test_multiple_marks_every_pick_and_every_missed_right_answer():
    got = marks.options(MULTI, {"choices": [0, 2]}, [0, 1, 2])
    assert [m.state for m in got] == ["picked-right", "missed", "picked-wrong"]


def test_unanswered_shows_only_the_right_answers():
    assert [m.state for m in marks.options(SINGLE, None, [0, 1, 2])] == ["missed", "plain", "plain"]


def test_true_false_gives_the_feedback_beside_a_wrong_choice_only():
    wrong = marks.options(TF, {"value": True}, None)
    assert [(m.text, m.state, m.feedback) for m in wrong] == [
        ("True", "picked-wrong", "Gasps are not breathing."),
        ("False", "missed", ""),
    ]
    right = marks.options(TF, {"value": False}, None)
    assert [(m.state, m.feedback) for m in right] == [("plain", ""), ("picked-right", "")]


def test_other_types_have_no_option_marks_and_only_ordering_has_an_order():
    assert marks.options(ORDER, {"order": [0, 1, 2]}, [2, 0, 1]) == ()
    assert marks.options(NUM, {"value": "6"}, None) == ()
    assert marks.ordering(NUM, {"value": "6"}) is None
    assert marks.ordering(SINGLE, {"choice": 0}) is None


def test_ordering_says_where_each_misplaced_item_belongs():
    got = marks.ordering(ORDER, {"order": [1, 0, 2]})
    assert [(p.text, p.place, p.right) for p in got.learner] == [
        ("second", 2, False),
        ("first", 1, False),
        ("third", 3, True),
    ]
    assert got.key == ("first", "second", "third")
    assert marks.ordering(ORDER, None).learner == ()


@given(st.permutations(range(3)))
def test_an_item_is_marked_right_exactly_when_it_is_in_the_key_s_place(order):
    got = marks.ordering(ORDER, {"order": list(order)})
    for rank, placed in enumerate(got.learner):
        assert placed.right == (got.key[rank] == placed.text)
        assert got.key[placed.place - 1] == placed.text
