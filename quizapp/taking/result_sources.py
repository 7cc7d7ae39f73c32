"""Read from the database what the result view-model needs, then build it (`result_page.build` stays pure)."""

from __future__ import annotations

from sqlalchemy import and_, func, or_, select

from quizapp.extensions import db
from quizapp.models import Attempt, AttemptStatus, Bank, Quiz, User
from quizapp.recommendation import stored
from quizapp.taking import result_page, sitting


def for_attempt(attempt: Attempt, user: User, rows: list[sitting.ResultRow]) -> result_page.ResultPage:
    """Return the result page of a finished attempt, judged with the marks stored with its recommendation."""
    quizzes, used = quiz_catalog(user, attempt.quiz_id)
    allowed = attempt.spec().attempts_allowed
    facts = facts_of(attempt, None if allowed is None else max(0, allowed - used.get(attempt.quiz_id, 0)))
    names = names_for(quizzes, list(facts.topics), sitting.missed_by_topic(rows), exclude=attempt.quiz.slug)
    return result_page.build(facts, attempt.recommendation, stored.rules(), names)


def for_intake(intake: dict, user: User | None) -> tuple[result_page.ResultPage, Attempt | None]:
    """Return the /recommend page's view-model: the track for these answers, judged by the track's own quiz."""
    rec, attempt = stored.for_learner(intake, user)
    facts = facts_of(attempt, 0) if attempt is not None else None
    quizzes, _ = quiz_catalog(user, None)
    names = names_for(quizzes, list(facts.topics) if facts else [], {}, exclude=None)
    return result_page.build(facts, rec, stored.rules(), names), attempt


def facts_of(attempt: Attempt, attempts_left: int | None) -> result_page.Facts:
    """Return a finished attempt's figures as plain values."""
    return result_page.Facts(
        quiz_slug=attempt.quiz.slug,
        quiz_title=attempt.quiz.title,
        percent=attempt.percent or 0.0,
        score=attempt.score or 0.0,
        max_score=attempt.max_score or 0.0,
        passed=bool(attempt.passed),
        pass_percent=attempt.spec().pass_percent,
        topics=dict(attempt.topic_scores or {}),
        attempts_left=attempts_left,
        expired=attempt.status == AttemptStatus.EXPIRED,
    )


def quiz_catalog(user: User | None, own_quiz_id: int | None) -> tuple[list[Quiz], dict[int, int]]:
    """Return the published quizzes (and the attempt's own), with the attempts the learner started at each."""
    mine = and_(Attempt.quiz_id == Quiz.id, Attempt.user_id == (user.id if user else None))
    rows = db.session.execute(
        select(Quiz, func.count(Attempt.id))
        .outerjoin(Attempt, mine)
        .where(or_(Quiz.published.is_(True), Quiz.id == own_quiz_id))
        .group_by(Quiz.id)
        .order_by(Quiz.title)
    ).all()
    return [quiz for quiz, _ in rows if quiz.published], {quiz.id: used for quiz, used in rows}


def names_for(quizzes: list[Quiz], topics: list[str], missed: dict[str, list[int]], exclude: str | None):
    """Return topic labels, the practice quiz of each topic (not `exclude`) and published quiz titles (one query)."""
    banks = db.session.execute(select(Bank.slug, Bank.topic, Bank.title, Bank.retired).order_by(Bank.id)).all()
    labels: dict[str, str] = {}
    for bank in banks:
        labels.setdefault(bank.topic, bank.title)
    topic_of = {bank.slug: bank.topic for bank in banks if not bank.retired}
    return result_page.Names(
        labels={t: labels.get(t, t.replace("-", " ").capitalize()) for t in topics},
        missed=missed,
        practice={t: slug for t, slug in practice_quizzes(quizzes, topic_of).items() if slug != exclude},
        quizzes={quiz.slug: quiz.title for quiz in quizzes},
    )


def practice_quizzes(quizzes: list[Quiz], topic_of: dict[str, str]) -> dict[str, str]:
    """Return, per topic, the oldest practice quiz (immediate feedback, no intake) drawing only from its banks."""
    found: dict[str, str] = {}
    # The oldest one is the quiz the site started with: a quiz added later for a class never displaces it.
    for quiz in sorted(quizzes, key=lambda quiz: quiz.id):
        spec = quiz.spec()
        if spec.intake or spec.feedback != "immediate":
            continue
        topics = {topic_of.get(rule.bank) for rule in spec.draw}
        if len(topics) == 1 and None not in topics:
            found.setdefault(topics.pop(), quiz.slug)
    return found
