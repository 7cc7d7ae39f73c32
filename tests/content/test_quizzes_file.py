"""The shipped quizzes file: it validates, its quizzes and settings match the issues, and every quiz can be drawn.

Issue 17: the readiness check and the lay quiz leave out `trivia` items, and no attempt of any quiz holds two
questions of one exclusion group (the same fact asked twice).
"""

from __future__ import annotations

from collections import Counter

import pytest

from quizapp.banks.formats import yamlfile
from quizapp.banks.schema import Bank, QuizSet
from quizapp.taking.drawing.draw import Candidate, draw, drawable
from quizapp.taking.drawing.focus import redistribute
from tests.content.support import BANK_SLUGS, QUESTIONS, all_questions

ISSUE_QUIZZES = {
    "bls-readiness", "airway-practice", "team-cpr-practice", "bvm-practice", "lay-rescuer-essentials", "mixed-practice"
}
PRACTICE_QUIZZES = {
    "airway-practice": "airway-management",
    "team-cpr-practice": "team-cpr",
    "bvm-practice": "bag-valve-mask",
}


def test_quizzes_file_validates():
    assert isinstance(yamlfile.read(QUESTIONS / "quizzes.yaml"), QuizSet)


def candidates(shipped: dict[str, Bank]) -> list[Candidate]:
    """Every shipped question as a draw candidate, as the database pool would build them."""
    return [
        Candidate(
            question_id=i,
            version_id=i,
            bank=bank.bank,
            topic=bank.topic,
            tags=frozenset(q.tags),
            type=q.type,
            choice_count=len(q.choices or ()),
            shuffle=q.shuffle,
            points=q.points,
            group=q.group,
        )
        for i, (bank, q) in enumerate(all_questions(shipped), start=1)
    ]


def test_quiz_slugs_match_the_issue(quizset):
    assert {q.slug for q in quizset.quizzes} == ISSUE_QUIZZES


def test_bls_readiness_settings(quizset):
    quiz = next(q for q in quizset.quizzes if q.slug == "bls-readiness")
    assert sorted((r.bank, r.count, tuple(r.tags)) for r in quiz.draw) == sorted((b, 10, ()) for b in BANK_SLUGS)
    assert all(r.exclude_tags == ["trivia"] for r in quiz.draw)
    assert quiz.feedback == "deferred"
    assert quiz.pass_percent == 84
    assert quiz.intake is True


@pytest.mark.parametrize(("slug", "bank"), sorted(PRACTICE_QUIZZES.items()))
def test_practice_quiz_settings(quizset, slug, bank):
    quiz = next(q for q in quizset.quizzes if q.slug == slug)
    assert [(r.bank, r.count, r.tags) for r in quiz.draw] == [(bank, 15, [])]
    assert quiz.feedback == "immediate"
    assert quiz.attempts_allowed is None  # unlimited


def test_mixed_practice_is_a_short_practice_quiz_of_every_topic_that_focuses_on_the_weakest(quizset):
    quiz = next(q for q in quizset.quizzes if q.slug == "mixed-practice")
    assert [(r.bank, r.count) for r in quiz.draw] == [("airway-management", 4), ("team-cpr", 3), ("bag-valve-mask", 3)]
    assert quiz.focus_weakest is True and "weakest topics" in quiz.description
    assert (quiz.feedback, quiz.review, quiz.intake, quiz.time_limit_minutes) == ("immediate", "full", False, None)


@pytest.mark.parametrize("weak", ["airway", "team-cpr", "bvm"])
def test_mixed_practice_can_be_drawn_for_any_weakest_topic(quizset, shipped, weak):
    pool = candidates(shipped)
    quiz = next(q for q in quizset.quizzes if q.slug == "mixed-practice")
    rules = redistribute(quiz.draw, {"airway": 100, "team-cpr": 100, "bvm": 100, weak: 0}, pool)
    layout = draw(rules, pool, seed=1)
    assert Counter(slot["topic"] for slot in layout)[weak] == 8 and len(layout) == 10


def test_lay_rescuer_essentials_draws_only_lay_items(quizset):
    quiz = next(q for q in quizset.quizzes if q.slug == "lay-rescuer-essentials")
    assert sum(r.count for r in quiz.draw) == 15
    assert all("lay" in r.tags for r in quiz.draw)
    assert [(r.bank, r.count) for r in quiz.draw] == [("airway-management", 5), ("team-cpr", 6), ("bag-valve-mask", 4)]
    assert all(r.exclude_tags == ["trivia"] for r in quiz.draw)


def test_every_quiz_draws_from_existing_banks(quizset, shipped):
    for quiz in quizset.quizzes:
        for rule in quiz.draw:
            assert rule.bank is None or rule.bank in shipped, f"{quiz.slug}: no bank {rule.bank!r}"


def test_every_quiz_draw_rule_can_be_met(quizset, shipped):
    pool = candidates(shipped)
    for quiz in quizset.quizzes:
        have = drawable(quiz.draw, pool)  # exclusion groups and excluded tags respected
        for rule, n in zip(quiz.draw, have, strict=True):
            assert n >= rule.count, f"{quiz.slug}: rule {rule} can draw only {n} questions"
        group_of = {c.question_id: c.group for c in pool}
        for seed in range(5):
            layout = draw(quiz.draw, pool, seed=seed)
            assert len(layout) == sum(r.count for r in quiz.draw)
            assert len({slot["q"] for slot in layout}) == len(layout)
            groups = [group_of[slot["q"]] for slot in layout if group_of[slot["q"]]]
            assert len(groups) == len(set(groups)), f"{quiz.slug}: two questions of one group"


def test_lay_quiz_never_draws_a_provider_item(quizset, shipped):
    pool = candidates(shipped)
    quiz = next(q for q in quizset.quizzes if q.slug == "lay-rescuer-essentials")
    by_id = {c.question_id: c for c in pool}
    for seed in range(20):
        assert all("provider" not in by_id[s["q"]].tags for s in draw(quiz.draw, pool, seed=seed))


SEEDS = range(200)


def test_no_attempt_holds_two_questions_of_one_group(quizset, shipped):
    pool = candidates(shipped)
    group = {c.question_id: c.group for c in pool}
    for quiz in quizset.quizzes:
        for seed in SEEDS:
            groups = [group[s["q"]] for s in draw(quiz.draw, pool, seed=seed) if group[s["q"]]]
            assert len(groups) == len(set(groups)), f"{quiz.slug}, seed {seed}: a group drawn twice"


@pytest.mark.parametrize("slug", ["bls-readiness", "lay-rescuer-essentials"])
def test_readiness_and_lay_quizzes_never_draw_trivia(quizset, shipped, slug):
    pool = candidates(shipped)
    quiz = next(q for q in quizset.quizzes if q.slug == slug)
    trivia = {c.question_id for c in pool if "trivia" in c.tags}
    assert trivia, "the banks should tag some trivia"
    for seed in SEEDS:
        assert not trivia & {s["q"] for s in draw(quiz.draw, pool, seed=seed)}


# Near-duplicates named in issue 14 (item 11) and issue 17 (the facts keyed four to six times).
KNOWN_DUPLICATES = [
    ("air-043", "bvm-036"),
    ("air-015", "bvm-043"),
    ("tcpr-022", "bvm-014"),
    ("tcpr-026", "bvm-007"),
    ("tcpr-018", "bvm-042"),
    ("tcpr-015", "bvm-039"),
    ("tcpr-021", "bvm-004", "bvm-015"),
    ("tcpr-025", "bvm-006", "bvm-008", "bvm-040"),
    ("bvm-010", "bvm-011", "bvm-013", "bvm-030", "bvm-032"),
    ("air-005", "air-007", "air-013", "tcpr-045"),
]


@pytest.mark.parametrize("keys", KNOWN_DUPLICATES, ids=["/".join(k) for k in KNOWN_DUPLICATES])
def test_known_near_duplicates_share_a_group(questions, keys):
    groups = {questions[key][1].group for key in keys}
    assert len(groups) == 1 and None not in groups, f"{keys}: groups {groups}"


def test_every_group_has_at_least_two_questions(shipped):
    sizes = Counter(q.group for _, q in all_questions(shipped) if q.group)
    assert [g for g, n in sizes.items() if n < 2] == []


def test_trivia_is_never_a_lay_item(shipped):
    assert [q.key for _, q in all_questions(shipped) if {"trivia", "lay"} <= set(q.tags)] == []
