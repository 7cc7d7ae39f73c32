"""Exclusion groups and excluded tags in the draw: never two questions of one group, across banks and rules."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.banks.formats import yamlfile
from quizapp.banks.schema import DrawRule, QuizSpec
from quizapp.taking.drawing.draw import Candidate, NotEnoughQuestions, draw, drawable
from quizapp.taking.drawing.pool import shortfalls

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"
# The near-duplicates issue 14 names; each line is one group.
KNOWN_GROUPS = [
    ["air-043", "bvm-036"],
    ["air-015", "bvm-043"],
    ["tcpr-022", "bvm-014"],
    ["tcpr-026", "bvm-007"],
    ["tcpr-018", "bvm-042"],
    ["tcpr-015", "bvm-039"],
    ["tcpr-021", "bvm-004", "bvm-015"],
    ["tcpr-025", "bvm-006", "bvm-008", "bvm-040"],
    ["bvm-010", "bvm-011", "bvm-013", "bvm-030", "bvm-032"],
]


def cand(i: int, bank: str = "aa", group: str | None = None, tags=()) -> Candidate:
    """Build a candidate question in a bank, optionally in an exclusion group."""
    return Candidate(i, 100 + i, bank, bank + "-topic", frozenset(tags), "single", 4, True, 1.0, group)


def test_one_question_per_group_within_a_rule():
    pool = [cand(i, group="g" if i < 6 else None) for i in range(10)]
    for seed in range(50):
        ids = {s["q"] for s in draw([DrawRule(count=5)], pool, seed=seed)}
        assert len(ids & set(range(6))) == 1 and set(range(6, 10)) <= ids


def test_groups_span_banks_and_rules():
    pool = [cand(1, "aa", "ratio"), cand(2, "aa"), cand(3, "bb", "ratio"), cand(4, "bb")]
    rules = [DrawRule(bank="aa", count=1), DrawRule(bank="bb", count=1)]
    for seed in range(50):
        ids = {s["q"] for s in draw(rules, pool, seed=seed)}
        assert len(ids) == 2 and ids != {1, 3}


def test_an_earlier_rule_gives_way_when_a_later_one_needs_the_group():
    """Rule 1 could take q1 or q3; rule 2 has only q2, of q1's group: every seed must give rule 1 q3."""
    pool = [cand(1, "aa", "g"), cand(2, "bb", "g"), cand(3, "aa")]
    rules = [DrawRule(bank="aa", count=1), DrawRule(bank="bb", count=1)]
    assert {frozenset(s["q"] for s in draw(rules, pool, seed=seed)) for seed in range(40)} == {frozenset({2, 3})}


def test_a_rule_that_groups_make_impossible_is_refused_with_the_reason():
    pool = [cand(i, "aa", "same-fact") for i in range(4)] + [cand(9, "aa")]
    spec = QuizSpec(slug="qz", title="Q", draw=[DrawRule(bank="aa", count=3)])
    assert drawable(spec.draw, pool) == [2]
    with pytest.raises(NotEnoughQuestions, match="only 2 can be drawn"):
        draw(spec.draw, pool, seed=1)
    assert shortfalls(spec, pool) == [
        "rule 1 asks for 3 questions from bank 'aa', but only 2 can be drawn: an attempt holds at most one "
        "question of each exclusion group (same-fact)"
    ]


def test_exclude_tags_leave_those_questions_out():
    pool = [cand(i, tags=["trivia"] if i % 3 == 0 else ["adult"]) for i in range(12)]
    rule = DrawRule(count=8, exclude_tags=["trivia"])
    for seed in range(20):
        assert all(s["q"] % 3 for s in draw([rule], pool, seed=seed))
    spec = QuizSpec(slug="qz", title="Q", draw=[DrawRule(tags=["adult"], exclude_tags=["trivia"], count=9)])
    assert shortfalls(spec, pool) == [
        "rule 1 asks for 9 questions from all banks tagged adult, except those tagged trivia, but 8 exist"
    ]


def test_a_tag_cannot_be_required_and_excluded():
    with pytest.raises(ValueError, match="'lay' is both required and excluded"):
        DrawRule(tags=["lay"], exclude_tags=["lay"], count=1)


def feasible(rules: list[DrawRule], pool: list[Candidate]) -> bool:
    """Brute force: whether some choice of questions meets every rule with no question or group twice."""

    def search(index: int, used_ids: frozenset, used_groups: frozenset) -> bool:
        if index == len(rules):
            return True
        rule = rules[index]
        fits = [c for c in pool if (rule.bank is None or c.bank == rule.bank) and c.question_id not in used_ids]
        fits = [c for c in fits if c.group is None or c.group not in used_groups]
        for chosen in itertools.combinations(fits, rule.count):
            groups = [c.group for c in chosen if c.group]
            if len(groups) == len(set(groups)) and search(
                index + 1, used_ids | {c.question_id for c in chosen}, used_groups | set(groups)
            ):
                return True
        return False

    return search(0, frozenset(), frozenset())


pools = st.lists(
    st.tuples(st.sampled_from(["aa", "bb", "cc"]), st.sampled_from([None, None, "g1", "g2", "g3"])),
    min_size=1,
    max_size=9,
).map(lambda items: [cand(i, bank, group) for i, (bank, group) in enumerate(items)])
rule_lists = st.lists(
    st.builds(
        lambda bank, count: DrawRule(bank=bank, count=count),
        st.sampled_from([None, "aa", "bb", "cc"]),
        st.integers(1, 3),
    ),
    min_size=1,
    max_size=3,
)


@settings(max_examples=300, deadline=None)
@given(pools, rule_lists, st.integers(0, 2**31 - 1))
def test_any_draw_meets_every_rule_without_a_group_twice_exactly_when_possible(pool, rules, seed):
    """Over many pools, rules and seeds: the draw succeeds exactly when a brute-force search finds a way."""
    try:
        layout = draw(rules, pool, seed=seed)
    except NotEnoughQuestions:
        assert not feasible(rules, pool)
        return
    by_id = {c.question_id: c for c in pool}
    drawn = [by_id[s["q"]] for s in layout]
    groups = [c.group for c in drawn if c.group]
    assert len(drawn) == sum(r.count for r in rules) == len({c.question_id for c in drawn})
    assert len(groups) == len(set(groups))
    assert drawable(rules, pool) == [r.count for r in rules]


@pytest.fixture(scope="module")
def shipped() -> tuple[QuizSpec, list[Candidate]]:
    """The shipped readiness quiz and banks, with the issue's near-duplicates grouped (as the banks will be)."""
    group_of = {key: f"known-{n}" for n, keys in enumerate(KNOWN_GROUPS) for key in keys}
    quizzes = yamlfile.read(QUESTIONS / "quizzes.yaml")
    spec = next(q for q in quizzes.quizzes if q.slug == "bls-readiness")
    pool = []
    for name in ("airway-management", "team-cpr", "bag-valve-mask"):
        bank = yamlfile.read(QUESTIONS / f"{name}.yaml")
        for q in bank.questions:
            pool.append(
                Candidate(
                    len(pool) + 1,
                    len(pool) + 1,
                    bank.bank,
                    bank.topic,
                    frozenset(q.tags),
                    q.type,
                    len(q.choices or ()),
                    q.shuffle,
                    q.points,
                    q.group or group_of.get(q.key),
                )
            )
    return spec, pool


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 2**31 - 1))
def test_readiness_check_never_holds_two_questions_of_one_group(shipped, seed):
    """The 30-question check, drawn from three banks whose groups cross banks, over many seeds."""
    spec, pool = shipped
    by_id = {c.question_id: c for c in pool}
    drawn = [by_id[s["q"]] for s in draw(spec.draw, pool, seed, spec.shuffle_questions, spec.shuffle_choices)]
    groups = [c.group for c in drawn if c.group]
    assert len(drawn) == 30 and len(groups) == len(set(groups))
    assert [sum(c.bank == rule.bank for c in drawn) for rule in spec.draw] == [rule.count for rule in spec.draw]
