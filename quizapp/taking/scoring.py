"""Scoring an attempt from its saved responses, exactly once."""

from __future__ import annotations

from sqlalchemy import select, update

from quizapp import clock
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptStatus, QuestionVersion, Response
from quizapp.recommendation import stored
from quizapp.taking import grading


def versions_for(attempt: Attempt) -> dict[int, QuestionVersion]:
    """Load the question versions pinned by an attempt (one query)."""
    ids = {slot["v"] for slot in attempt.layout}
    rows = db.session.execute(select(QuestionVersion).where(QuestionVersion.id.in_(ids))).scalars()
    return {v.id: v for v in rows}


def responses_for(attempt: Attempt) -> dict[int, Response]:
    """Load an attempt's saved responses keyed by slot (one query)."""
    rows = db.session.execute(select(Response).where(Response.attempt_id == attempt.id)).scalars()
    return {r.slot: r for r in rows}


def grade(attempt: Attempt, versions: dict[int, QuestionVersion], responses: dict[int, Response]):
    """Return per-slot (score, correct) and the attempt totals, without writing anything."""
    per_slot, slot_scores = {}, []
    for index, entry in enumerate(attempt.layout):
        spec = versions[entry["v"]].spec()
        r = responses.get(index)
        answer = r.answer if r is not None else None
        earned = grading.score(spec, answer)
        per_slot[index] = (earned, grading.is_correct(spec, answer))
        slot_scores.append(grading.SlotScore(entry["topic"], earned, spec.points))
    return per_slot, grading.summarise(slot_scores)


def finalise(attempt: Attempt, status: AttemptStatus) -> bool:
    """Close an open attempt with its score; return False when another request already closed it."""
    # Lock the attempt row first, so answers saved concurrently are either in this score or refused.
    current = db.session.execute(select(Attempt.status).where(Attempt.id == attempt.id).with_for_update()).scalar_one()
    if current != AttemptStatus.IN_PROGRESS:
        db.session.refresh(attempt)
        return False
    versions, responses = versions_for(attempt), responses_for(attempt)
    per_slot, totals = grade(attempt, versions, responses)
    spec = attempt.spec()
    pass_percent = spec.pass_percent
    advice = stored.for_intake(attempt.intake, {**totals.topics, "overall": totals.percent}, spec.slug)
    closed = db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.status == AttemptStatus.IN_PROGRESS)
        .values(
            status=status,
            submitted_at=clock.now(),
            score=totals.score,
            max_score=totals.max_score,
            percent=totals.percent,
            passed=totals.percent >= pass_percent,
            topic_scores=totals.topics,
            recommendation=advice,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if closed:
        rows = [{"id": r.id, "score": per_slot[s][0], "correct": per_slot[s][1]} for s, r in responses.items()]
        if rows:
            db.session.execute(update(Response), rows)
    db.session.refresh(attempt)
    return bool(closed)
