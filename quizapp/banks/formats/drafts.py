"""What a foreign-format parser (GIFT, Aiken) returns: drafts, skipped questions, located errors."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import ValidationError

from quizapp.banks.schema import Question

CHECK_KEY = "draft"


@dataclass(frozen=True)
class Draft:
    """One parsed question, not yet given a key."""

    line: int
    title: str | None
    category: str | None
    data: dict


@dataclass(frozen=True)
class Skipped:
    """A question the source holds but our banks cannot represent (e.g. an essay)."""

    line: int
    title: str | None
    reason: str


@dataclass(frozen=True)
class LineError:
    """A malformed question, with the 1-based line it starts on."""

    line: int
    message: str


@dataclass(frozen=True)
class ParseResult:
    """Everything a parser found, in source order within each list."""

    drafts: list[Draft] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)


def to_question(draft: Draft, key: str) -> Question:
    """Give a draft its key and validate it against the schema (ValidationError propagates)."""
    return Question.model_validate({**draft.data, "key": key})


def describe(exc: ValidationError) -> str:
    """Return a pydantic validation error as one readable line."""
    messages = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        messages.append(f"{where}: {message}" if where else message)
    return "; ".join(messages)


class ResultBuilder:
    """Collect a parser's findings; a draft the schema rejects becomes a LineError."""

    def __init__(self) -> None:
        """Start empty."""
        self.result = ParseResult()

    def draft(self, line: int, data: dict, title: str | None = None, category: str | None = None) -> None:
        """Add a draft if it is a valid question once given a key, else record why not."""
        draft = Draft(line=line, title=title, category=category, data=data)
        try:
            to_question(draft, CHECK_KEY)
        except ValidationError as exc:
            self.error(line, describe(exc))
            return
        self.result.drafts.append(draft)

    def skip(self, line: int, title: str | None, reason: str) -> None:
        """Record a question that is deliberately not imported."""
        self.result.skipped.append(Skipped(line=line, title=title, reason=reason))

    def error(self, line: int, message: str) -> None:
        """Record a malformed question."""
        self.result.errors.append(LineError(line=line, message=message))
