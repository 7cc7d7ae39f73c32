"""The one definition of a valid question, bank and quiz set (pydantic v2); each question type checks its own fields."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, PlainValidator, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from quizapp import qtypes
from quizapp.qtypes.shapes import Choice, NumericAnswer, Strict, Text

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$")]
Key = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$")]


def _registered(value: object) -> str:
    """Accept the name of a registered question type, refusing others as a Literal of the names would."""
    if isinstance(value, str) and value in qtypes.TYPES:
        return value
    names = [repr(name) for name in qtypes.TYPES]
    expected = f"{', '.join(names[:-1])} or {names[-1]}" if len(names) > 1 else names[0]
    raise PydanticCustomError("literal_error", "Input should be {expected}", {"expected": expected})


TypeName = Annotated[str, PlainValidator(_registered)]


def located(field: str, key: str, message: str) -> PydanticCustomError:
    """Return a validation error that names the question (or quiz) key and field it is about."""
    return PydanticCustomError("located", message, {"key": key, "field": field})


class Question(Strict):
    """One question as authored; the content of one immutable version."""

    key: Key
    type: TypeName
    stem: Text
    choices: list[Choice] | None = None
    answer: bool | NumericAnswer | None = None
    feedback: str | None = None
    # Feedback for a right answer (true/false and numeric; choices carry their own). Left out when unset.
    right_feedback: str | None = Field(default=None, exclude_if=lambda text: text is None)
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
        kind = qtypes.get(self.type)
        kind.check(self)
        if self.scoring is not None and kind.default_scoring is None:
            scored = " and ".join(name for name, t in qtypes.TYPES.items() if t.default_scoring)
            raise ValueError(f"scoring applies only to {scored}, not {self.type}")
        if self.right_feedback is not None and not kind.right_feedback:
            named = " and ".join(name for name, t in qtypes.TYPES.items() if t.right_feedback)
            raise ValueError(f"right_feedback applies only to {named}: {self.type} choices carry their own feedback")
        return self

    @property
    def effective_scoring(self) -> str | None:
        """Return the scoring rule in force (explicit or the type's default)."""
        return self.scoring or qtypes.get(self.type).default_scoring


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
    # Each learner's draw moves the rules' counts toward their weakest topics (`taking.drawing.focus`). Left out of the
    # stored settings when off, so quizzes saved before the field compare equal on re-import.
    focus_weakest: bool = Field(default=False, exclude_if=lambda on: not on)

    @model_validator(mode="after")
    def _focus_by_bank(self) -> QuizSpec:
        """A quiz that focuses on weak topics names a bank in every rule: a bank is what has a topic."""
        if self.focus_weakest and any(rule.bank is None for rule in self.draw):
            raise ValueError("a quiz that focuses on weakest topics needs a bank in every draw rule")
        return self


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
