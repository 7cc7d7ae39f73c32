"""Synthetic demo data: learners and finished attempts, drawn, answered and scored exactly as the app does.

Everything random comes from `random.Random` seeded from the `seed` argument (and names, never ids or `hash()`),
so the same seed on the same starting database gives the same rows. Each learner (see `demo_learners`) has an
ability and each question a difficulty and a slope; a learner answers right with the usual logistic chance, some
answers are wrong (a plausible distractor) and some are blank. Attempts are drawn with `draw.draw`, graded with
`scoring.grade`, and intake quizzes store `recommender.recommend`'s advice, as a real submission would.
"""

from __future__ import annotations

import math
import random
import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import insert, select
from werkzeug.security import generate_password_hash

from quizapp import clock, qtypes
from quizapp.banks.formats.file_errors import BankFileError
from quizapp.banks.schema import Question as QuestionSpec
from quizapp.banks.schema import QuizSpec
from quizapp.demo import cohort
from quizapp.errors import DomainError
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptStatus, QuestionVersion, Quiz, Response, Role, User
from quizapp.models.attempt import public_id_from
from quizapp.recommendation import recommender, stored
from quizapp.recommendation.tracks import TrackRules
from quizapp.taking import grading, scoring
from quizapp.taking.drawing import pool
from quizapp.taking.drawing.draw import Candidate, draw

BATCH_ATTEMPTS = 2000
INSERT_ROWS = 5000


@dataclass
class _QuizPlan:
    """A quiz to seed, with its pool, pinned versions and per-question behaviour."""

    quiz: Quiz
    spec: QuizSpec
    candidates: list[Candidate]
    versions: dict[int, QuestionVersion]
    behaviour: dict[int, tuple[float, float, list[float]]] = field(default_factory=dict)  # vid -> (a, b, lures)


@dataclass
class Plan:
    """What `run` will insert: checked and loaded by `prepare`."""

    seed: int
    now: datetime
    learners: list[cohort.Learner]
    quizzes: list[_QuizPlan]
    attempts: list[tuple[float, int, int, int]]  # (start offset in seconds before now, learner, quiz, number)
    rules: TrackRules | None


def prepare(
    learners: int, attempts: int, seed: int = 1, slugs: Sequence[str] = (), now: datetime | None = None
) -> Plan:
    """Check the request, load the quizzes and their pools, and plan who takes which quiz when."""
    if learners < 1 or attempts < 0:
        raise DomainError("Give at least one learner and zero or more attempts.")
    quizzes = _quizzes(slugs)
    plans = [_quiz_plan(q, seed) for q in quizzes]
    rules = None
    if any(p.spec.intake for p in plans):
        try:
            rules = stored.rules()
        except BankFileError as exc:
            raise DomainError(f"The track rules cannot be read ({exc}); intake quizzes need them.") from None
    people = cohort.people(learners, seed)
    _refuse_existing([p.email for p in people])
    limits = [p.spec.attempts_allowed for p in plans]
    if all(limit is not None for limit in limits) and learners * sum(limits) < attempts:
        raise DomainError(f"{learners} learners can make at most {learners * sum(limits)} attempts at these quizzes.")
    return Plan(seed, now or clock.now(), people, plans, cohort.schedule(attempts, people, limits, seed), rules)


def _quizzes(slugs: Sequence[str]) -> list[Quiz]:
    """Return the named quizzes, or every published quiz, in slug order."""
    stmt = select(Quiz).order_by(Quiz.slug)
    stmt = stmt.where(Quiz.slug.in_(slugs)) if slugs else stmt.where(Quiz.published.is_(True))
    found = list(db.session.scalars(stmt))
    missing = sorted(set(slugs) - {q.slug for q in found})
    if missing:
        raise DomainError(f"No quiz called {', '.join(missing)}.")
    if not found:
        raise DomainError("There are no published quizzes; import some with `flask banks import questions`.")
    return found


def _quiz_plan(quiz: Quiz, seed: int) -> _QuizPlan:
    """Load a quiz's draw pool and give each question a difficulty, a slope and distractor weights."""
    spec = quiz.spec()
    candidates = pool.candidates(pool.rule_banks(spec))
    problems = pool.shortfalls(spec, candidates)
    if problems:
        raise DomainError(f"Quiz {quiz.slug} cannot be drawn: {'; '.join(problems)}.")
    ids = [c.version_id for c in candidates]
    versions = {v.id: v for v in db.session.scalars(select(QuestionVersion).where(QuestionVersion.id.in_(ids)))}
    plan = _QuizPlan(quiz, spec, candidates, versions)
    for vid, version in versions.items():
        q = version.spec()
        rng = random.Random(f"{seed}:question:{q.key}")  # noqa: S311 - reproducible demo data
        slope = rng.uniform(0.4, 2.2) if rng.random() > 0.05 else -rng.uniform(0.3, 0.8)
        difficulty = (q.difficulty - 2) * 0.7 + rng.gauss(0, 0.5)
        plan.behaviour[vid] = (slope, difficulty, [rng.random() ** 2 + 0.05 for _ in q.choices or ()])
    return plan


def _refuse_existing(emails: list[str]) -> None:
    """Refuse to seed over learners that a previous run with this seed created."""
    for start in range(0, len(emails), 1000):
        clash = db.session.scalar(select(User.email).where(User.email.in_(emails[start : start + 1000])).limit(1))
        if clash is not None:
            raise DomainError(f"Demo learners for this seed already exist ({clash}); choose another --seed.")


def run(plan: Plan) -> Iterator[int]:
    """Insert the learners, then the attempts and responses in batches; yield attempts per batch (caller commits)."""
    password_hash = generate_password_hash(secrets.token_urlsafe(24))  # hashed once, shared: nobody signs in
    rows = [
        {
            "email": p.email,
            "display_name": p.name,
            "password_hash": password_hash,
            "role": Role.LEARNER,
            "active": True,
            "session_version": 1,
            "created_at": plan.now - cohort.SPREAD - timedelta(days=1 + i % 30),
        }
        for i, p in enumerate(plan.learners)
    ]
    for start in range(0, len(rows), INSERT_ROWS):
        chunk = rows[start : start + INSERT_ROWS]
        ids = db.session.scalars(_returning_ids(User), chunk).all()
        for person, user_id in zip(plan.learners[start:], ids, strict=False):
            person.id = user_id
    rng = random.Random(f"{plan.seed}:answers")  # noqa: S311 - reproducible demo data
    for start in range(0, len(plan.attempts), BATCH_ATTEMPTS):
        batch = plan.attempts[start : start + BATCH_ATTEMPTS]
        built = [_attempt(plan, rng, *entry) for entry in batch]
        ids = db.session.scalars(_returning_ids(Attempt), [a for a, _ in built]).all()
        responses = [
            {**r, "attempt_id": attempt_id} for attempt_id, (_, rs) in zip(ids, built, strict=True) for r in rs
        ]
        for first in range(0, len(responses), INSERT_ROWS):
            db.session.execute(insert(Response.__table__), responses[first : first + INSERT_ROWS])
        db.session.flush()
        yield len(batch)


def _returning_ids(model):
    """Return a bulk INSERT of the model's table that returns the new ids in the order of the rows given."""
    # Table-level (Core) inserts: the ORM's bulk path groups rows by which values are None and splices the
    # results back together, which costs more than the whole insert at this size.
    table = model.__table__
    return insert(table).returning(table.c.id, sort_by_parameter_order=True)


def _attempt(plan: Plan, rng: random.Random, offset: float, learner: int, quiz: int, number: int):
    """Build one finished attempt row and its response rows."""
    person, target = plan.learners[learner], plan.quizzes[quiz]
    spec = target.spec
    draw_seed = rng.getrandbits(31)
    layout = draw(spec.draw, target.candidates, draw_seed, spec.shuffle_questions, spec.shuffle_choices)
    started = plan.now - timedelta(seconds=offset)
    ability = person.ability + 0.35 * (number - 1)  # people improve with practice
    clock_s, answers, responses = 0.0, {}, []
    for slot, entry in enumerate(layout):
        clock_s += rng.uniform(12, 80)
        q = target.versions[entry["v"]].spec()
        slope, difficulty, lures = target.behaviour[entry["v"]]
        blank = rng.random() < 0.02 + 0.05 * (ability < -0.5)
        answer = None if blank else _answer(q, rng, rng.random() < _chance(ability, slope, difficulty), lures)
        if blank and rng.random() < 0.6:
            continue  # never visited: no response row at all, as in the app
        answers[slot] = SimpleNamespace(answer=answer)
        responses.append(
            {
                "slot": slot,
                "version_id": entry["v"],
                "answer": answer,
                "flagged": rng.random() < 0.03,
                "locked": spec.feedback == "immediate" and answer is not None,  # practice answers are checked
                "saved_at": started + timedelta(seconds=clock_s),
            }
        )
    deadline = started + timedelta(minutes=spec.time_limit_minutes) if spec.time_limit_minutes else None
    expired = deadline is not None and rng.random() < 0.03
    submitted = deadline if expired else started + timedelta(seconds=clock_s + rng.uniform(5, 60))
    if deadline is not None and submitted > deadline:
        submitted = deadline
    attempt = SimpleNamespace(layout=layout)
    per_slot, totals = scoring.grade(attempt, target.versions, answers)
    for r in responses:
        r["score"], r["correct"] = per_slot[r["slot"]]
    intake = person.intake if spec.intake else None
    advice = None
    if intake is not None and plan.rules is not None:
        marks = {**totals.topics, "overall": totals.percent}
        advice = recommender.recommend(intake, marks, plan.rules, target.quiz.slug)
    row = {
        "public_id": public_id_from(rng.getrandbits(128).to_bytes(16, "big")),
        "quiz_id": target.quiz.id,
        "user_id": person.id,
        "number": number,
        "status": AttemptStatus.EXPIRED if expired else AttemptStatus.SUBMITTED,
        "seed": draw_seed,
        "started_at": started,
        "deadline": deadline,
        "submitted_at": submitted,
        "layout": layout,
        "settings": target.quiz.settings,
        "score": totals.score,
        "max_score": totals.max_score,
        "percent": totals.percent,
        "passed": totals.percent >= spec.pass_percent,
        "topic_scores": totals.topics,
        "intake": intake,
        "recommendation": advice,
    }
    return row, responses


def _chance(ability: float, slope: float, difficulty: float) -> float:
    """Return the chance of a right answer (two-parameter logistic model)."""
    return 1 / (1 + math.exp(-1.7 * slope * (ability - difficulty)))


def _answer(q: QuestionSpec, rng: random.Random, right: bool, lures: list[float]) -> dict:
    """Return a right answer, or a plausible wrong one, in the canonical form the app stores."""
    raw = qtypes.get(q.type).simulated_answer(q, rng, right, lures)
    return grading.normalise(q, raw)
