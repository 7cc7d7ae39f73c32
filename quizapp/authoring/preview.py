"""An instructor's preview of a quiz: drawn and graded as for a learner, kept only in the session.

The session holds just version ids, choice orders, answers, flags and locks; nothing is written to
the database (no attempt, no response). Question content is read from the pinned versions, which
never change, so a preview is stable even while the bank is being edited.
"""

from __future__ import annotations

import secrets
from collections.abc import MutableMapping
from dataclasses import dataclass

from sqlalchemy import select

from quizapp.errors import DomainError
from quizapp.extensions import db
from quizapp.models import Bank, Question, QuestionVersion, Quiz
from quizapp.taking import grading, sitting
from quizapp.taking.drawing import pool
from quizapp.taking.drawing.draw import NotEnoughQuestions, draw

SESSION_KEY = "quiz_preview"
# The session is a signed cookie (at most about 4 KB; 60 answered slots take 1.1 KB): longer quizzes are
# previewed by their first questions.
MAX_SLOTS = 100


class PreviewUnavailable(DomainError):
    """The quiz cannot be drawn from the banks as they are now."""


@dataclass(frozen=True)
class PreviewResult:
    """The graded preview, shaped like an attempt's result."""

    score: float
    max_score: float
    percent: float
    passed: bool
    topics: dict[str, float]
    labels: dict[str, str]
    rows: list[sitting.ResultRow]


def start(quiz: Quiz, store: MutableMapping) -> int:
    """Draw a fresh preview with a random seed, replacing any earlier one; return its question count."""
    spec = quiz.spec()
    try:
        layout = draw(
            spec.draw,
            pool.candidates(pool.rule_banks(spec)),
            secrets.randbits(31),
            spec.shuffle_questions,
            spec.shuffle_choices,
        )
    except NotEnoughQuestions as exc:
        raise PreviewUnavailable(f"This quiz cannot be drawn right now: {exc}. Edit its draw rules.") from None
    slots = [[entry["v"], entry["order"]] for entry in layout[:MAX_SLOTS]]
    store[SESSION_KEY] = {"quiz": quiz.slug, "slots": slots, "answers": {}, "flags": [], "locked": [], "done": False}
    return len(layout)


def state(quiz: Quiz, store: MutableMapping) -> dict | None:
    """Return the session's preview of this quiz, or None when there is none."""
    current = store.get(SESSION_KEY)
    return current if isinstance(current, dict) and current.get("quiz") == quiz.slug else None


def discard(store: MutableMapping) -> None:
    """Forget the preview."""
    store.pop(SESSION_KEY, None)


def slot(current: dict, number: int) -> sitting.Slot | None:
    """Return question `number` (1-based) of the preview, or None when out of range or gone."""
    if not 1 <= number <= len(current["slots"]):
        return None
    version_id, order = current["slots"][number - 1]
    version = db.session.get(QuestionVersion, version_id)
    if version is None:
        return None
    key = str(number - 1)
    return sitting.Slot(
        number,
        version,
        version.spec(),
        order,
        current["answers"].get(key),
        number - 1 in current["flags"],
        number - 1 in current["locked"],
    )


def save(
    store: MutableMapping, current: dict, item: sitting.Slot, answer: dict | None, flagged: bool, check: bool
) -> None:
    """Keep the answer and flag in the session; `check` locks it (practice feedback), as for a learner."""
    index, key = item.number - 1, str(item.number - 1)
    if item.locked and answer not in (None, item.answer):
        raise DomainError("This answer was already checked and cannot be changed.")
    if not item.locked:
        answer = grading.normalise(item.question, answer)
        current["answers"] = {**current["answers"], key: answer} if answer is not None else _without(current, key)
    current["flags"] = sorted(set(current["flags"]) - {index} | ({index} if flagged else set()))
    if check and not item.locked and answer is not None:
        current["locked"] = sorted({*current["locked"], index})
    store[SESSION_KEY] = current


def _without(current: dict, key: str) -> dict:
    """Return the answers without one slot's."""
    return {k: v for k, v in current["answers"].items() if k != key}


def navigator(current: dict) -> list[sitting.SlotState]:
    """Return every question's answered/flagged state for the navigator."""
    return [
        sitting.SlotState(i + 1, str(i) in current["answers"], i in current["flags"])
        for i in range(len(current["slots"]))
    ]


def finish(store: MutableMapping, current: dict) -> None:
    """Mark the preview submitted: answers are final and the result can be shown."""
    store[SESSION_KEY] = {**current, "done": True}


def result(quiz: Quiz, current: dict) -> PreviewResult:
    """Grade the preview with the attempt's rules (two queries)."""
    ids = [version_id for version_id, _ in current["slots"]]
    rows = db.session.execute(
        select(QuestionVersion, Bank.topic)
        .join(Question, QuestionVersion.question_id == Question.id)
        .join(Bank, Question.bank_id == Bank.id)
        .where(QuestionVersion.id.in_(ids))
    ).all()
    found = {version.id: (version, topic) for version, topic in rows}
    if not set(ids) <= set(found):
        raise PreviewUnavailable("Some questions of this preview no longer exist; start the preview again.")
    graded, slot_scores = [], []
    for index, version_id in enumerate(ids):
        version, topic = found[version_id]
        q, answer = version.spec(), current["answers"].get(str(index))
        shown = sitting.feedback(q, version, sitting.Slot(index + 1, version, q, None, answer, False, True))
        graded.append(sitting.ResultRow(index + 1, q, topic, shown))
        slot_scores.append(grading.SlotScore(topic, shown.score, q.points))
    totals = grading.summarise(slot_scores)
    return PreviewResult(
        score=totals.score,
        max_score=totals.max_score,
        percent=totals.percent,
        passed=totals.percent >= quiz.spec().pass_percent,
        topics=totals.topics,
        labels=sitting.topic_labels(list(totals.topics)),
        rows=graded,
    )
