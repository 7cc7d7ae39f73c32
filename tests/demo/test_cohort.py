"""demo.cohort: synthetic learners and their schedule, the same for the same seed."""

from __future__ import annotations

from collections import Counter

import pytest

from quizapp.demo import cohort
from quizapp.errors import DomainError
from quizapp.recommendation.recommender import Intake


def test_people_are_the_same_for_a_seed_and_differ_for_another():
    assert cohort.people(30, seed=7) == cohort.people(30, seed=7)
    drawn = lambda seed: [(p.name, p.ability, p.intake) for p in cohort.people(30, seed)]  # noqa: E731
    assert drawn(7) != drawn(8)
    assert cohort.people(5, seed=7) == cohort.people(30, seed=7)[:5]  # more people never changes the first ones


def test_people_have_unique_ascii_addresses_and_intakes_the_rules_accept():
    people = cohort.people(200, seed=3)
    emails = [p.email for p in people]
    assert len(set(emails)) == 200 and all(e.isascii() for e in emails)
    assert emails[0].endswith(".3-1@example.org") and emails[-1].endswith(".3-200@example.org")
    for p in people:
        Intake.model_validate(p.intake)
        local = p.email.split("@")[0]
        assert local.replace(".", "").replace("-", "").isalnum() and p.id is None
    assert {p.intake["role"] for p in people} & set(cohort.HEALTH_ROLES)
    assert {p.intake["role"] for p in people} & set(cohort.OTHER_ROLES)


def test_a_name_with_accents_or_an_apostrophe_makes_a_plain_address():
    people = cohort.people(500, seed=3)
    zoe = next(p for p in people if p.name.startswith("Zoë "))
    assert zoe.email.startswith("zoe.")
    obrien = next(p for p in people if p.name.endswith(" O'Brien"))
    assert ".obrien.3-" in obrien.email


def test_the_schedule_is_reproducible_in_time_order_and_numbered_per_learner_and_quiz():
    people = cohort.people(10, seed=5)
    planned = cohort.schedule(120, people, [None, 3], seed=5)
    assert planned == cohort.schedule(120, people, [None, 3], seed=5)
    assert len(planned) == 120
    offsets = [offset for offset, *_ in planned]
    assert offsets == sorted(offsets, reverse=True)  # seconds before now: the oldest first
    assert all(3600 <= o <= cohort.SPREAD.total_seconds() for o in offsets)
    numbers: dict[tuple[int, int], list[int]] = {}
    for _, learner, quiz, number in planned:
        numbers.setdefault((learner, quiz), []).append(number)
    assert all(found == list(range(1, len(found) + 1)) for found in numbers.values())
    assert max(len(found) for (_, quiz), found in numbers.items() if quiz == 1) <= 3  # the quiz's attempt limit


def test_some_learners_are_far_busier_than_others():
    counts = Counter(learner for _, learner, _, _ in cohort.schedule(1000, cohort.people(50, seed=1), [None], seed=1))
    assert max(counts.values()) >= 3 * (1000 / 50)


def test_asking_for_more_attempts_than_the_limits_allow_is_refused():
    with pytest.raises(DomainError, match="Every learner has used every attempt"):
        cohort.schedule(3, cohort.people(2, seed=1), [1], seed=1)
    assert len(cohort.schedule(2, cohort.people(2, seed=1), [1], seed=1)) == 2
