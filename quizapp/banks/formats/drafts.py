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


_FIELDS = {
    "stem": "the question text",
    "explanation": "the general feedback",
    "feedback": "the feedback",
    "right_feedback": "the feedback for a right answer",
    "answer": "the answer",
    "choices": "the choices",
    "reference": "the reference",
    "tags": "the tags",
}


def describe(exc: ValidationError, empty_choice: str = "") -> str:
    """Return a validation error in words, naming the choice or field ('choice 2 is empty: ...'), not a schema path."""
    errors = exc.errors()
    checks = {e["loc"][:1] for e in errors if e["type"] == "value_error"}
    # A union field (answer) reports one error per form it could take; its own check says what is wrong.
    errors = [e for e in errors if e["type"] == "value_error" or e["loc"][:1] not in checks]
    return "; ".join(dict.fromkeys(_sentence(e, empty_choice) for e in errors))


def _sentence(error: dict, empty_choice: str) -> str:
    """Return one pydantic error as a sentence."""
    loc = [part for part in error["loc"] if isinstance(part, int) or part.isidentifier()]
    message = error["msg"].removeprefix("Value error, ")
    place = _place(loc)
    if error["type"] == "string_too_short":
        hint = empty_choice if loc[:1] == ["choices"] and loc[-1:] == ["text"] else ""
        return f"{place} is empty" + (f": {hint}" if hint else "")
    if error["type"] == "string_too_long":
        return f"{place} is longer than {error['ctx']['max_length']} characters"
    return f"{place}: {message}" if place else message


def _place(loc: list) -> str:
    """Name a field in words: `choice 2`, `choice 2's feedback`, `the question text`."""
    if len(loc) >= 2 and loc[0] == "choices" and isinstance(loc[1], int):
        field = loc[2] if len(loc) > 2 else "text"
        return f"choice {loc[1] + 1}" + ("" if field == "text" else f"'s {field}")
    if len(loc) >= 2 and loc[0] == "tags" and isinstance(loc[1], int):
        return f"tag {loc[1] + 1}"
    return _FIELDS.get(loc[0], str(loc[0])) if loc else ""


class ResultBuilder:
    """Collect a parser's findings; a draft the schema rejects becomes a LineError."""

    def __init__(self, empty_choice: str = "") -> None:
        """Start empty; `empty_choice` says what usually makes a choice empty in this format."""
        self.result = ParseResult()
        self.empty_choice = empty_choice

    def draft(self, line: int, data: dict, title: str | None = None, category: str | None = None) -> None:
        """Add a draft if it is a valid question once given a key, else record why not."""
        draft = Draft(line=line, title=title, category=category, data=data)
        try:
            to_question(draft, CHECK_KEY)
        except ValidationError as exc:
            self.error(line, describe(exc, self.empty_choice))
            return
        self.result.drafts.append(draft)

    def skip(self, line: int, title: str | None, reason: str) -> None:
        """Record a question that is deliberately not imported."""
        self.result.skipped.append(Skipped(line=line, title=title, reason=reason))

    def error(self, line: int, message: str) -> None:
        """Record a malformed question."""
        self.result.errors.append(LineError(line=line, message=message))
