"""The one definition of a valid question, bank and quiz set (pydantic v2)."""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$")]
Key = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$")]
Text = Annotated[str, Field(min_length=1, max_length=20_000)]
QuestionType = Literal["single", "multiple", "true_false", "ordering", "numeric"]
QUESTION_TYPES: tuple[str, ...] = ("single", "multiple", "true_false", "ordering", "numeric")
CHOICE_TYPES = frozenset({"single", "multiple", "ordering"})
DEFAULT_SCORING = {"multiple": "partial", "ordering": "all_or_nothing"}


def located(field: str, key: str, message: str) -> PydanticCustomError:
    """Return a validation error that names the question (or quiz) key and field it is about."""
    return PydanticCustomError("located", message, {"key": key, "field": field})


class Strict(BaseModel):
    """Base model: unknown fields are errors, strings are stripped, numbers are finite (no .nan, .inf)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)


class Choice(Strict):
    """One option of a single/multiple question, or one item of an ordering question."""

    text: Text
    correct: bool = False
    feedback: str | None = None


class NumericAnswer(Strict):
    """A numeric key: value +/- tolerance, or an inclusive [min, max] range."""

    value: float | None = None
    tolerance: float = Field(default=0, ge=0)
    min: float | None = None
    max: float | None = None
    unit: str | None = None

    @model_validator(mode="after")
    def _one_form(self) -> NumericAnswer:
        """Require exactly one of value or min/max."""
        has_range = self.min is not None or self.max is not None
        if self.value is None and not has_range:
            raise ValueError("give either value (with optional tolerance) or min and max")
        if self.value is not None and has_range:
            raise ValueError("give either value or min/max, not both")
        if has_range and (self.min is None or self.max is None):
            raise ValueError("a range needs both min and max")
        if has_range and self.min > self.max:
            raise ValueError("min must not be greater than max")
        if not all(math.isfinite(bound) for bound in self.bounds()):
            raise ValueError("value plus or minus tolerance must stay a finite number")
        return self

    def bounds(self) -> tuple[float, float]:
        """Return the inclusive accepted interval."""
        if self.value is not None:
            return self.value - self.tolerance, self.value + self.tolerance
        return self.min, self.max


class Question(Strict):
    """One question as authored; the content of one immutable version."""

    key: Key
    type: QuestionType
    stem: Text
    choices: list[Choice] | None = None
    answer: bool | NumericAnswer | None = None
    feedback: str | None = None
    explanation: str = Field(default="", max_length=20_000)
    reference: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    tags: list[Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=40)]] = []
    difficulty: int = Field(default=2, ge=1, le=3)
    points: float = Field(default=1, gt=0, le=100)
    scoring: Literal["partial", "all_or_nothing"] | None = None
    shuffle: bool = True
    # Questions of one exclusion group (in any bank) test the same fact: an attempt never draws two of them.
    # Left out of the stored content when unset, so versions from before the field keep their content hash.
    group: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=40)] | None = Field(
        default=None, exclude_if=lambda group: group is None
    )
    # A question's state in a bank file, never part of a version's content: `status: draft` keeps it out of
    # attempts (no status means ready); `retired: true` retires it from the file side.
    status: Literal["draft", "ready"] | None = Field(default=None, exclude=True)
    retired: bool = Field(default=False, exclude=True)

    @field_validator("tags")
    @classmethod
    def _unique_tags(cls, tags: list[str]) -> list[str]:
        """Reject repeated tags."""
        if len(set(tags)) != len(tags):
            raise ValueError("tags must not repeat")
        return tags

    @model_validator(mode="after")
    def _fits_type(self) -> Question:
        """Check the fields each question type needs and forbids."""
        check = _TYPE_CHECKS[self.type]
        check(self)
        if self.scoring is not None and self.type not in DEFAULT_SCORING:
            raise ValueError(f"scoring applies only to multiple and ordering, not {self.type}")
        return self

    @property
    def effective_scoring(self) -> str | None:
        """Return the scoring rule in force (explicit or the type's default)."""
        return self.scoring or DEFAULT_SCORING.get(self.type)


def _need_choices(q: Question, minimum: int = 2) -> list[Choice]:
    """Return the choices, raising when there are too few or answer is given."""
    if not q.choices or len(q.choices) < minimum:
        raise ValueError(f"a {q.type} question needs at least {minimum} choices")
    if len(q.choices) > 12:
        raise ValueError("a question may have at most 12 choices")
    if q.answer is not None:
        raise ValueError(f"a {q.type} question takes its key from choices, not answer")
    texts = [c.text.casefold() for c in q.choices]
    if len(set(texts)) != len(texts):
        raise ValueError("choices must not repeat")
    return q.choices


def _check_single(q: Question) -> None:
    """Exactly one correct choice."""
    correct = sum(c.correct for c in _need_choices(q))
    if correct != 1:
        raise ValueError(f"a single question needs exactly 1 correct choice, found {correct}")


def _check_multiple(q: Question) -> None:
    """At least one correct choice."""
    if not any(c.correct for c in _need_choices(q)):
        raise ValueError("a multiple question needs at least 1 correct choice")


def _check_ordering(q: Question) -> None:
    """Items listed in the correct order, none marked correct."""
    if any(c.correct for c in _need_choices(q)):
        raise ValueError("ordering items are listed in the correct order; do not mark any correct")


def _check_true_false(q: Question) -> None:
    """A boolean answer and no choices."""
    if q.choices:
        raise ValueError("a true_false question takes answer: true|false, not choices")
    if not isinstance(q.answer, bool):
        raise ValueError("a true_false question needs answer: true or false")


def _check_numeric(q: Question) -> None:
    """A numeric answer and no choices."""
    if q.choices:
        raise ValueError("a numeric question takes answer: {value: ..}, not choices")
    if not isinstance(q.answer, NumericAnswer):
        raise ValueError("a numeric question needs answer: {value: N, tolerance: T} or {min: A, max: B}")


_TYPE_CHECKS = {
    "single": _check_single,
    "multiple": _check_multiple,
    "ordering": _check_ordering,
    "true_false": _check_true_false,
    "numeric": _check_numeric,
}


class Bank(Strict):
    """A question bank file (`format: quizapp-bank/1`)."""

    format: Literal["quizapp-bank/1"]
    bank: Slug
    title: Annotated[str, Field(min_length=1, max_length=200)]
    topic: Slug
    level: Literal["lay", "provider"]
    description: str = ""
    references: dict[str, Annotated[str, Field(min_length=1)]] = {}
    questions: list[Question]

    @model_validator(mode="after")
    def _consistent(self) -> Bank:
        """Keys are unique and every reference resolves."""
        seen: set[str] = set()
        for q in self.questions:
            if q.key in seen:
                raise located("key", q.key, f"key {q.key!r} is used by another question in this bank")
            seen.add(q.key)
            if q.reference is not None and q.reference not in self.references:
                raise located("reference", q.key, f"{q.reference!r} is not one of this bank's references")
        return self


class DrawRule(Strict):
    """Draw `count` questions from a bank (or every bank), only those with all `tags` and none of `exclude_tags`."""

    bank: Slug | None = None
    tags: list[str] = []
    # Left out of the stored settings when empty, so quizzes saved before the field compare equal on re-import.
    exclude_tags: list[Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=40)]] = Field(
        default=[], exclude_if=lambda tags: not tags
    )
    count: int = Field(ge=1, le=500)

    @field_validator("exclude_tags")
    @classmethod
    def _tags_apart(cls, excluded: list[str], info: ValidationInfo) -> list[str]:
        """A tag cannot be both required and excluded."""
        both = sorted(set(info.data.get("tags") or ()) & set(excluded))
        if both:
            raise ValueError(f"tag {both[0]!r} is both required and excluded")
        return excluded


class QuizSpec(Strict):
    """One quiz definition."""

    slug: Slug
    title: Annotated[str, Field(min_length=1, max_length=200)]
    description: str = ""
    draw: list[DrawRule] = Field(min_length=1)
    pass_percent: float = Field(default=80, ge=0, le=100)
    time_limit_minutes: int | None = Field(default=None, ge=1, le=600)
    attempts_allowed: int | None = Field(default=None, ge=1, le=100)
    grading: Literal["highest", "latest", "first", "average"] = "highest"
    feedback: Literal["deferred", "immediate"] = "deferred"
    review: Literal["full", "correctness", "score_only"] = "full"
    shuffle_questions: bool = True
    shuffle_choices: bool = True
    intake: bool = False
    published: bool = True


class QuizSet(Strict):
    """The quizzes file (`format: quizapp-quizzes/1`)."""

    format: Literal["quizapp-quizzes/1"]
    quizzes: list[QuizSpec]

    @model_validator(mode="after")
    def _unique(self) -> QuizSet:
        """Quiz slugs are unique."""
        seen: set[str] = set()
        for quiz in self.quizzes:
            if quiz.slug in seen:
                raise located("slug", quiz.slug, f"quiz slug {quiz.slug!r} is used twice")
            seen.add(quiz.slug)
        return self
