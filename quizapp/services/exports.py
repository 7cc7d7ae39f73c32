"""Score exports (attempts, responses): one service behind the admin download and `flask export`.

`prepare` runs the small queries up front (COUNT, the topic columns) and returns an `Export` whose rows are
streamed from one query with `yield_per`, so memory and the number of queries stay constant whatever the row count.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, func, select

from quizapp import clock, grading
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptStatus, AuditEvent, Bank, Question, QuestionVersion, Quiz, Response, User
from quizapp.services import audit
from quizapp.services.errors import DomainError

DATASETS = ("attempts", "responses")
STATUSES = ("submitted", "all")
BATCH = 1000
FINISHED = (AttemptStatus.SUBMITTED.value, AttemptStatus.EXPIRED.value)
ATTEMPT_COLUMNS = [
    "attempt_id",
    "learner_name",
    "learner_email",
    "quiz",
    "attempt_number",
    "started_at",
    "submitted_at",
    "duration_seconds",
    "status",
    "score",
    "max_score",
    "percent",
    "passed",
]
ATTEMPT_TAIL = ["recommended_track", "readiness"]
TOPIC_PREFIX = "topic_percent_"
RESPONSE_COLUMNS = [
    "attempt_id",
    "learner_email",
    "quiz",
    "slot",
    "bank",
    "question_key",
    "question_version",
    "type",
    "answer",
    "correct",
    "score",
]


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
        total = db.session.scalar(select(func.count(Attempt.id)).where(*where))
        topics = topic_names(where)
        columns = ATTEMPT_COLUMNS + [TOPIC_PREFIX + t for t in topics] + ATTEMPT_TAIL
        return Export(dataset, filters, columns, total, _attempt_rows(where, topics))
    total = db.session.scalar(
        select(func.count(Response.id)).join(Attempt, Attempt.id == Response.attempt_id).where(*where, _answered())
    )
    return Export(dataset, filters, list(RESPONSE_COLUMNS), total, _response_rows(where))


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


def _stream(stmt: Select) -> Iterator:
    """Execute a select in batches (a server-side cursor on PostgreSQL), yielding rows one by one."""
    yield from db.session.execute(stmt.execution_options(yield_per=BATCH))


def topic_names(where: list) -> list[str]:
    """Return the sorted topics present in the selected attempts' scores (one streamed query)."""
    stmt = select(Attempt.topic_scores).where(*where, Attempt.topic_scores.is_not(None))
    found: set[str] = set()
    for (scores,) in _stream(stmt):
        found.update(scores or {})
    return sorted(found)


def attempts_query(where: list) -> Select:
    """Return the one query behind the attempts export."""
    return (
        select(
            Attempt.public_id,
            User.display_name,
            User.email,
            Quiz.slug.label("quiz"),
            Attempt.number,
            Attempt.started_at,
            Attempt.submitted_at,
            Attempt.status,
            Attempt.score,
            Attempt.max_score,
            Attempt.percent,
            Attempt.passed,
            Attempt.topic_scores,
            Attempt.recommendation,
        )
        .join(User, User.id == Attempt.user_id)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(*where)
        .order_by(Attempt.id)
    )


def iso(moment: datetime | None) -> str | None:
    """Return a stored (naive UTC) time as ISO 8601 with a Z, to the second."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def attempt_row(r, topics: list[str]) -> list:
    """Return one attempts-export row from a row of `attempts_query` (anything with those attribute names)."""
    duration = round((r.submitted_at - r.started_at).total_seconds()) if r.submitted_at and r.started_at else None
    scores = r.topic_scores or {}
    advice = r.recommendation or {}
    return [
        r.public_id,
        r.display_name,
        r.email,
        r.quiz,
        r.number,
        iso(r.started_at),
        iso(r.submitted_at),
        duration,
        str(r.status),
        r.score,
        r.max_score,
        r.percent,
        r.passed,
        *(scores.get(t) for t in topics),
        advice.get("track"),
        advice.get("readiness"),
    ]


def _attempt_rows(where: list, topics: list[str]) -> Iterator[list]:
    """Yield attempts-export rows from one query read in batches."""
    for r in _stream(attempts_query(where)):
        yield attempt_row(r, topics)


def _answered():
    """Responses that hold an answer (a flag alone is not an answer)."""
    return Response.answer.is_not(None)


def responses_query(where: list) -> Select:
    """Return the one query behind the responses export: response, attempt, learner, quiz, version, question, bank."""
    return (
        select(
            Attempt.public_id,
            User.email,
            Quiz.slug.label("quiz"),
            Response.slot,
            Bank.slug.label("bank"),
            Question.key,
            QuestionVersion.number.label("version"),
            QuestionVersion.type,
            Response.version_id,
            Response.answer,
            Response.correct,
            Response.score,
        )
        .select_from(Response)
        .join(Attempt, Attempt.id == Response.attempt_id)
        .join(User, User.id == Attempt.user_id)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .join(QuestionVersion, QuestionVersion.id == Response.version_id)
        .join(Question, Question.id == QuestionVersion.question_id)
        .join(Bank, Bank.id == Question.bank_id)
        .where(*where, _answered())
        .order_by(Attempt.id, Response.slot)
    )


def specs_for(where: list) -> dict:
    """Parse each question version the selected responses use, once (one query; bounded by the banks' size)."""
    used = select(Response.version_id).join(Attempt, Attempt.id == Response.attempt_id).where(*where, _answered())
    versions = db.session.execute(select(QuestionVersion).where(QuestionVersion.id.in_(used))).scalars()
    return {v.id: v.spec() for v in versions}


def readable(spec, answer: dict | None) -> str:
    """Return an answer as text; an answer the spec cannot read is shown as its JSON rather than failing."""
    try:
        return grading.answer_text(spec, answer)
    except (KeyError, IndexError, TypeError, AttributeError):
        return json.dumps(answer, ensure_ascii=False, sort_keys=True)


def response_row(r, spec) -> list:
    """Return one responses-export row from a row of `responses_query` and the pinned version's spec."""
    return [
        r.public_id,
        r.email,
        r.quiz,
        r.slot + 1,
        r.bank,
        r.key,
        r.version,
        r.type,
        readable(spec, r.answer),
        r.correct,
        r.score,
    ]


def _response_rows(where: list) -> Iterator[list]:
    """Yield responses-export rows (two queries: the versions' specs, then the rows in batches)."""
    specs = specs_for(where)
    for r in _stream(responses_query(where)):
        spec = specs.get(r.version_id)
        if spec is None:  # an attempt started after the versions were read
            spec = specs[r.version_id] = db.session.get(QuestionVersion, r.version_id).spec()
        yield response_row(r, spec)
