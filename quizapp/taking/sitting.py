"""Read models for the question, review and result pages of an attempt."""

from __future__ import annotations

from dataclasses import dataclass, replace

from flask import current_app
from sqlalchemy import Row, bindparam, select

from quizapp import clock, qtypes
from quizapp.banks.schema import Question
from quizapp.extensions import db
from quizapp.models import Attempt, Bank, QuestionVersion, Response
from quizapp.taking import grading, marks, open_sitting, scoring
from quizapp.taking.open_sitting import OpenSitting, SavedSlot


@dataclass(frozen=True)
class SlotState:
    """A slot as the navigator shows it."""

    number: int
    answered: bool
    flagged: bool


@dataclass(frozen=True)
class Feedback:
    """What a learner may see about an answer once the rules allow it."""

    correct: bool
    score: float
    points: float
    your_answer: str
    key: str
    picked_feedback: list[str]
    explanation: str
    reference: str
    options: tuple[marks.OptionMark, ...] = ()
    ordering: marks.OrderingMarks | None = None


@dataclass(frozen=True)
class Pinned:
    """What a sitting reads of a pinned question version: its id, parsed content and source text (immutable)."""

    id: int
    question: Question
    reference_text: str | None

    def spec(self) -> Question:
        """Return the parsed content, as `QuestionVersion.spec` does."""
        return self.question


PINNED_CACHE_SIZE = 8192
_PINNED = select(QuestionVersion.content, QuestionVersion.reference_text).where(QuestionVersion.id == bindparam("id"))


def pinned(version_id: int) -> Pinned:
    """Return a question version read once per app and process: versions never change, so nothing invalidates it."""
    # Kept on the app, not the module: a test's new app over a recreated database may reuse a version id.
    cache = current_app.extensions.setdefault("quizapp.pinned", {})
    found = cache.get(version_id)
    if found is None:
        row = open_sitting.alone(_PINNED, {"id": version_id})
        found = Pinned(version_id, Question.model_validate(row.content), row.reference_text)
        if len(cache) >= PINNED_CACHE_SIZE:
            cache.clear()
        cache[version_id] = found
    return found


@dataclass(frozen=True)
class Slot:
    """One question as its page shows it, wherever its answer is kept: pinned version, content, order, saved state."""

    number: int
    version: QuestionVersion | Pinned
    question: Question
    order: list[int] | None
    answer: dict | None
    flagged: bool
    locked: bool


def attempt_slot(
    attempt: Attempt | OpenSitting, number: int, version: Pinned, saved: Row | SavedSlot | None
) -> Slot:
    """Return question `number` of an attempt with its `saved_slots` row (None: nothing saved, or not read)."""
    order = attempt.layout[number - 1]["order"]
    answer, flagged, locked = (saved.answer, saved.flagged, saved.locked) if saved is not None else (None, False, False)
    return Slot(number, version, version.spec(), order, answer, bool(flagged), bool(locked))


def destination(number: int, total: int, go: str | None) -> int | None:
    """Return the question a page's button leads to (previous, next, a numbered one), or None for the review."""
    if go == "review" or (go == "next" and number == total):
        return None
    step = {"prev": number - 1, "next": number + 1}.get(go or "")
    if step is None:
        step = int(go) if (go or "").isdigit() else number
    return min(max(step, 1), total)


_RESPONSE = Response.__table__
_SAVED_SLOTS = select(
    _RESPONSE.c.slot, _RESPONSE.c.answer, _RESPONSE.c.answer.is_not(None).label("answered"), _RESPONSE.c.flagged,
    _RESPONSE.c.locked,
).where(_RESPONSE.c.attempt_id == bindparam("attempt_id"))


def saved_slots(attempt: Attempt | OpenSitting) -> dict[int, Row | SavedSlot]:
    """Return each saved slot's answer, answered state, flag and lock, keyed by slot (read with it, or one select)."""
    if isinstance(attempt, OpenSitting) and attempt.saved is not None:
        return attempt.saved
    return {row.slot: row for row in db.session.connection().execute(_SAVED_SLOTS, {"attempt_id": attempt.id})}


def navigator(attempt: Attempt | OpenSitting, saved: dict[int, Row | SavedSlot] | None = None) -> list[SlotState]:
    """Return every slot's answered/flagged state, from `saved_slots` (one query when not given)."""
    saved = saved_slots(attempt) if saved is None else saved
    states = []
    for i in range(attempt.question_count):
        row = saved.get(i)
        states.append(SlotState(i + 1, bool(row and row.answered), bool(row and row.flagged)))
    return states


def remaining_seconds(attempt: Attempt | OpenSitting) -> int | None:
    """Return the seconds left before the deadline, or None when the quiz is untimed."""
    if attempt.deadline is None:
        return None
    return max(0, int((attempt.deadline - clock.now()).total_seconds()))


def feedback(
    q: Question, version: QuestionVersion | Pinned, r: Response | Row | Slot | None, order: list[int] | None = None
) -> Feedback:
    """Build the feedback for one answered (or unanswered) question, its options marked in the `order` shown."""
    answer = r.answer if r is not None else None
    return Feedback(
        correct=grading.is_correct(q, answer),
        score=grading.score(q, answer),
        points=q.points,
        your_answer=grading.answer_text(q, answer) or "No answer",
        key=grading.key_text(q),
        picked_feedback=picked_feedback(q, answer),
        explanation=q.explanation,
        reference=version.reference_text or (q.reference or ""),
        options=marks.options(q, answer, order),
        ordering=marks.ordering(q, answer),
    )


def locked_notice(review: str, checked: bool) -> str | None:
    """Return what to tell a learner whose answer was just checked when the review setting shows nothing of it."""
    if checked and review == "score_only":
        return "Your answer is checked and can no longer change. This quiz shows only your total score."
    return None


def checked_feedback(fb: Feedback, review: str) -> Feedback | None:
    """Return what the quiz's review policy lets a learner see of a checked answer: all, the verdict, or nothing."""
    if review == "full":
        return fb
    if review == "correctness":
        return replace(fb, key="", picked_feedback=[], explanation="", reference="", options=(), ordering=None)
    return None


def checked(slot: Slot, review: str) -> Feedback | None:
    """Return what the page shows of a checked (locked) answer under the review setting; None before a check."""
    if not slot.locked:
        return None
    return checked_feedback(feedback(slot.question, slot.version, slot, slot.order), review)


def picked_feedback(q: Question, answer: dict | None) -> list[str]:
    """Return the feedback written for the options the learner picked (or for a wrong true/false or number)."""
    if answer is None:
        return []
    return qtypes.get(q.type).picked_feedback(q, answer)


@dataclass(frozen=True)
class ResultRow:
    """One question on the result page."""

    number: int
    question: Question
    topic: str
    feedback: Feedback


def result_rows(attempt: Attempt) -> list[ResultRow]:
    """Return every question of a finished attempt with its feedback (two queries)."""
    versions, responses = scoring.versions_for(attempt), scoring.responses_for(attempt)
    rows = []
    for i, entry in enumerate(attempt.layout):
        version = versions[entry["v"]]
        q = version.spec()
        rows.append(ResultRow(i + 1, q, entry["topic"], feedback(q, version, responses.get(i), entry["order"])))
    return rows


def topic_labels(topics: list[str]) -> dict[str, str]:
    """Return a readable label per topic slug, from the banks that carry it (one query)."""
    rows = db.session.execute(select(Bank.topic, Bank.title).where(Bank.topic.in_(topics)).order_by(Bank.id)).all()
    labels: dict[str, str] = {}
    for topic, title in rows:
        labels.setdefault(topic, title)
    return {t: labels.get(t, t.replace("-", " ").capitalize()) for t in topics}


def missed_by_topic(rows: list[ResultRow]) -> dict[str, list[int]]:
    """Return, per topic, the numbers of the questions not fully right (the review links)."""
    missed: dict[str, list[int]] = {}
    for row in rows:
        if not row.feedback.correct:
            missed.setdefault(row.topic, []).append(row.number)
    return missed
