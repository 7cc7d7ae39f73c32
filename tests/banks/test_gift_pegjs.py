"""Conformance with the gift-pegjs reference grammar's snippets (../shared/fixtures/gift-pegjs; skipped when absent).

Each snippet's JSON is the reference parse. Every question of a type we hold (multiple choice, true/false,
numerical) must import with the same type, stem and answers; every other one must be skipped with a reason,
and is reported here as skipped with that reason.
"""

from __future__ import annotations

import json
import re

import pytest

from quizapp.banks.formats.gift import parse_gift
from quizapp.banks.formats.gift_answers import BLANK_MARKDOWN
from quizapp.banks.formats.textconv import to_markdown
from tests.conftest import SHARED

PEGJS = SHARED / "fixtures" / "gift-pegjs"
OURS = {"MC": ("single", "multiple"), "TF": ("true_false",), "Numerical": ("numeric",)}
_ESCAPED = re.compile(r"\\([\\`*_\[\]<>&|~#+=.!()-])")
_SPACE = re.compile(r"\s++")


def outcomes(path) -> list[tuple[int, str, object]]:
    """Return our outcome for each question of a snippet in order: (line, 'draft'|'skip'|'error', data or reason)."""
    result = parse_gift(path.read_text(encoding="utf-8"))
    found = [(d.line, "draft", d.data) for d in result.drafts]
    found += [(s.line, "skip", s.reason) for s in result.skipped]
    found += [(e.line, "error", e.message) for e in result.errors]
    return sorted(found, key=lambda item: item[0])


def cases() -> list:
    """Pair each reference question with our outcome for it, one test case each."""
    if not PEGJS.is_dir():
        return [pytest.param(None, None, marks=pytest.mark.skip(reason="../shared/fixtures/gift-pegjs not present"))]
    params = []
    for path in sorted(PEGJS.glob("*.gift")):
        expected = [q for q in json.loads(path.with_suffix(".json").read_text()) if q["type"] != "Category"]
        ours = outcomes(path)
        if len(ours) != len(expected):
            params.append(pytest.param(expected, ours, id=f"{path.stem}-count"))
            continue
        pairs = enumerate(zip(expected, ours, strict=True), start=1)
        params += [pytest.param(q, o, id=f"{path.stem}-{i}") for i, (q, o) in pairs]
    return params


def plain(text: str) -> str:
    """Compare texts without Markdown escapes, blank markers or spacing differences."""
    text = text.replace(BLANK_MARKDOWN, "_____").replace(" _____", "_____").replace("_____ ", "_____")
    return _SPACE.sub(" ", _ESCAPED.sub(r"\1", text)).strip()


def expected_text(part: dict | None) -> str:
    """Return a reference text as our Markdown would hold it, made plain."""
    return plain(to_markdown(part["text"], part["format"])) if part else ""


def correct(choice: dict, single: bool) -> bool:
    """Whether a reference choice is correct in our terms: full credit in single choice, any credit in multiple."""
    if choice["weight"] is None:
        return choice["isCorrect"]
    return choice["weight"] >= 100 if single else choice["weight"] > 0


def expected_answer(question: dict, single: bool):
    """Return the reference key in our terms: choices (text, correct), true/false, or the first full numeric answer."""
    if question["type"] == "TF":
        return question["isTrue"]
    if question["type"] == "MC":
        return [(expected_text(c["text"]), correct(c, single)) for c in question["choices"]]
    choice = question["choices"]
    if isinstance(choice, list):
        choice = next(c["text"] for c in choice if c["weight"] is None or c["weight"] >= 100)
    if choice["type"] == "high-low":
        return {"min": choice["numberLow"], "max": choice["numberHigh"]}
    return {"value": choice["number"], **({"tolerance": choice["range"]} if choice["type"] == "range" else {})}


def our_answer(data: dict):
    """Return our draft's key in the same terms."""
    if data["type"] in ("single", "multiple"):
        return [(plain(c["text"]), c["correct"]) for c in data["choices"]]
    return data["answer"]


@pytest.mark.parametrize(("question", "outcome"), cases())
def test_gift_pegjs_snippet(question, outcome):
    """A supported reference question imports as the JSON says; any other is skipped with our reason."""
    if isinstance(question, list):
        pytest.fail(f"{len(question)} questions in the reference, {len(outcome)} found: {outcome}")
    _, kind, value = outcome
    if question["type"] not in OURS or kind == "skip":
        assert kind == "skip", f"a {question['type']} question should be skipped with a reason, got {kind}: {value}"
        pytest.skip(f"{question['type']}: {value}")
    assert kind == "draft", value
    assert value["type"] in OURS[question["type"]]
    assert plain(value["stem"]) == expected_text(question["stem"])
    assert our_answer(value) == expected_answer(question, value["type"] == "single")
