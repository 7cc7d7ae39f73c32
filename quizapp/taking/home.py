"""A signed-in learner's home page: the attempts in progress, the last result, its advice and what to practise."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from quizapp.banks.schema import QuizSpec
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptStatus, Bank, Quiz, User
from quizapp.taking import result_sources, sitting
from quizapp.taking.catalog import Entry
from quizapp.taking.drawing import focus


@dataclass(frozen=True)
class Practice:
    """The practice quiz suggested for the weakest topic below its threshold in the last result."""

    quiz: Quiz
    topic: str
    label: str
    score: float


@dataclass(frozen=True)
class Home:
    """What the home page shows above the catalog."""

    in_progress: list[Attempt]
    last: Attempt | None
    advised: Attempt | None
    practice: Practice | None
    mixed: Quiz | None  # the practice quiz that focuses on each learner's weakest topics, if one is published


def _latest(user: User, *conditions) -> Attempt | None:
    """Return the user's most recently finished attempt (with its quiz) matching the conditions."""
    stmt = (
        select(Attempt)
        .join(Attempt.quiz)
        .options(contains_eager(Attempt.quiz))
        .where(
            Attempt.user_id == user.id,
            Attempt.status != AttemptStatus.IN_PROGRESS,
            Attempt.percent.is_not(None),
            *conditions,
        )
        .order_by(Attempt.submitted_at.desc(), Attempt.id.desc())
        .limit(1)
    )
    return db.session.execute(stmt).scalar_one_or_none()


def summary(user: User, entries: list[Entry]) -> Home:
    """Return the learner's home-page summary from the loaded catalog entries (published quizzes, open attempts)."""
    in_progress = sorted((e.resume for e in entries if e.resume is not None), key=lambda a: a.started_at)
    quizzes = [e.quiz for e in entries]
    last = _latest(user)
    advised = last
    if last is not None and not last.recommendation:
        advised = _latest(user, Attempt.recommendation.is_not(None))
    practice = suggested_practice(last, quizzes) if last else None
    return Home(in_progress, last, advised, practice, mixed_practice(entries))


def mixed_practice(entries: list[Entry]) -> Quiz | None:
    """Return the oldest published practice quiz whose draw focuses on the learner's weakest topics, if any."""
    mixed = [e.quiz for e in entries if e.spec.focus_weakest and e.spec.feedback == "immediate" and not e.spec.intake]
    return min(mixed, key=lambda quiz: quiz.id, default=None)


def focus_labels(spec: QuizSpec, scores: dict[str, float]) -> list[tuple[str, float]]:
    """Return (topic label, latest percent) of the topics the quiz's draw favours for these scores."""
    slugs = [rule.bank for rule in spec.draw]
    topic_of = dict(db.session.execute(select(Bank.slug, Bank.topic).where(Bank.slug.in_(slugs))).tuples().all())
    favoured = focus.weakest([topic_of.get(slug) for slug in slugs], scores)
    labels = sitting.topic_labels([topic for topic, _ in favoured]) if favoured else {}
    return [(labels[topic], score) for topic, score in favoured]


def weak_topics(attempt: Attempt) -> list[str]:
    """Return the attempt's topics below their threshold, weakest first."""
    scores = {t: s for t, s in (attempt.topic_scores or {}).items() if s is not None}
    # With a recommendation the thresholds are its track's readiness marks (its stored review topics, as the
    # result page lists them), else the quiz's pass mark.
    if attempt.recommendation:
        below = [t for t in attempt.recommendation.get("review_topics", []) if t in scores]
    else:
        below = [t for t, s in scores.items() if s < attempt.spec().pass_percent]
    return sorted(below, key=lambda t: (scores[t], t))


def suggested_practice(attempt: Attempt, quizzes: list[Quiz]) -> Practice | None:
    """Return the practice quiz of the weakest topic below its threshold, if there is one."""
    weak = weak_topics(attempt)
    if not weak:
        return None
    live = select(Bank.slug, Bank.topic, Bank.title).where(Bank.retired.is_(False)).order_by(Bank.id)
    banks = db.session.execute(live).all()
    practice = result_sources.practice_quizzes(quizzes, {bank.slug: bank.topic for bank in banks})
    by_slug = {quiz.slug: quiz for quiz in quizzes}
    for topic in weak:
        if topic in practice:
            label = next(bank.title for bank in banks if bank.topic == topic)
            return Practice(by_slug[practice[topic]], topic, label, attempt.topic_scores[topic])
    return None
