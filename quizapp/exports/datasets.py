"""Score exports (attempts, responses): one service behind the admin download and `flask export`.

`prepare` runs the small queries up front (COUNT, the topic columns) and returns an `Export` whose rows are
streamed (by `export_rows`) from one query with `yield_per`, so memory and the number of queries stay constant
whatever the row count.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from quizapp import audit, clock
from quizapp.errors import DomainError
from quizapp.exports import queries
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptStatus, AuditEvent, Quiz, Response, User

DATASETS = ("attempts", "responses")
STATUSES = ("submitted", "all")
FINISHED = (AttemptStatus.SUBMITTED.value, AttemptStatus.EXPIRED.value)


class UnknownQuiz(DomainError):
    """The export names a quiz that does not exist."""


@dataclass(frozen=True)
class Filters:
    """Which attempts an export covers; `since`/`until` are inclusive UTC dates of the attempt's start."""

    quiz: str | None = None
    since: date | None = None
    until: date | None = None
    status: str = "submitted"

    def as_dict(self) -> dict:
        """Return the filters as JSON-ready values (for the audit log)."""
        return {
            "quiz": self.quiz,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "status": self.status,
        }

    @classmethod
    def from_dict(cls, values: dict) -> Filters:
        """Return the filters that `as_dict` wrote (a background export's parameters)."""
        since, until = values.get("since"), values.get("until")
        return cls(
            values.get("quiz"),
            date.fromisoformat(since) if since else None,
            date.fromisoformat(until) if until else None,
            values.get("status", "submitted"),
        )


@dataclass
class Export:
    """A prepared export: its columns, its row count, and its rows (streamed when first iterated)."""

    dataset: str
    filters: Filters
    columns: list[str]
    total: int
    rows: Iterator[list] = field(repr=False)


def quiz_choices() -> list[tuple[str, str]]:
    """Return (slug, title) of every quiz, for the export form."""
    return list(db.session.execute(select(Quiz.slug, Quiz.title).order_by(Quiz.title, Quiz.slug)).tuples())


def conditions(filters: Filters) -> list:
    """Return the WHERE conditions on `Attempt` for these filters."""
    where = []
    if filters.quiz:
        where.append(Attempt.quiz_id == select(Quiz.id).where(Quiz.slug == filters.quiz).scalar_subquery())
    if filters.since:
        where.append(Attempt.started_at >= datetime.combine(filters.since, time.min))
    if filters.until:
        where.append(Attempt.started_at < datetime.combine(filters.until + timedelta(days=1), time.min))
    if filters.status == "submitted":
        where.append(Attempt.status.in_(FINISHED))
    return where


def check(dataset: str, filters: Filters) -> None:
    """Refuse an unknown dataset, status or quiz with a clear message."""
    if dataset not in DATASETS:
        raise DomainError(f"Unknown export {dataset!r}: choose {' or '.join(DATASETS)}.")
    if filters.status not in STATUSES:
        raise DomainError(f"Unknown status {filters.status!r}: choose {' or '.join(STATUSES)}.")
    if filters.quiz and db.session.scalar(select(Quiz.id).where(Quiz.slug == filters.quiz)) is None:
        raise UnknownQuiz(f"There is no quiz {filters.quiz!r}.")


def prepare(dataset: str, filters: Filters) -> Export:
    """Validate, count and describe an export; its rows are read lazily, in batches."""
    check(dataset, filters)
    where = conditions(filters)
    if dataset == "attempts":
        total = db.session.scalar(select(func.count()).select_from(Attempt).where(*where))
        topics = queries.topic_names(where)
        columns = queries.attempt_columns(topics)
        return Export(dataset, filters, columns, total, queries.attempt_rows(where, topics))
    total = db.session.scalar(
        select(func.count(Response.id))
        .join(Attempt, Attempt.id == Response.attempt_id)
        .where(*where, queries.answered())
    )
    return Export(dataset, filters, list(queries.RESPONSE_COLUMNS), total, queries.response_rows(where))


def log(export: Export, actor: User | None, fmt: str, source: str) -> AuditEvent:
    """Record the export in the audit log (before streaming, so a failed download is still logged)."""
    return audit.record(
        actor,
        "export",
        target=export.dataset,
        filters=export.filters.as_dict(),
        format=fmt,
        rows=export.total,
        source=source,
    )


def filename(dataset: str, extension: str) -> str:
    """Return the server-chosen download name, e.g. quizapp-attempts-20261124T0605Z.csv."""
    return f"quizapp-{dataset}-{clock.now():%Y%m%dT%H%MZ}.{extension}"
