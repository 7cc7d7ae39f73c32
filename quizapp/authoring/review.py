"""Draft → ready: counts per status, the review queue, and marking questions ready (audited, all or nothing)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, selectinload

from quizapp import audit
from quizapp.banks.schema import Question as QuestionSpec
from quizapp.errors import DomainError
from quizapp.extensions import db
from quizapp.models import Bank, Question, User

DRAFT, READY = "draft", "ready"
QUEUE_SIZE = 50
NEEDS = {"explanation": "a rationale", "reference": "a source"}


class NotReady(DomainError):
    """Some of the chosen questions cannot be marked ready; nothing was changed."""


def missing(spec: QuestionSpec) -> list[str]:
    """Return the fields a question needs before it may be ready: `explanation`, `reference`, or neither."""
    return [name for name in NEEDS if not getattr(spec, name)]


def needs_text(spec: QuestionSpec) -> str:
    """Return what a question still lacks to be ready, in words ("a rationale and a source"), or ""."""
    return " and ".join(NEEDS[name] for name in missing(spec))


@dataclass
class Overview:
    """A bank's questions counted by status (draft, ready, retired) and the keys an import of its file stopped on."""

    counts: dict[str, int] = field(default_factory=lambda: {DRAFT: 0, READY: 0, "retired": 0})
    conflicts: list[str] = field(default_factory=list)


def overview(bank: Bank) -> Overview:
    """Count the bank's questions by status and list its file conflicts (one query of four small columns)."""
    rows = db.session.execute(
        select(Question.key, Question.status, Question.retired, Question.file_conflict)
        .where(Question.bank_id == bank.id, Question.current_version_id.is_not(None))
        .order_by(Question.position, Question.id)
    )
    result = Overview()
    for key, status, retired, conflict in rows:
        result.counts["retired" if retired else status] += 1
        if conflict is not None:
            result.conflicts.append(key)
    return result


def queue(bank: Bank, limit: int = QUEUE_SIZE) -> list[tuple[Question, str]]:
    """Return the bank's live drafts in position order (the review queue), each with what it lacks to be ready."""
    drafts = db.session.scalars(
        select(Question)
        .join(Question.current_version)
        .options(contains_eager(Question.current_version))
        .where(Question.bank_id == bank.id, Question.status == DRAFT, Question.retired.is_(False))
        .order_by(Question.position, Question.id)
        .limit(limit)
    )
    return [(q, needs_text(q.current_version.spec())) for q in drafts]


def mark_ready(bank: Bank, keys: list[str], actor: User) -> list[str]:
    """Mark the bank's drafts `keys` ready (flushes; audited); raise NotReady and change nothing if any cannot be."""
    wanted = list(dict.fromkeys(keys))
    if not wanted:
        raise NotReady("Choose at least one question to mark ready.")
    found = {
        q.key: q
        for q in db.session.scalars(
            select(Question)
            .where(Question.bank_id == bank.id, Question.key.in_(wanted))
            .options(selectinload(Question.current_version))
        )
    }
    problems = [_problem(key, found.get(key)) for key in wanted]
    problems = [p for p in problems if p]
    if problems:
        raise NotReady("Nothing was marked ready: " + "; ".join(problems) + ".")
    for key in wanted:
        found[key].status = READY
    audit.record(actor, "question.ready", f"bank:{bank.slug}", keys=wanted)
    return wanted


def _problem(key: str, question: Question | None) -> str:
    """Return why one question cannot be marked ready, or "" when it can."""
    if question is None or question.current_version is None:
        return f"{key} is not a question of this bank"
    if question.retired:
        return f"{key} is retired"
    if question.status != DRAFT:
        return f"{key} is already ready"
    lacking = needs_text(question.current_version.spec())
    return f"{key} needs {lacking} first" if lacking else ""
