"""What a foreign-format parser (GIFT, Aiken) returns: drafts with their inline images, skipped questions, errors."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from pydantic import ValidationError

from quizapp.banks.schema import Question

CHECK_KEY = "draft"
IMAGE_TYPES = ("image/png", "image/jpeg", "image/webp")
MAX_IMAGE_BYTES = 1024 * 1024
MAX_IMAGES = 20
IMAGE_REF = "inline-image:"
# A Markdown image or link address that is a data: URI (written by textconv, or by hand in [markdown] text).
_DATA_URI = re.compile(r"\]\(data:([A-Za-z0-9/+.;:,=-]*+)\)")


@dataclass(frozen=True)
class InlineImage:
    """An image that was inline in a question's text: its reference there (`inline-image:<sha256>`) and bytes."""

    ref: str
    mime: str
    data: bytes


@dataclass(frozen=True)
class Draft:
    """One parsed question, not yet given a key; its texts refer to its inline images by their `ref`."""

    line: int
    title: str | None
    category: str | None
    data: dict
    images: tuple[InlineImage, ...] = ()


def map_texts(data: dict, change: Callable[[str], str]) -> dict:
    """Return question data with `change` applied to every Markdown text (stem, feedback, explanation, choices)."""
    out = _change_fields(data, ("stem", "feedback", "explanation"), change)
    if isinstance(data.get("choices"), list):
        out["choices"] = [_change_fields(choice, ("text", "feedback"), change) for choice in data["choices"]]
    return out


def _change_fields(item: dict, names: tuple[str, ...], change: Callable[[str], str]) -> dict:
    """Return a copy of `item` with `change` applied to its text fields among `names`."""
    return {k: change(v) if k in names and isinstance(v, str) else v for k, v in item.items()}


def take_images(data: dict) -> tuple[dict, list[InlineImage], list[str]]:
    """Lift data: images out of question texts into InlineImages (referred to by `ref`); problems are in words."""
    images: dict[str, InlineImage] = {}
    problems: list[str] = []

    def lift(match: re.Match) -> str:
        """Replace one data: address by its image's reference, or note why it cannot be imported."""
        if _escaped(match.string, match.start()):
            return match.group(0)
        image = _decode(match.group(1), len(images) + len(problems) + 1, problems)
        if image is None:
            return match.group(0)
        if len(images) >= MAX_IMAGES and image.ref not in images:
            problems.append(f"more than {MAX_IMAGES} inline images in one question")
            return match.group(0)
        images.setdefault(image.ref, image)
        return f"]({image.ref})"

    data = map_texts(data, lambda text: _DATA_URI.sub(lift, text) if "](data:" in text else text)
    return data, list(images.values()), list(dict.fromkeys(problems))


def _escaped(text: str, at: int) -> bool:
    """Whether the `]` at `at` is escaped (an odd run of backslashes before it): literal text, not an image."""
    start = at
    while start > 0 and text[start - 1] == "\\":
        start -= 1
    return (at - start) % 2 == 1


def _decode(uri: str, number: int, problems: list[str]) -> InlineImage | None:
    """Decode `image/png;base64,...` into an InlineImage, or add the reason it is refused to `problems`."""
    head, base64_, payload = uri.partition(";base64,")
    mime = head.lower().replace("image/jpg", "image/jpeg")
    if mime not in IMAGE_TYPES:
        kind = f"a {head[:40]} file" if base64_ else "not a base64 image"
        problems.append(f"inline image {number} is {kind}: only PNG, JPEG and WebP images can be imported")
        return None
    if len(payload) * 3 // 4 > MAX_IMAGE_BYTES:
        problems.append(f"inline image {number} is larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MB")
        return None
    try:
        raw = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        problems.append(f"inline image {number} is not valid base64 data")
        return None
    return InlineImage(ref=IMAGE_REF + hashlib.sha256(raw).hexdigest(), mime=mime, data=raw)


def with_urls(data: dict, urls: dict[str, str]) -> dict:
    """Return question data with each inline image's reference replaced by its stored address."""

    def swap(text: str) -> str:
        """Point every reference in one text at its image's address."""
        for ref, url in urls.items():
            text = text.replace(f"]({ref})", f"]({url})")
        return text

    return map_texts(data, swap) if urls else data


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
    notes: list[str] = field(default_factory=list)  # hints about what was read more leniently than the standard


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


_BOUNDS = {
    "greater_than": ("more than", "gt"),
    "greater_than_equal": ("at least", "ge"),
    "less_than": ("less than", "lt"),
    "less_than_equal": ("at most", "le"),
}


def describe(exc: ValidationError, empty_choice: str = "") -> str:
    """Return a validation error in words, naming the choice or field ('choice 2 is empty: ...'), not a schema path."""
    errors = exc.errors()
    checks = {e["loc"][:1] for e in errors if e["type"] == "value_error"}
    # A union field (answer) reports one error per form it could take; its own check says what is wrong, else the
    # form it has (an error inside it) rather than the forms it has not (a wrong type).
    errors = [e for e in errors if e["type"] == "value_error" or e["loc"][:1] not in checks]
    inside = {e["loc"][:1] for e in errors if len(e["loc"]) > 2 and e["loc"][0] == "answer"}
    errors = [e for e in errors if not (e["loc"][:1] in inside and len(e["loc"]) <= 2)]
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
    if error["type"] in _BOUNDS:
        words, limit = _BOUNDS[error["type"]]
        value = error["ctx"][limit]
        return f"{place} must be {words} {value:g}" if isinstance(value, float) else f"{place} must be {words} {value}"
    return f"{place}: {message}" if place else message


def _place(loc: list) -> str:
    """Name a field in words: `choice 2`, `choice 2's feedback`, `the question text`."""
    if len(loc) >= 2 and loc[0] == "choices" and isinstance(loc[1], int):
        field = loc[2] if len(loc) > 2 else "text"
        return f"choice {loc[1] + 1}" + ("" if field == "text" else f"'s {field}")
    if len(loc) >= 2 and loc[0] == "tags" and isinstance(loc[1], int):
        return f"tag {loc[1] + 1}"
    if len(loc) >= 2 and loc[0] == "answer":  # ("answer", "tolerance") from the numeric form of the union
        return f"the answer's {loc[-1]}"
    return _FIELDS.get(loc[0], str(loc[0])) if loc else ""


class ResultBuilder:
    """Collect a parser's findings; a draft the schema rejects becomes a LineError."""

    def __init__(self, empty_choice: str = "") -> None:
        """Start empty; `empty_choice` says what usually makes a choice empty in this format."""
        self.result = ParseResult()
        self.empty_choice = empty_choice

    def draft(self, line: int, data: dict, title: str | None = None, category: str | None = None) -> None:
        """Add a draft if its inline images can be read and it is a valid question once given a key, else say why."""
        data, images, problems = take_images(data)
        if problems:
            self.error(line, "; ".join(problems))
            return
        draft = Draft(line=line, title=title, category=category, data=data, images=tuple(images))
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

    def note(self, message: str) -> None:
        """Record a hint for the report (the file was read, but another reader might not accept it)."""
        self.result.notes.append(message)


def category_tag(category: str | None) -> str | None:
    """Return a GIFT `$CATEGORY:` path as a tag: `$course$/CPR/Adult BLS` becomes `cpr-adult-bls`."""
    path = re.sub(r"^\$[a-z]+\$/?", "", (category or "").strip())
    ascii_path = unicodedata.normalize("NFKD", path).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_path).strip("-")[:40].rstrip("-")
    return slug or None


def with_category(draft: Draft, data: dict) -> dict:
    """Return the draft's data with its category added to its tags."""
    tag = category_tag(draft.category)
    tags = list(data.get("tags") or [])
    if tag and tag not in tags:
        tags.append(tag)
    return {**data, "tags": tags} if tags else dict(data)
