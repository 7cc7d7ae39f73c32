"""Authoring questions in the browser: bank overviews, the question list, keys, saves, retirement, preview."""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, field
from types import SimpleNamespace

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from quizapp import audit, qtypes
from quizapp.banks import sync
from quizapp.banks.schema import Question as QuestionSpec
from quizapp.errors import DomainError
from quizapp.extensions import db
from quizapp.models import Bank, Question, QuestionVersion, User
from quizapp.taking import grading, sitting

NUMBERED_KEY = re.compile(r"^(?P<prefix>[a-z0-9][a-z0-9-]*?)-(?P<number>\d+)$")
KEY_ATTEMPTS = 3
PER_PAGE = 25
STATUSES = ("live", "draft", "ready", "retired", "all")


@dataclass
class BankSummary:
    """A bank with its ready questions counted by type and by difficulty, and its drafts and retired counted apart."""

    bank: Bank
    live: int = 0
    drafts: int = 0
    retired: int = 0
    by_type: dict[str, int] = field(default_factory=dict)
    by_difficulty: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ListFilters:
    """What the question list is narrowed to."""

    search: str = ""
    type: str = ""
    tag: str = ""
    difficulty: int | None = None
    status: str = "live"


def find_question(key: str) -> Question | None:
    """Return the question with this key when it has a current version, else None."""
    question = db.session.execute(select(Question).where(Question.key == key)).scalar_one_or_none()
    return question if question is not None and question.current_version is not None else None


def find_version(question: Question, number: int | None) -> QuestionVersion | None:
    """Return version `number` of a question (the current one when None), or None when it has no such version."""
    if number is None:
        return question.current_version
    return db.session.execute(
        select(QuestionVersion).where(QuestionVersion.question_id == question.id, QuestionVersion.number == number)
    ).scalar_one_or_none()


def bank_summaries() -> list[BankSummary]:
    """Return every bank with question counts by status, type and difficulty (two queries, whatever the bank count)."""
    summaries = {b.id: BankSummary(b) for b in db.session.execute(select(Bank).order_by(Bank.title)).scalars()}
    difficulty = QuestionVersion.content["difficulty"].as_integer().label("difficulty")
    rows = db.session.execute(
        select(Question.bank_id, Question.retired, Question.status, QuestionVersion.type, difficulty, func.count())
        .join(QuestionVersion, Question.current_version_id == QuestionVersion.id)
        .group_by(Question.bank_id, Question.retired, Question.status, QuestionVersion.type, difficulty)
    )
    for bank_id, retired, status, qtype, level, count in rows:
        summary = summaries[bank_id]
        if retired:
            summary.retired += count
            continue
        if status == "draft":
            summary.drafts += count
            continue
        summary.live += count
        summary.by_type[qtype] = summary.by_type.get(qtype, 0) + count
        summary.by_difficulty[level] = summary.by_difficulty.get(level, 0) + count
    return list(summaries.values())


def _like(text: str) -> str:
    """Return a LIKE pattern that matches `text` anywhere, with the wildcards in it escaped."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def question_page(bank: Bank, filters: ListFilters, page: int = 1, per_page: int = PER_PAGE):
    """Return one page of a bank's questions with their current versions (a count and a select)."""
    stmt = (
        select(Question)
        .join(Question.current_version)
        .options(contains_eager(Question.current_version))
        .where(Question.bank_id == bank.id)
        .order_by(Question.position, Question.id)
    )
    if filters.search:
        pattern = _like(filters.search)
        stem = QuestionVersion.content["stem"].as_string()
        stmt = stmt.where(Question.key.ilike(pattern, escape="\\") | stem.ilike(pattern, escape="\\"))
    if filters.type in qtypes.TYPES:
        stmt = stmt.where(QuestionVersion.type == filters.type)
    if filters.tag:
        # Tags are JSON arrays of [a-z0-9-] words; matching the quoted tag in the array's text works on both databases.
        stmt = stmt.where(QuestionVersion.content["tags"].as_string().like(_like(f'"{filters.tag}"'), escape="\\"))
    if filters.difficulty is not None:
        stmt = stmt.where(QuestionVersion.content["difficulty"].as_integer() == filters.difficulty)
    if filters.status != "all":
        stmt = stmt.where(Question.retired.is_(filters.status == "retired"))
    if filters.status in ("draft", "ready"):
        stmt = stmt.where(Question.status == filters.status)
    return db.paginate(stmt, page=page, per_page=per_page, max_per_page=100, error_out=False)


def bank_tags(bank: Bank) -> list[str]:
    """Return every tag used by the bank's current versions, sorted (one query)."""
    rows = db.session.execute(
        select(QuestionVersion.content["tags"])
        .join(Question, Question.current_version_id == QuestionVersion.id)
        .where(Question.bank_id == bank.id)
    ).scalars()
    return sorted({tag for tags in rows for tag in tags or ()})


def next_key(bank: Bank) -> str:
    """Return the bank's next free key: its key prefix and one more than the highest number ever given."""
    keys = db.session.execute(select(Question.key).where(Question.bank_id == bank.id)).scalars().all()
    matches = [m for m in map(NUMBERED_KEY.match, keys) if m]
    common = Counter(m["prefix"] for m in matches).most_common(1)
    prefix = common[0][0] if common else bank.slug[:58].rstrip("-")
    width = max([3] + [len(m["number"]) for m in matches if m["prefix"] == prefix])
    # Keys are global and questions are never deleted (only retired), so the highest number ever used is in this table.
    used = db.session.execute(select(Question.key).where(Question.key.like(f"{prefix}-%"))).scalars()
    numbers = [int(m["number"]) for m in map(NUMBERED_KEY.match, used) if m and m["prefix"] == prefix]
    return f"{prefix}-{max(numbers, default=0) + 1:0{width}d}"


def reference_text(bank: Bank, spec: QuestionSpec) -> str:
    """Return the full citation of the question's reference key in its bank."""
    return (bank.references or {}).get(spec.reference or "", "")


def create_question(bank: Bank, spec: QuestionSpec, author: User, note: str = "") -> Question:
    """Add a draft question under the bank's next free key, with its first version (retrying if a key is taken)."""
    position = db.session.scalar(select(func.max(Question.position)).where(Question.bank_id == bank.id))
    for attempt in range(KEY_ATTEMPTS):
        key = next_key(bank)
        try:
            with db.session.begin_nested():
                question = Question(bank_id=bank.id, key=key, position=(position or 0) + 1, status="draft")
                db.session.add(question)
                db.session.flush()
        except IntegrityError:
            if attempt == KEY_ATTEMPTS - 1:
                raise
            continue
        spec = spec.model_copy(update={"key": key})
        sync.add_version(question, spec, reference_text(bank, spec), author.id, note or "created in the browser")
        return question
    raise AssertionError("unreachable")


class QuestionChanged(DomainError):
    """Someone saved the question after the version an edit started from."""

    def __init__(self, number: int, base: int):
        """Say which version is now current and which one the edit was based on."""
        super().__init__(
            f"Someone saved version {number} of this question after you opened version {base}. Your changes are "
            "still in the form below: check the version history, then save again to replace it."
        )
        self.number = number


def save_question(
    question: Question, spec: QuestionSpec, author: User, note: str = "", base: int | None = None
) -> QuestionVersion | None:
    """Add a version when the content changed; return None (and write nothing) when it did not."""
    # Lock the question row so concurrent saves run one after the other; a save based on version `base` is
    # refused (QuestionChanged) when another save made a newer one in the meantime.
    db.session.refresh(question, with_for_update=True)
    current = question.current_version
    if base is not None and current.number != base:
        raise QuestionChanged(current.number, base)
    if current.content_hash == sync.content_hash(spec):
        return None
    text = reference_text(question.bank, spec)
    return sync.add_version(question, spec, text, author.id, note or "edited in the browser")


def set_retired(question: Question, retired: bool, actor: User) -> bool:
    """Retire or restore a question (it keeps its key and history); return whether anything changed."""
    if question.retired == retired:
        return False
    question.retired = retired
    audit.record(actor, "question.retire" if retired else "question.restore", f"question {question.key}")
    return True


def history(question: Question) -> list[tuple[QuestionVersion, User | None]]:
    """Return a question's versions, newest first, with their authors (one query)."""
    return db.session.execute(
        select(QuestionVersion, User)
        .outerjoin(User, QuestionVersion.author_id == User.id)
        .where(QuestionVersion.question_id == question.id)
        .order_by(QuestionVersion.number.desc())
    ).all()


def preview_order(spec: QuestionSpec, seed: int) -> list[int] | None:
    """Return a display order as a learner could get it: shuffled when the question shuffles, always for ordering."""
    rng = random.Random(seed)  # noqa: S311 - a stable preview order, not a secret
    return qtypes.get(spec.type).shown_order(len(spec.choices or ()), spec.shuffle, rng)


def check_answer(
    spec: QuestionSpec, version: QuestionVersion, answer: dict | None, order: list[int] | None = None
) -> sitting.Feedback:
    """Return the learner feedback for a preview answer, recording nothing (raises AnswerError on a bad answer)."""
    answer = grading.normalise(spec, answer)
    return sitting.feedback(spec, version, SimpleNamespace(answer=answer), order)
