"""Synthetic demo learners: names, abilities and intake answers, and when each takes which quiz.

Everything random comes from `random.Random` seeded from the `seed` argument, so the same seed gives the same people
and the same schedule.
"""

from __future__ import annotations

import bisect
import itertools
import random
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from quizapp.errors import DomainError
from quizapp.recommendation.tracks import CHOICES

SPREAD = timedelta(days=90)
_FIRST_NAMES = """
Aisha Alex Amara Ana Aoife Ben Björn Carlos Chen Chloe Daniel Dmitri Elena Emma Fatima Femi Grace Hana Ines Ivan
James Jin Kai Kofi Laila Leo Lucia Maria Mateo Mei Mohammed Nadia Noah Olga Omar Priya Rafael Rosa Sam Sara Sofia
Tariq Tomas Uma Wei Yara Yusuf Zanele Zoe Zoë
"""
_LAST_NAMES = """
Adeyemi Ahmed Andersson Brown Chen Costa Dubois Fischer Garcia Gonzalez Haddad Hansen Ito Ivanova Jensen Kim Kowalski
Kumar Lee Lopez Martin Mensah Moreau Müller Murphy Nakamura Nguyen Novak Okafor O'Brien Patel Perez Rossi Santos
Schmidt Silva Singh Smith Tanaka Taylor Wang Williams Wilson Yilmaz
"""
FIRST, LAST = _FIRST_NAMES.split(), _LAST_NAMES.split()
HEALTH_ROLES = ("nurse", "physician", "emt_paramedic", "dental", "pharmacist", "allied_health", "health_student")
OTHER_ROLES = tuple(r for r in CHOICES["role"] if r not in HEALTH_ROLES)


@dataclass
class Learner:
    """A synthetic learner: identity, ability, how often they take quizzes, and their intake answers."""

    email: str
    name: str
    ability: float
    intake: dict
    id: int | None = None


def _ascii(text: str) -> str:
    """Fold a name to lower-case ASCII letters for an email address."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def people(count: int, seed: int) -> list[Learner]:
    """Make `count` learners with names, @example.org emails, abilities and intake answers."""
    rng = random.Random(f"{seed}:learners")  # noqa: S311 - reproducible demo data
    people = []
    for n in range(1, count + 1):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        email = f"{_ascii(first)}.{_ascii(last)}.{seed}-{n}@example.org"
        people.append(Learner(email, f"{first} {last}", rng.gauss(0.9, 0.9), _intake(rng)))
    return people


def _intake(rng: random.Random) -> dict:
    """Return plausible intake answers: most healthcare workers need BLS, most others a CPR/AED course."""
    health = rng.random() < 0.55
    role = rng.choice(HEALTH_ROLES if health else OTHER_ROLES)
    weights = [80, 5, 5, 10] if health else [12, 58, 15, 15]
    regulatory = {"workplace_responder": "osha_workplace", "childcare": "childcare_license", "coach": "school_coach"}
    return {
        "role": role,
        "employer_requires": rng.choices(CHOICES["employer_requires"], weights)[0],
        "clinical_setting": health and (role != "health_student" or rng.random() < 0.5),
        "cares_for": [c for c in CHOICES["cares_for"] if rng.random() < 0.45],
        "regulatory": regulatory.get(role, "none") if rng.random() < 0.7 else "none",
        "current_card": rng.choices(CHOICES["current_card"], [60, 25, 15])[0],
    }


def schedule(count: int, people: list[Learner], limits: list[int | None], seed: int) -> list:
    """Spread attempts over learners (some far busier than others) and quizzes, and number them in time order."""
    rng = random.Random(f"{seed}:schedule")  # noqa: S311 - reproducible demo data
    weights = list(itertools.accumulate(rng.lognormvariate(0, 0.9) for _ in people))
    taken: dict[tuple[int, int], int] = {}
    chosen = []
    for _ in range(count):
        quiz = rng.randrange(len(limits))
        learner = bisect.bisect(weights, rng.random() * weights[-1])
        limit = limits[quiz]
        if limit is not None and taken.get((learner, quiz), 0) >= limit:
            learner, quiz = _free_slot(taken, limits, len(people), rng)
        taken[(learner, quiz)] = taken.get((learner, quiz), 0) + 1
        chosen.append((rng.uniform(3600, SPREAD.total_seconds()), learner, quiz))
    chosen.sort(key=lambda c: -c[0])  # oldest first, so ids and attempt numbers follow time
    numbers: dict[tuple[int, int], int] = {}
    planned = []
    for offset, learner, quiz in chosen:
        numbers[(learner, quiz)] = numbers.get((learner, quiz), 0) + 1
        planned.append((offset, learner, quiz, numbers[(learner, quiz)]))
    return planned


def _free_slot(taken: dict, limits: list[int | None], learners: int, rng: random.Random) -> tuple[int, int]:
    """Find a learner and quiz that still allow another attempt (the capacity was checked beforehand)."""
    start = rng.randrange(learners)
    for step in range(learners):
        learner = (start + step) % learners
        for quiz, limit in enumerate(limits):
            if limit is None or taken.get((learner, quiz), 0) < limit:
                return learner, quiz
    raise DomainError("Every learner has used every attempt these quizzes allow.")
