"""The pool of drawable questions: current versions of live questions, as draw candidates."""

from __future__ import annotations

from sqlalchemy import select

from quizapp.bank.schema import QuizSpec
from quizapp.draw import Candidate, available
from quizapp.extensions import db
from quizapp.models import Bank, Question, QuestionVersion


def candidates(bank_slugs: set[str] | None = None) -> list[Candidate]:
    """Return every live question's current version as a candidate (one query)."""
    stmt = (
        select(Question.id, QuestionVersion.id, Bank.slug, Bank.topic, QuestionVersion.content)
        .join(QuestionVersion, Question.current_version_id == QuestionVersion.id)
        .join(Bank, Question.bank_id == Bank.id)
        .where(Question.retired.is_(False), Bank.retired.is_(False))
    )
    if bank_slugs is not None:
        stmt = stmt.where(Bank.slug.in_(bank_slugs))
    return [
        Candidate(
            question_id=qid,
            version_id=vid,
            bank=slug,
            topic=topic,
            tags=frozenset(content.get("tags") or ()),
            type=content["type"],
            choice_count=len(content.get("choices") or ()),
            shuffle=content.get("shuffle", True),
            points=float(content.get("points", 1)),
        )
        for qid, vid, slug, topic, content in db.session.execute(stmt)
    ]


def rule_banks(spec: QuizSpec) -> set[str] | None:
    """Return the banks a quiz draws from, or None when a rule draws from every bank."""
    slugs = {r.bank for r in spec.draw}
    return None if None in slugs else slugs


def shortfalls(spec: QuizSpec, pool: list[Candidate]) -> list[str]:
    """Return a message per draw rule that asks for more questions than exist."""
    messages = []
    for i, (rule, have) in enumerate(zip(spec.draw, available(spec.draw, pool), strict=True)):
        if have < rule.count:
            source = f"bank {rule.bank!r}" if rule.bank else "all banks"
            tags = f" tagged {', '.join(rule.tags)}" if rule.tags else ""
            messages.append(f"rule {i + 1} asks for {rule.count} questions from {source}{tags}, but {have} exist")
    return messages
