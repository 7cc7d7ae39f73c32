"""What a question type owns, from its schema check to its answer form: the base class of every type (pure)."""

from __future__ import annotations

import math
import random
from abc import ABC, abstractmethod
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quizapp.banks.schema import Question

# What a form field holds when the learner gave nothing.
BLANK = (None, "", [], "None")


class AnswerError(ValueError):
    """A submitted answer does not fit the question (wrong shape, unknown choice, not a number)."""


def parse_number(raw: str) -> Decimal:
    """Parse a learner's number, accepting a decimal comma and surrounding spaces."""
    cleaned = raw.strip().replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise AnswerError("Enter a number, like 6 or 2.5.") from None
    if not value.is_finite() or len(cleaned) > 30:
        raise AnswerError("Enter a number, like 6 or 2.5.")
    # 1e400 is a finite Decimal but an infinite float, which every comparison would silently mark wrong.
    if not math.isfinite(float(value)):
        raise AnswerError("That number is too large: enter a number like 6 or 2.5.")
    return value


def form_text(value: str | None) -> str:
    """Return typed text with browser line endings made plain, so an unchanged textarea hashes the same."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def form_optional(value: str | None) -> str | None:
    """Return typed text, or None when it is blank."""
    return form_text(value) or None


def answer_value(form) -> str | list | None:
    """Return what the answer form's one `answer` field holds, or None when it is blank."""
    data = form.answer.data
    return None if data in BLANK else data


class QuestionType(ABC):
    """One kind of question: its schema rule, grading, texts, answer form, authoring form part and template partial.

    Subclasses set the attributes and implement the abstract hooks; the other hooks have the behaviour of a type
    keyed by `answer` with one feedback for a wrong answer, which choice types override.
    """

    name: str  # the stored `type` and the key in TYPES
    label: str  # the authoring form's type menu
    short_label: str  # question lists and the new-question menu
    choices = False  # the content lists choices (or items); an attempt stores their display order
    ordered = False  # the listed order of the items is the key, so learners always see them shuffled
    noun = "choice"  # what one of the choices is called
    default_scoring: str | None = None  # set for types whose author chooses partial or all-or-nothing scoring
    right_feedback = False  # the question may carry one feedback for a right answer (`right_feedback`)
    interaction = "other"  # the xAPI 1.0.3 interactionType of an answer to this type
    default_rows = 0  # choice rows a new question starts with
    answer_field: str | None = None  # the authoring form field that carries errors about the whole answer
    answer_parts: frozenset[str] = frozenset()  # parts of `answer` that have an authoring form field of their name

    @property
    def partial(self) -> str:
        """The template that shows the question's answer widget to learners."""
        return f"questions/{self.name}.html"

    @property
    def editor(self) -> str:
        """The template of the authoring form's answer section."""
        return f"questions/editors/{self.name}.html"

    @abstractmethod
    def check(self, q: Question) -> None:
        """Raise ValueError when the question lacks a field its type needs or has one it forbids."""

    @abstractmethod
    def normalise(self, q: Question, answer: dict) -> dict:
        """Return the canonical form of an answer (raising AnswerError, KeyError, TypeError or ValueError)."""

    @abstractmethod
    def fraction(self, q: Question, answer: dict) -> Fraction:
        """Return the share of the points a canonical answer earns, between 0 and 1."""

    @abstractmethod
    def answer_text(self, q: Question, answer: dict) -> str:
        """Return a canonical answer as readable text (for reviews and exports)."""

    @abstractmethod
    def key_text(self, q: Question) -> str:
        """Return the correct answer as readable text."""

    @abstractmethod
    def answer_fields(self, q: Question, order: list[int] | None) -> dict:
        """Return the answer form's WTForms fields by name, for the question shown in `order`."""

    @abstractmethod
    def answer_form_data(self, q: Question, order: list[int] | None, answer: dict) -> dict:
        """Return the answer form data that shows a saved answer."""

    @abstractmethod
    def answer_from_form(self, q: Question, order: list[int] | None, form) -> dict | None:
        """Return the answer a submitted answer form holds, or None when nothing was given."""

    @abstractmethod
    def author_data(self, form, current: Question | None) -> tuple[dict, list[int]]:
        """Return the authoring form's type-specific content, and per kept choice its row in the form."""

    @abstractmethod
    def simulated_answer(self, q: Question, rng: random.Random, right: bool, lures: list[float]) -> dict:
        """Return a demo learner's right answer, or a plausible wrong one (`lures` weighs the wrong choices)."""

    def author_form_data(self, q: Question) -> dict:
        """Return the authoring form data of the type's own fields (beyond the stem, choices and the rest)."""
        return {}

    def ignores(self, loc: tuple) -> bool:
        """Whether a schema error at `loc` is noise for this type (another branch of a union it does not use)."""
        return False

    def shown_order(self, count: int, shuffle: bool, rng: random.Random) -> list[int] | None:
        """Return the order the choices are shown in (None: the question has none)."""
        return None

    def picks(self, answer: dict) -> list[int]:
        """Return the options a stored answer picks, by index (what item statistics count)."""
        return []

    def stat_options(self, content: dict) -> tuple[list[str], list[bool]]:
        """Return the texts of the options item statistics count picks of, and which are correct (stored content)."""
        return [], []

    def marked_options(self, q: Question, answer: dict | None, order: list[int] | None) -> list[tuple]:
        """Return the options a review marks in place: (text, picked, correct, feedback) in the order shown."""
        return []

    def picked_feedback(self, q: Question, answer: dict) -> list[str]:
        """Return the feedback a learner sees for an answer: for a right one, or for one not fully right."""
        text = q.right_feedback if self.fraction(q, answer) == 1 else q.feedback
        return [text] if text else []

    def diff_fields(self, q: Question) -> dict[str, str]:
        """Return the type's fields as labelled, readable values for the version history."""
        fields = {"Answer": self.key_text(q), "Feedback for a wrong answer": q.feedback or ""}
        if self.right_feedback:
            fields["Feedback for a right answer"] = q.right_feedback or ""
        return fields
