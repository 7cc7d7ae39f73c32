"""Writing GIFT (from schema questions).

``::key::`` titles, ``[markdown]`` texts, the explanation as ``####`` general
feedback. Choice weights, numeric partial ranges and right-answer feedback are written as
Moodle reads them; a multiple-answer question without weights gets Moodle's nearest grade to
1/(number correct), wrong answers the negative of it (our partial scoring). Ordering questions become a comment and
are listed in ``GiftExport.skipped``; a unit or a choice question's own feedback, which GIFT
cannot hold, is named in a comment above the question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from quizapp.banks.formats.gift.answers import CATEGORY, plain_weight
from quizapp.banks.schema import Question
from quizapp.qtypes.shapes import Interval

_CONTROL = re.compile(r"([~=#{}:])")


@dataclass(frozen=True)
class GiftExport:
    """GIFT text plus the keys of questions GIFT cannot represent (written as comments)."""

    text: str
    skipped: list[str]


_MARKER = re.compile(r"^\[(?:moodle|html|plain|markdown)\]")


def export_gift(questions: list[Question], category: str | None = None) -> GiftExport:
    """Write questions as Moodle-importable GIFT; questions of a type GIFT cannot hold (ordering) become comments."""
    parts = [f"{CATEGORY} {_escape(category)}"] if category else []
    skipped = []
    for question in questions:
        if question.type not in _WRITERS:
            parts.append(f"// {question.type} question {question.key} not representable in GIFT")
            skipped.append(question.key)
        else:
            parts.append(_write_question(question))
    return GiftExport(text="\n\n".join(parts) + "\n", skipped=skipped)


def dump_gift(questions: list[Question], category: str | None = None) -> str:
    """Return questions as GIFT text (see export_gift for the keys left out)."""
    return export_gift(questions, category).text


def _write_question(q: Question) -> str:
    """Write one single, multiple, true_false or numeric question."""
    opening = "{#" if q.type == "numeric" else "{"
    lines = [f"::{_escape(q.key)}::[markdown]{_escape(q.stem)}{opening}"]
    lines += _WRITERS[q.type](q)
    if q.explanation:
        lines.append("\t####" + _text(q.explanation))
    lost = _lost_fields(q)
    comment = [f"// {q.key}: {', '.join(lost)} not representable in GIFT"] if lost else []
    return "\n".join([*comment, *lines, "}"])


def _lost_fields(q: Question) -> list[str]:
    """Name the content fields GIFT has no place for in this question."""
    lost = ["feedback"] if q.feedback and q.type in ("single", "multiple") else []
    if q.type == "numeric" and q.answer.unit:
        lost.append("unit")
    return lost


def _choice_lines(q: Question) -> list[str]:
    """Write choices with #feedback: single as =/~ (~%weight% for part credit), multiple as ~%weight% (or ~%share%)."""
    share = plain_weight(sum(c.correct for c in q.choices))
    weighted = any(c.weight is not None for c in q.choices)
    lines = []
    for choice in q.choices:
        if q.type == "multiple":
            weight = (choice.weight or 0) if weighted else (share if choice.correct else -share)
            mark = f"~%{_percent(weight)}%"
        elif choice.correct or not choice.weight:
            mark = "=" if choice.correct else ("~%0%" if choice.text.startswith("%") else "~")
        else:
            mark = f"~%{_percent(choice.weight)}%"
        feedback = "#" + _text(choice.feedback) if choice.feedback else ""
        lines.append(f"\t{mark}{_text(choice.text)}{feedback}")
    return lines


def _true_false_lines(q: Question) -> list[str]:
    """Write TRUE/FALSE with the wrong answer's feedback, then the right answer's."""
    feedback = "#" + _text(q.feedback) if q.feedback else ("#" if q.right_feedback else "")
    right = "#" + _text(q.right_feedback) if q.right_feedback else ""
    return [f"\t{'TRUE' if q.answer else 'FALSE'}{feedback}{right}"]


def _numeric_lines(q: Question) -> list[str]:
    """Write the key (value:tolerance or min..max) with its feedback, the partial ranges, the wrong-answer feedback."""
    a = q.answer
    right = "#" + _text(q.right_feedback) if q.right_feedback else ""
    lines = [f"\t={_interval(a)}{right}"]
    for r in a.partial:
        lines.append(f"\t=%{_percent(r.credit)}%{_interval(r)}" + ("#" + _text(r.feedback) if r.feedback else ""))
    return lines + ([f"\t~#{_text(q.feedback)}"] if q.feedback else [])


def _interval(a: Interval) -> str:
    """Write value:tolerance or min..max."""
    return f"{_num(a.value)}:{_num(a.tolerance)}" if a.value is not None else f"{_num(a.min)}..{_num(a.max)}"


_WRITERS = {
    "single": _choice_lines,
    "multiple": _choice_lines,
    "true_false": _true_false_lines,
    "numeric": _numeric_lines,
}


def _escape(text: str) -> str:
    """Escape GIFT control characters and newlines."""
    text = text.replace("\\", "\\\\").replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub(r"\\\1", text)
    return text.replace("\n", "\\n")


def _text(text: str) -> str:
    """Escape a Markdown text, marking it [markdown] when it would read as another format."""
    return ("[markdown]" if _MARKER.match(text) else "") + _escape(text)


def _percent(weight: float) -> str:
    """Write a weight in percent as GIFT does: 33.33333, 50, -100."""
    return f"{weight:.5f}".rstrip("0").rstrip(".")


def _num(x: float) -> str:
    """Write a number so it parses back to the same float."""
    x = float(x)
    return str(int(x)) if x.is_integer() and abs(x) < 1e15 else repr(x)
