"""taking.drawing.focus (pure): a practice quiz's draw shared out again toward the learner's weakest topics."""

from __future__ import annotations

from dataclasses import replace

import pytest

from quizapp.banks.schema import DrawRule
from quizapp.taking.drawing.draw import Candidate, draw, drawable
from quizapp.taking.drawing.focus import redistribute, weakest

BANKS = {"air": "airway", "team": "team-cpr", "bvm": "bvm"}


def pool(sizes: dict[str, int], groups: dict[str, int] | None = None) -> list[Candidate]:
    """Return `sizes[bank]` candidates per bank; the first `groups[bank]` of a bank share one exclusion group."""
    made, next_id = [], 1
    for bank, size in sizes.items():
        for n in range(size):
            group = f"{bank}-fact" if n < (groups or {}).get(bank, 0) else None
            made.append(Candidate(next_id, next_id, bank, BANKS[bank], frozenset(), "true_false", 0, True, 1.0, group))
            next_id += 1
    return made


RULES = [DrawRule(bank="air", count=4), DrawRule(bank="team", count=3), DrawRule(bank="bvm", count=3)]
FULL = pool({"air": 20, "team": 20, "bvm": 20})


def counts(rules: list[DrawRule]) -> dict[str, int]:
    """Return each rule's count by bank."""
    return {rule.bank: rule.count for rule in rules}


def test_the_weakest_topic_gets_most_and_every_topic_keeps_one():
    got = counts(redistribute(RULES, {"airway": 90, "team-cpr": 30, "bvm": 90}, FULL))
    assert got == {"air": 2, "team": 6, "bvm": 2}  # 7 past the floor: 0.78 / 5.44 / 0.78
    assert counts(redistribute(RULES, {"airway": 100, "team-cpr": 0, "bvm": 100}, FULL)) == {
        "air": 1, "team": 8, "bvm": 1
    }


def test_shares_follow_what_each_score_lacks_of_100():
    # 45, 38 and 10 lacking: the 7 questions past the floor go 3.3 / 2.8 / 0.7, remainders to the weaker first.
    got = counts(redistribute(RULES, {"team-cpr": 55, "bvm": 62, "airway": 90}, FULL))
    assert got == {"team": 4, "bvm": 4, "air": 2}


@pytest.mark.parametrize("scores", [{}, {"airway": 100, "team-cpr": 100, "bvm": 100}, {"other": 10}])
def test_no_history_or_nothing_lacking_is_the_even_split(scores):
    # 10 over 3 rules: 3 each, the odd one to the first rule.
    assert counts(redistribute(RULES, scores, FULL)) == {"air": 4, "team": 3, "bvm": 3}


def test_a_topic_never_scored_keeps_only_its_one_question():
    got = counts(redistribute(RULES, {"team-cpr": 50}, FULL))
    assert got == {"air": 1, "team": 8, "bvm": 1}


def test_ties_are_settled_by_rule_order_every_time():
    scores = {"airway": 60, "team-cpr": 60, "bvm": 60}
    results = {tuple(r.count for r in redistribute(RULES, scores, FULL)) for _ in range(5)}
    assert results == {(4, 3, 3)}
    two_weak = {"airway": 100, "team-cpr": 50, "bvm": 50}  # 7 past the floor, 3.5 each: the earlier rule wins
    assert counts(redistribute(RULES, two_weak, FULL)) == {"air": 1, "team": 5, "bvm": 4}


def test_a_small_bank_is_capped_and_hands_its_surplus_to_the_next_weakest():
    small_team = pool({"air": 20, "team": 3, "bvm": 20})
    got = counts(redistribute(RULES, {"team-cpr": 10, "bvm": 40, "airway": 95}, small_team))
    assert got["team"] == 3 and got["bvm"] > got["air"]
    assert sum(got.values()) == 10


def test_exclusion_groups_cap_a_rule_too():
    grouped = pool({"air": 20, "team": 6, "bvm": 20}, groups={"team": 5})  # 6 questions, but only 2 distinct facts
    rules = redistribute(RULES, {"team-cpr": 0, "airway": 80, "bvm": 90}, grouped)
    assert counts(rules)["team"] == 2 and sum(r.count for r in rules) == 10
    assert drawable(rules, grouped) == [r.count for r in rules]
    assert len(draw(rules, grouped, seed=7)) == 10


def test_a_pool_too_small_for_the_total_gives_what_it_can():
    tiny = pool({"air": 2, "team": 2, "bvm": 1})
    rules = redistribute(RULES, {"team-cpr": 0}, tiny)
    assert counts(rules) == {"air": 2, "team": 2, "bvm": 1}


def test_a_bank_with_nothing_to_draw_loses_its_rule():
    no_bvm = pool({"air": 20, "team": 20})
    rules = redistribute(RULES, {"bvm": 0, "team-cpr": 50}, no_bvm)
    assert counts(rules) == {"air": 1, "team": 9}  # bvm's share goes to the next weakest, team CPR


def test_the_rules_keep_their_order_and_filters():
    tagged = [DrawRule(bank="air", tags=["lay"], count=5), DrawRule(bank="team", exclude_tags=["trivia"], count=5)]
    lay_pool = [replace(c, tags=frozenset({"lay"})) for c in FULL]
    got = redistribute(tagged, {"team-cpr": 20, "airway": 90}, lay_pool)
    assert [(r.bank, r.tags, r.exclude_tags) for r in got] == [("air", ["lay"], []), ("team", [], ["trivia"])]
    air, team = (r.count for r in got)
    assert team > air


def test_weakest_names_the_topics_given_more_than_an_even_share():
    topics = ["airway", "team-cpr", "bvm"]
    assert weakest(topics, {"team-cpr": 55, "bvm": 62, "airway": 90}) == [("team-cpr", 55), ("bvm", 62)]
    assert weakest(topics, {"team-cpr": 80}) == [("team-cpr", 80)]  # unscored topics count as nothing lacking
    assert weakest(topics, {"airway": 70, "team-cpr": 70, "bvm": 70}) == []
    assert weakest(topics, {}) == []
