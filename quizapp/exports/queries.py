"""Columns, queries and row builders for each export dataset (attempts, responses), read in batches."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import datetime

from sqlalchemy import Select, func, select, true

from quizapp.extensions import db
from quizapp.models import Attempt, Bank, LtiUser, Question, QuestionVersion, Quiz, Response, User
from quizapp.taking import grading

BATCH = 5000
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
# A learner launched from a learning platform has no real e-mail: the platform and its user id identify them.
ATTEMPT_TAIL = ["recommended_track", "readiness", "platform", "platform_user_id"]
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


def attempt_columns(topics: list[str]) -> list[str]:
    """Return the attempts-export columns, with one percent column per topic."""
    return ATTEMPT_COLUMNS + [TOPIC_PREFIX + t for t in topics] + ATTEMPT_TAIL


def _stream(stmt: Select) -> Iterator:
    """Execute a Core select in batches (a server-side cursor on PostgreSQL), yielding rows one by one."""
    result = db.session.connection().execute(stmt.execution_options(yield_per=BATCH))
    for partition in result.partitions():
        yield from partition


def topic_names(where: list) -> list[str]:
    """Return the sorted topics present in the selected attempts' scores (one query: the database lists the keys)."""
    if db.session.get_bind().dialect.name == "postgresql":
        stmt = select(func.json_object_keys(Attempt.topic_scores)).where(*where)
    else:
        keys = func.json_each(Attempt.topic_scores).table_valued("key")
        stmt = select(keys.c.key).select_from(Attempt).join(keys, true()).where(*where)
    return sorted(db.session.scalars(stmt.distinct()))


def attempts_query(where: list, topics: list[str]) -> Select:
    """Return the one query behind the attempts export, in column order but for the duration (made from two times)."""
    # Topic percents and the advice are read out of their JSON columns by the database, so no row's JSON is decoded.
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
            *(Attempt.topic_scores[t].as_float() for t in topics),
            Attempt.recommendation["track"].as_string(),
            Attempt.recommendation["readiness"].as_string(),
            LtiUser.issuer,
            LtiUser.subject,
        )
        .join(User, User.id == Attempt.user_id)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .outerjoin(LtiUser, LtiUser.user_id == Attempt.user_id)
        .where(*where)
        .order_by(Attempt.id)
    )


def iso(moment: datetime | None) -> str | None:
    """Return a stored (naive UTC) time as ISO 8601 with a Z, to the second."""
    return moment.isoformat(timespec="seconds") + "Z" if moment else None


def attempt_row(r: Sequence) -> list:
    """Return one attempts-export row from a row of `attempts_query` (any sequence in its column order)."""
    started, submitted = r[5], r[6]
    duration = round((submitted - started).total_seconds()) if submitted and started else None
    return [*r[:5], iso(started), iso(submitted), duration, str(r[7]), *r[8:]]


def attempt_rows(where: list, topics: list[str]) -> Iterator[list]:
    """Yield attempts-export rows from one query read in batches."""
    return map(attempt_row, _stream(attempts_query(where, topics)))


def answered():
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
        .where(*where, answered())
        .order_by(Attempt.id, Response.slot)
    )


def specs_for(where: list) -> dict:
    """Parse each question version the selected responses use, once (one query; bounded by the banks' size)."""
    used = select(Response.version_id).join(Attempt, Attempt.id == Response.attempt_id).where(*where, answered())
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


def response_rows(where: list) -> Iterator[list]:
    """Yield responses-export rows (two queries: the versions' specs, then the rows in batches)."""
    specs = specs_for(where)
    for r in _stream(responses_query(where)):
        spec = specs.get(r.version_id)
        if spec is None:  # an attempt started after the versions were read
            spec = specs[r.version_id] = db.session.get(QuestionVersion, r.version_id).spec()
        yield response_row(r, spec)
