"""Creating, editing and publishing quizzes, validated by the same `QuizSpec` as questions/quizzes.yaml.

A quiz's settings are stored as `spec.model_dump(mode="json")`. Attempts already started keep the
question versions and order they drew (their `layout`), so editing the draw rules never changes them.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy import bindparam, func, select

from quizapp.banks.schema import QuizSpec
from quizapp.errors import DomainError
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptStatus, Bank, Quiz
from quizapp.taking.drawing import pool

SLUG_HELP = "Use 2 to 64 lowercase letters, digits and hyphens, starting and ending with a letter or digit."
_REQUIRED_TYPES = ("missing", "int_type", "float_type", "string_too_short", "int_parsing", "float_parsing")


class QuizInvalid(DomainError):
    """The quiz settings break a rule; `errors` maps field names (`slug`, `draw-0-count`, ``) to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        """Keep the errors per field."""
        super().__init__("Please correct the errors shown below.")
        self.errors = errors


@dataclass(frozen=True)
class QuizRow:
    """A quiz in the builder's list, with how many attempts it has."""

    quiz: Quiz
    spec: QuizSpec
    question_count: int
    attempts: int
    open_attempts: int


def bank_options() -> list[tuple[str, str]]:
    """Return (slug, title) of every live bank, for the draw rule menus."""
    stmt = select(Bank.slug, Bank.title).where(Bank.retired.is_(False)).order_by(Bank.title)
    return [(slug, title) for slug, title in db.session.execute(stmt)]


def find(slug: str) -> Quiz | None:
    """Return the quiz with this slug, published or not."""
    return db.session.execute(_BY_SLUG, {"slug": slug}).scalar_one_or_none()


_BY_SLUG = select(Quiz).where(Quiz.slug == bindparam("slug"))  # built once: every start and quiz page loads it


def overview() -> list[QuizRow]:
    """Return every quiz with its attempt counts (three queries)."""
    quizzes = db.session.execute(select(Quiz).order_by(Quiz.title, Quiz.slug)).scalars().all()
    per_quiz = select(Attempt.quiz_id, func.count(Attempt.id)).group_by(Attempt.quiz_id)
    totals = dict(db.session.execute(per_quiz).tuples().all())
    opened = dict(db.session.execute(per_quiz.where(Attempt.status == AttemptStatus.IN_PROGRESS)).tuples().all())
    rows = []
    for quiz in quizzes:
        spec = quiz.spec()
        count = sum(rule.count for rule in spec.draw)
        rows.append(QuizRow(quiz, spec, count, totals.get(quiz.id, 0), opened.get(quiz.id, 0)))
    return rows


def open_attempts(quiz: Quiz) -> int:
    """Return how many attempts at the quiz are still in progress."""
    stmt = select(func.count(Attempt.id)).where(Attempt.quiz_id == quiz.id, Attempt.status == AttemptStatus.IN_PROGRESS)
    return db.session.scalar(stmt)


def reveals_on_check(spec: QuizSpec) -> bool:
    """Whether checking an answer in this quiz shows something about it (practice with a review beyond the score)."""
    return spec.feedback == "immediate" and spec.review != "score_only"


def is_exam(spec: QuizSpec) -> bool:
    """Whether the quiz keeps its answers until it is submitted (deferred feedback, or a track intake)."""
    return spec.feedback == "deferred" or spec.intake


REVEALED = {"full": "the correct answer and the rationale", "correctness": "whether the answer is right"}


def shared_bank_warnings(quiz: Quiz) -> list[str]:
    """Warn when practice that shows answers on check draws from the same banks as an exam (either side of it)."""
    spec = quiz.spec()
    if not (reveals_on_check(spec) or is_exam(spec)):
        return []
    warnings = []
    for other in db.session.execute(select(Quiz).where(Quiz.id != quiz.id).order_by(Quiz.title)).scalars():
        other_spec = other.spec()
        if reveals_on_check(spec) and is_exam(other_spec):
            practice, exam = spec, other_spec
        elif is_exam(spec) and reveals_on_check(other_spec):
            practice, exam = other_spec, spec
        else:
            continue
        banks = _shared(pool.rule_banks(practice), pool.rule_banks(exam))
        if banks:
            warnings.append(
                f"“{practice.title}” shows {REVEALED[practice.review]} when an answer is checked, and "
                f"draws from {banks}, as the exam “{exam.title}” does: learners can see the exam's answers "
                "by practising. Use separate banks or tags for practice, or set its review to “score only”."
            )
    return warnings


def _shared(first: set[str] | None, second: set[str] | None) -> str:
    """Describe the banks two quizzes both draw from (None is every bank), or return "" when there are none."""
    if first is None and second is None:
        return "every bank"
    common = sorted(second if first is None else first if second is None else first & second)
    return f"the bank{'s' if len(common) > 1 else ''} {', '.join(common)}" if common else ""


def validate(data: dict, quiz: Quiz | None = None) -> QuizSpec:
    """Return the settings as a QuizSpec whose slug is free and whose draw rules can be met right now."""
    try:
        spec = QuizSpec.model_validate(data)
    except ValidationError as exc:
        raise QuizInvalid(_field_errors(exc)) from None
    errors: dict[str, list[str]] = {}
    other = find(spec.slug)
    if other is not None and other is not quiz:
        errors["slug"] = [f"Another quiz already uses the slug {spec.slug!r}."]
    banks = pool.rule_banks(spec)
    short = pool.shortfalls(spec, pool.candidates(banks), pool.candidates(banks, "draft"))
    if short:
        errors["draw"] = [_right_now(message) for message in short]
    if errors:
        raise QuizInvalid(errors)
    return spec


def _right_now(message: str) -> str:
    """Return a shortfall as a sentence: "Rule 1 asks for 5 …, but 4 exist right now; 1 more is a draft: …"."""
    head, sep, tail = message.partition(";")
    return f"{head[:1].upper()}{head[1:]} right now{sep}{tail}."


def save(data: dict, quiz: Quiz | None = None) -> Quiz:
    """Create a quiz, or update `quiz`, from validated settings (flushes)."""
    spec = validate(data, quiz)
    if quiz is None:
        quiz = Quiz(slug=spec.slug)
        db.session.add(quiz)
    quiz.slug, quiz.title, quiz.published = spec.slug, spec.title, spec.published
    quiz.settings = spec.model_dump(mode="json")
    db.session.flush()
    return quiz


def set_published(quiz: Quiz, published: bool) -> Quiz:
    """Publish or unpublish a quiz, keeping the flag and the stored settings in step (flushes)."""
    if published:
        validate({**quiz.settings, "published": True}, quiz)
    quiz.published = published
    quiz.settings = {**quiz.settings, "published": published}
    db.session.flush()
    return quiz


def _field_errors(exc: ValidationError) -> dict[str, list[str]]:
    """Map pydantic errors to form field names: `slug`, `draw`, `draw-0-count`, or `` for the whole quiz."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors(include_url=False):
        loc = [str(part) for part in error["loc"]]
        name = "-".join(loc[:3]) if loc[:1] == ["draw"] else "-".join(loc[:1])
        errors.setdefault(name, []).append(_message(name, error))
    return errors


def _message(name: str, error: dict) -> str:
    """Return a readable message for one pydantic error."""
    if name == "draw" and error["type"] == "too_short":
        return "Add at least one draw rule."
    if name == "slug" and error["type"] == "string_pattern_mismatch":
        return SLUG_HELP
    if error["type"] in _REQUIRED_TYPES and error.get("input") in (None, ""):
        return "This is required."
    message = error["msg"].removeprefix("Value error, ")
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")
