"""Re-scoring past responses to a question against another of its versions (after a key is corrected)."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace

from sqlalchemy import Text, cast, or_, select, update
from sqlalchemy.orm import selectinload

from quizapp import audit, qtypes
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptStatus, Question, QuestionVersion, Response, User
from quizapp.taking import scoring

FINISHED = (AttemptStatus.SUBMITTED, AttemptStatus.EXPIRED)


@dataclass
class AttemptChange:
    """One finished attempt that would move to the target version, with its totals before and after."""

    attempt: Attempt
    from_versions: list[int]
    slots: list[int]
    layout: list[dict]
    responses: list[tuple[Response, float, bool]]
    score: float
    max_score: float
    percent: float
    passed: bool
    topics: dict[str, float]

    @property
    def score_changes(self) -> bool:
        """Whether the score, maximum, percent or pass/fail differs (not only the pinned version)."""
        a = self.attempt
        return (a.score, a.max_score, a.percent, a.passed) != (self.score, self.max_score, self.percent, self.passed)

    @property
    def pass_changes(self) -> bool:
        """Whether the attempt moves between passed and not passed."""
        return bool(self.attempt.passed) != self.passed

    def record(self) -> dict:
        """Return the before/after of this attempt for the audit log."""
        a = self.attempt
        return {
            "attempt": a.public_id,
            "user_id": a.user_id,
            "from_versions": self.from_versions,
            "before": {"score": a.score, "max_score": a.max_score, "percent": a.percent, "passed": a.passed},
            "after": {"score": self.score, "max_score": self.max_score, "percent": self.percent, "passed": self.passed},
        }


@dataclass(frozen=True)
class Skip:
    """A finished attempt left alone, and why."""

    attempt: Attempt
    version: int
    reason: str


@dataclass
class Plan:
    """What a regrade against `target` does: the attempts that change, those skipped, and warnings."""

    question: Question
    target: QuestionVersion
    changes: list[AttemptChange] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    open_attempts: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def score_changes(self) -> list[AttemptChange]:
        """The attempts whose score changes."""
        return [c for c in self.changes if c.score_changes]


def incompatible(old: QuestionVersion, new: QuestionVersion) -> str | None:
    """Return why responses to `old` cannot be scored against `new` (other type or choice count), or None."""
    a, b = old.spec(), new.spec()
    if a.type != b.type:
        return f"version {old.number} is {a.type} and version {new.number} is {b.type}"
    if len(a.choices or ()) != len(b.choices or ()):
        noun = f"{qtypes.get(a.type).noun}s"
        return f"version {old.number} has {len(a.choices)} {noun} and version {new.number} has {len(b.choices)}"
    return None


def plan(question: Question, target: QuestionVersion, lock: bool = False) -> Plan:
    """Work out the regrade without writing anything (a fixed number of queries, whatever the attempt count)."""
    rows = db.session.execute(select(QuestionVersion).where(QuestionVersion.question_id == question.id)).scalars()
    mine = {v.id: v for v in rows}
    result = Plan(question, target)
    attempts = _attempts(question, [vid for vid in mine if vid != target.id], lock)
    result.open_attempts = sum(1 for a in attempts if a.status not in FINISHED and _slots(a, mine, target))
    attempts = [a for a in attempts if a.status in FINISHED and _slots(a, mine, target)]
    responses = _responses(attempts)
    pinned = _pinned(attempts)
    pass_marks = {}
    for attempt in attempts:
        slots = _slots(attempt, mine, target)
        reasons = [(mine[attempt.layout[s]["v"]], incompatible(mine[attempt.layout[s]["v"]], target)) for s in slots]
        bad = [(version, reason) for version, reason in reasons if reason]
        if bad:
            result.skipped.append(Skip(attempt, bad[0][0].number, bad[0][1]))
            continue
        if attempt.quiz_id not in pass_marks:
            pass_marks[attempt.quiz_id] = attempt.spec().pass_percent
        result.changes.append(_change(attempt, slots, mine, target, responses.get(attempt.id, {}), pinned, pass_marks))
    result.warnings = _warnings(mine, target, result.changes)
    return result


def _slots(attempt: Attempt, mine: dict[int, QuestionVersion], target: QuestionVersion) -> list[int]:
    """Return the attempt's slots that hold another version of this question."""
    return [i for i, slot in enumerate(attempt.layout) if slot["v"] in mine and slot["v"] != target.id]


def _attempts(question: Question, other_ids: list[int], lock: bool) -> list[Attempt]:
    """Load the attempts that may hold another version of the question (one query, plus users and quizzes)."""
    if not other_ids:
        return []
    answered = select(Response.attempt_id).where(Response.version_id.in_(other_ids))
    # Unanswered slots have no Response; layouts are JSON text like [{"q": 7, "v": 12, ...}], checked exactly later.
    drawn = cast(Attempt.layout, Text).like(f'%"q": {int(question.id)},%')
    stmt = (
        select(Attempt)
        .where(or_(Attempt.id.in_(answered), drawn))
        .options(selectinload(Attempt.user), selectinload(Attempt.quiz))
        .order_by(Attempt.id)
    )
    if lock:
        stmt = stmt.with_for_update(of=Attempt)
    return list(db.session.execute(stmt).scalars())


def _responses(attempts: list[Attempt]) -> dict[int, dict[int, Response]]:
    """Load every response of the attempts, by attempt and slot (one query)."""
    out: dict[int, dict[int, Response]] = {a.id: {} for a in attempts}
    if attempts:
        rows = db.session.execute(select(Response).where(Response.attempt_id.in_(list(out)))).scalars()
        for r in rows:
            out[r.attempt_id][r.slot] = r
    return out


def _pinned(attempts: list[Attempt]) -> dict[int, QuestionVersion]:
    """Load every version the attempts pin (one query)."""
    ids = {slot["v"] for a in attempts for slot in a.layout}
    if not ids:
        return {}
    return {v.id: v for v in db.session.execute(select(QuestionVersion).where(QuestionVersion.id.in_(ids))).scalars()}


def _change(attempt, slots, mine, target, responses, pinned, pass_marks) -> AttemptChange:
    """Score one attempt as if its slots held the target version."""
    layout = [dict(s, v=target.id, points=target.points) if i in slots else s for i, s in enumerate(attempt.layout)]
    # scoring.grade reads only the layout, so the attempt is not touched while planning.
    per_slot, totals = scoring.grade(SimpleNamespace(layout=layout), {**pinned, target.id: target}, responses)
    rescored = [(responses[s], *per_slot[s]) for s in slots if s in responses]
    return AttemptChange(
        attempt=attempt,
        from_versions=sorted({mine[attempt.layout[s]["v"]].number for s in slots}),
        slots=slots,
        layout=layout,
        responses=rescored,
        score=totals.score,
        max_score=totals.max_score,
        percent=totals.percent,
        passed=totals.percent >= pass_marks[attempt.quiz_id],
        topics=totals.topics,
    )


def _warnings(mine: dict[int, QuestionVersion], target: QuestionVersion, changes: list[AttemptChange]) -> list[str]:
    """Warn where a choice's text differs between versions: answers are matched by position, not by text."""
    numbers = sorted({n for c in changes for n in c.from_versions})
    by_number = {v.number: v for v in mine.values()}
    warnings = []
    for n in numbers:
        old, new = by_number[n].spec(), target.spec()
        pairs = zip(old.choices or (), new.choices or (), strict=True)
        moved = [i + 1 for i, (a, b) in enumerate(pairs) if a.text != b.text]
        if moved:
            listed = ", ".join(map(str, moved))
            warnings.append(
                f"Choice text differs between version {n} and version {target.number} at position {listed}: "
                "answers are matched by position, so check the choices were not reordered."
            )
    return warnings


@dataclass(frozen=True)
class Outcome:
    """What a committed regrade did."""

    attempts: int
    score_changed: int
    skipped: int


def apply(question: Question, target: QuestionVersion, actor: User) -> Outcome:
    """Regrade for real (attempt rows locked): move the slots, rescore, record one audit event; flush only."""
    result = plan(question, target, lock=True)
    outcome = Outcome(len(result.changes), len(result.score_changes), len(result.skipped))
    if not result.changes:
        return outcome
    records = [c.record() for c in result.changes]  # before the attempts are overwritten
    # One executemany per table (bulk UPDATE by primary key), so the statement count does not grow per attempt.
    attempt_rows = [
        {
            "id": c.attempt.id,
            "layout": c.layout,
            "score": c.score,
            "max_score": c.max_score,
            "percent": c.percent,
            "passed": c.passed,
            "topic_scores": c.topics,
        }
        for c in result.changes
    ]
    response_rows = [
        {"id": r.id, "version_id": target.id, "score": score, "correct": correct}
        for c in result.changes
        for r, score, correct in c.responses
    ]
    db.session.execute(update(Attempt), attempt_rows)
    if response_rows:
        db.session.execute(update(Response), response_rows)
    for change in result.changes:  # the loaded objects are stale now; reload them if anyone reads them
        db.session.expire(change.attempt)
        for response, _, _ in change.responses:
            db.session.expire(response)
    audit.record(
        actor,
        "regrade",
        f"question {question.key}",
        key=question.key,
        target_version=target.number,
        from_versions=sorted({n for c in result.changes for n in c.from_versions}),
        attempts=records,
        skipped=[{"attempt": s.attempt.public_id, "version": s.version, "reason": s.reason} for s in result.skipped],
    )
    db.session.flush()
    return outcome
