"""Conformance with the gift-pegjs reference grammar's snippets (../shared/fixtures/gift-pegjs; skipped when absent).

Each snippet's JSON is the reference parse. Every question of a type we hold (multiple choice, true/false,
numerical) must import with the same type, stem and answers (with their weights, partial numeric ranges and
feedback); every other one must be skipped with a reason, and is reported here as skipped with that reason.
"""

from __future__ import annotations

import json
import re

import pytest

from quizapp.banks.formats.gift import parse_gift
from quizapp.banks.formats.gift.answers import BLANK_MARKDOWN, plain_weight
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


def weight(choice: dict) -> float:
    """Return a reference choice's weight in percent: as written, else 100 for a correct choice and 0 for another."""
    if choice["weight"] is None:
        return 100 if choice["isCorrect"] else 0
    return choice["weight"]


def expected_choices(question: dict, single: bool) -> list:
    """Return reference choices in our terms: (text, correct, weight, feedback)."""
    return [
        (
            expected_text(c["text"]),
            weight(c) == 100 if single else weight(c) > 0,
            weight(c),
            expected_text(c["feedback"]),
        )
        for c in question["choices"]
    ]


def our_weights(data: dict) -> list[float]:
    """Return our choices' weights, kept or (when left out as they grade as plain choices) the ones they stand for."""
    share = plain_weight(sum(c["correct"] for c in data["choices"]))
    full = {"single": (100, 0), "multiple": (share, -share)}[data["type"]]
    return [c.get("weight", full[0] if c["correct"] else full[1]) for c in data["choices"]]


def interval(choice: dict) -> dict:
    """Return a reference numeric answer as our interval."""
    if choice["type"] == "high-low":
        return {"min": choice["numberLow"], "max": choice["numberHigh"]}
    return {"value": choice["number"], **({"tolerance": choice["range"]} if choice["type"] == "range" else {})}


def expected_numeric(question: dict) -> tuple:
    """Return the reference numeric key (the first full-credit answer), the other answers as (interval, credit,
    feedback), and the key's feedback."""
    choices = question["choices"]
    if not isinstance(choices, list):
        return interval(choices), [], ""
    key = next(c for c in choices if c["weight"] is None or c["weight"] == 100)
    others = [(interval(c["text"]), 100 if c["weight"] is None else c["weight"], expected_text(c["feedback"]))
              for c in choices if c is not key and "type" in c["text"]]  # a '*' answer is the wrong-answer feedback
    return interval(key["text"]), others, expected_text(key["feedback"])


def expected_answer(question: dict, single: bool):
    """Return the reference key in our terms (true/false with its two feedbacks, choices, or numeric)."""
    if question["type"] == "TF":
        # gift-pegjs names the two feedbacks by position (true, false); Moodle reads them as (wrong, right).
        return question["isTrue"], expected_text(question["trueFeedback"]), expected_text(question["falseFeedback"])
    if question["type"] == "MC":
        return expected_choices(question, single)
    return expected_numeric(question)


def our_answer(data: dict):
    """Return our draft's key in the same terms."""
    if data["type"] == "true_false":
        return data["answer"], plain(data.get("feedback", "")), plain(data.get("right_feedback", ""))
    if data["type"] in ("single", "multiple"):
        pairs = zip(data["choices"], our_weights(data), strict=True)
        return [(plain(c["text"]), c["correct"], w, plain(c.get("feedback", ""))) for c, w in pairs]
    answer = dict(data["answer"])
    others = [
        ({k: v for k, v in r.items() if k not in ("credit", "feedback")}, r["credit"], plain(r.get("feedback", "")))
        for r in answer.pop("partial", [])
    ]
    return answer, others, plain(data.get("right_feedback", ""))


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
