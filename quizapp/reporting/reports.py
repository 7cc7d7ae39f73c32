"""Per-quiz score summaries for instructors, aggregated in SQL; item statistics live in `item_report`.

Which attempts count: finished attempts (submitted or expired) of the quiz; `first` (the default) keeps only each
learner's attempt number 1, `all` keeps every finished attempt.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, distinct, func, select

from quizapp.extensions import db
from quizapp.models import Attempt, AttemptStatus, AuditEvent, Bank, Quiz
from quizapp.reporting import report_cache
from quizapp.taking.drawing import pool

MODES = ("first", "all")
READINESS = ("ready", "review", "not-assessed")
BINS = 10
REGRADE_ACTION = "regrade"  # the audit action services.regrade records


def parse_mode(value: str | None) -> str:
    """Return the attempts mode asked for: `first` (the default) or `all`."""
    return value if value in MODES else MODES[0]


def counted(quiz_id: int, mode: str) -> list:
    """Return the WHERE conditions selecting the attempts a report counts."""
    conditions = [Attempt.quiz_id == quiz_id, Attempt.status != AttemptStatus.IN_PROGRESS, Attempt.percent.is_not(None)]
    if mode == "first":
        conditions.append(Attempt.number == 1)
    return conditions


def stamp(quiz_id: int) -> tuple[int, datetime | None, int | None]:
    """Return a quiz's cheap validity stamp: finished attempts, the latest submission and the latest regrade."""
    # A regrade rescores finished attempts without finishing new ones; it records an audit event, so the
    # newest regrade event (any quiz: regrades are rare) is part of the stamp.
    regraded = select(func.max(AuditEvent.id)).where(AuditEvent.action == REGRADE_ACTION).scalar_subquery()
    # count(*), not count(id): PostgreSQL then answers from the covering index ix_attempt_report alone.
    count, latest, regrade = db.session.execute(
        select(func.count(), func.max(Attempt.submitted_at), regraded).where(
            Attempt.quiz_id == quiz_id, Attempt.status != AttemptStatus.IN_PROGRESS
        )
    ).one()
    return count, latest, regrade


@dataclass(frozen=True)
class QuizRow:
    """One quiz on the reports index."""

    quiz: Quiz
    attempts: int
    learners: int
    latest: datetime | None


def quiz_index() -> list[QuizRow]:
    """Return every quiz with its finished attempts, learners and latest submission (one query)."""
    stmt = (
        select(Quiz, func.count(Attempt.id), func.count(distinct(Attempt.user_id)), func.max(Attempt.submitted_at))
        .outerjoin(Attempt, and_(Attempt.quiz_id == Quiz.id, Attempt.status != AttemptStatus.IN_PROGRESS))
        .group_by(Quiz.id)
        .order_by(Quiz.title)
    )
    return [QuizRow(*row) for row in db.session.execute(stmt).tuples()]


def quiz_topics(quiz: Quiz) -> list[str]:
    """Return the topics of the banks a quiz draws from."""
    banks = pool.rule_banks(quiz.spec())
    stmt = select(Bank.topic).distinct().order_by(Bank.topic)
    if banks is not None:
        stmt = stmt.where(Bank.slug.in_(banks))
    return list(db.session.scalars(stmt))


def summary(quiz: Quiz, mode: str) -> dict:
    """Return the score summary of the counted attempts, cached until another attempt is finished."""
    current = stamp(quiz.id)
    return report_cache.get_or_compute(("summary", quiz.id, mode), current, lambda: _summary(quiz, mode, current[0]))


def _summary(quiz: Quiz, mode: str, finished: int) -> dict:
    """Compute the score summary with SQL aggregates (six queries)."""
    where = counted(quiz.id, mode)
    n, learners, passed, mean, low, high = db.session.execute(
        select(
            func.count(Attempt.id),
            func.count(distinct(Attempt.user_id)),
            func.coalesce(func.sum(case((Attempt.passed.is_(True), 1), else_=0)), 0),
            func.avg(Attempt.percent),
            func.min(Attempt.percent),
            func.max(Attempt.percent),
        ).where(*where)
    ).one()
    tracks, readiness = _tracks(where)
    return {
        "mode": mode,
        "finished": finished,
        "attempts": n,
        "learners": learners,
        "passed": passed,
        "pass_rate": 100 * passed / n if n else None,
        "mean": float(mean) if mean is not None else None,
        "median": _median(where, n),
        "low": low,
        "high": high,
        "histogram": _histogram(where),
        "topics": _topic_means(quiz, where),
        "tracks": tracks,
        "readiness": readiness,
        "readiness_rows": [{"readiness": r, "count": readiness.get(r, 0)} for r in READINESS],
    }


def _median(where: list, n: int) -> float | None:
    """Return the median percent: the middle one or two values, found by the database's sort."""
    if not n:
        return None
    stmt = select(Attempt.percent).where(*where).order_by(Attempt.percent).offset((n - 1) // 2).limit(2 - n % 2)
    return statistics.fmean(db.session.scalars(stmt))


def _histogram(where: list) -> list[dict]:
    """Return attempts per 10-point bin of percent (the last bin holds 90 to 100 inclusive), bucketed in SQL."""
    bucket = case(*[(Attempt.percent < 10 * (i + 1), i) for i in range(BINS - 1)], else_=BINS - 1).label("bin")
    inner = select(bucket).where(*where).subquery()
    rows = db.session.execute(select(inner.c.bin, func.count()).group_by(inner.c.bin)).tuples()
    counts = {int(b): c for b, c in rows}
    return [{"low": 10 * i, "high": 10 * (i + 1), "count": counts.get(i, 0)} for i in range(BINS)]


def _topic_means(quiz: Quiz, where: list) -> dict[str, float]:
    """Return the mean percent per topic, averaged in SQL from each attempt's stored topic scores."""
    topics = quiz_topics(quiz)
    if not topics:
        return {}
    row = db.session.execute(select(*[func.avg(Attempt.topic_scores[t].as_float()) for t in topics]).where(*where))
    return {t: round(float(v), 2) for t, v in zip(topics, row.one(), strict=True) if v is not None}


def _tracks(where: list) -> tuple[list[dict], dict[str, int]]:
    """Return recommended tracks with their readiness counts, grouped in SQL on the stored recommendation."""
    rec = Attempt.recommendation
    inner = (
        select(
            rec["track"].as_string().label("track"),
            rec["track_title"].as_string().label("title"),
            rec["readiness"].as_string().label("readiness"),
        )
        .where(*where, rec.is_not(None))
        .subquery()
    )
    cols = (inner.c.track, inner.c.title, inner.c.readiness)
    rows = db.session.execute(select(*cols, func.count()).group_by(*cols).order_by(*cols)).tuples()
    tracks: dict[str, dict] = {}
    readiness: dict[str, int] = {}
    for slug, title, ready, count in rows:
        if slug is None:
            continue
        entry = tracks.setdefault(slug, {"track": slug, "title": title or slug, "count": 0, "readiness": {}})
        entry["count"] += count
        entry["readiness"][ready] = entry["readiness"].get(ready, 0) + count
        readiness[ready] = readiness.get(ready, 0) + count
    return sorted(tracks.values(), key=lambda t: (-t["count"], t["track"])), readiness
