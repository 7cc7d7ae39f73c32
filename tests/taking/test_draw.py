"""Drawing questions: rules, tags, no repeats, reproducible by seed."""

import pytest

from quizapp.banks.schema import DrawRule
from quizapp.taking.drawing.draw import Candidate, NotEnoughQuestions, available, draw


def cand(i: int, bank: str = "aa", tags=(), type_: str = "single", shuffle: bool = True) -> Candidate:
    """Build a candidate question."""
    return Candidate(i, 100 + i, bank, bank + "-topic", frozenset(tags), type_, 4, shuffle, 1.0)


POOL = [cand(i, "aa", ["lay"] if i % 2 else []) for i in range(10)] + [cand(i, "bb") for i in range(10, 15)]


def test_draws_per_rule_without_repeats():
    layout = draw([DrawRule(bank="aa", count=5), DrawRule(count=8)], POOL, seed=1)
    ids = [s["q"] for s in layout]
    assert len(ids) == 13 and len(set(ids)) == 13
    assert sum(1 for s in layout if s["topic"] == "aa-topic") >= 5


def test_tags_filter():
    layout = draw([DrawRule(tags=["lay"], count=5)], POOL, seed=3)
    assert {s["q"] for s in layout} == {1, 3, 5, 7, 9}


def test_same_seed_same_layout():
    rules = [DrawRule(count=10)]
    assert draw(rules, POOL, seed=7) == draw(rules, POOL, seed=7)
    assert draw(rules, POOL, seed=7) != draw(rules, POOL, seed=8)


def test_not_enough_questions():
    with pytest.raises(NotEnoughQuestions):
        draw([DrawRule(bank="bb", count=6)], POOL, seed=1)
    assert available([DrawRule(bank="bb", count=6)], POOL) == [5]


def test_choice_order_is_a_permutation_and_respects_shuffle_false():
    pool = [cand(1, shuffle=False), cand(2), cand(3, type_="numeric"), cand(4, type_="ordering", shuffle=False)]
    layout = {s["q"]: s for s in draw([DrawRule(count=4)], pool, seed=5)}
    assert layout[1]["order"] == [0, 1, 2, 3]
    assert sorted(layout[2]["order"]) == [0, 1, 2, 3]
    assert layout[3]["order"] is None
    assert sorted(layout[4]["order"]) == [0, 1, 2, 3]


def test_unshuffled_questions_keep_bank_order():
    layout = draw([DrawRule(bank="aa", count=10)], POOL, seed=2, shuffle_questions=False)
    assert [s["q"] for s in layout] == list(range(10))
