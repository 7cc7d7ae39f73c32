"""Moodle XML writer (as qformat_xml writes): a bank's questions as a file Moodle and our reader import.

One category named after the bank; texts in Moodle's ``markdown`` format, so our own text is
written unchanged; the key is the name and the ``idnumber``. Images (``/media/<sha256>.<ext>``)
become ``@@PLUGINFILE@@`` references with the image as a base64 ``<file>`` in the same text, as
Moodle exports them. Choice weights are the grades, as they are (a weight that is not one of
Moodle's grades needs Moodle's "nearest grade" import option); without weights, single choice: the
correct choice 100%; multiple: each correct choice Moodle's grade nearest to 1/(number correct),
each wrong one minus that (our partial scoring).
Numeric ranges are written as their midpoint give or take half their width. Ordering: items in
order, all-or-nothing or absolute-position grading. Left out (Moodle has no place for them): the
difficulty, the reference, the exclusion group and a multiple-choice scoring rule.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from xml.sax.saxutils import escape, quoteattr

from quizapp.banks.formats.gift import GiftExport
from quizapp.banks.formats.moodlexml.reader import GRADES
from quizapp.banks.schema import Question

MediaLoader = Callable[[str], bytes | None]
_MEDIA = re.compile(r"\]\(/media/([0-9a-f]{64}\.(?:png|jpg|webp))\)")


def export_xml(questions: list[Question], category: str | None = None, media: MediaLoader | None = None) -> GiftExport:
    """Write questions as Moodle XML; `media` returns a stored image's bytes by file name (None: links kept)."""
    parts = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    if category:
        parts.append(_category(category))
    skipped = []
    for question in questions:
        writer = _WRITERS.get(question.type)
        if writer is None:
            parts.append(f"  <!-- {question.type} question {escape(question.key)} not representable in Moodle XML -->")
            skipped.append(question.key)
        else:
            parts.append(_question(question, writer(question, media), media))
    parts.append("</quiz>")
    return GiftExport(text="\n".join(parts) + "\n", skipped=skipped)


def _category(path: str) -> str:
    """Write the category pseudo-question that files the questions after it."""
    return "\n".join(
        [
            '  <question type="category">',
            f"    <category>\n      <text>{escape('$course$/' + path)}</text>\n    </category>",
            "  </question>",
        ]
    )


def _question(q: Question, body: tuple[str, list[str]], media: MediaLoader | None) -> str:
    """Write one question: its Moodle type, common header, type-specific lines and tags."""
    moodle_type, lines = body
    head = [
        f'  <question type="{moodle_type}">',
        f"    <name>\n      <text>{escape(q.key)}</text>\n    </name>",
        _text("questiontext", q.stem, 2, media),
        _text("generalfeedback", q.explanation, 2, media),
        f"    <defaultgrade>{_num(q.points)}</defaultgrade>",
        "    <penalty>0.3333333</penalty>",
        "    <hidden>0</hidden>",
        f"    <idnumber>{escape(q.key)}</idnumber>",
    ]
    tags = [f"      <tag><text>{escape(tag)}</text></tag>" for tag in q.tags]
    tail = ["    <tags>", *tags, "    </tags>"] if tags else []
    return "\n".join([*head, *lines, *tail, "  </question>"])


def _text(tag: str, markdown: str | None, depth: int, media: MediaLoader | None, fmt: str = "markdown") -> str:
    """Write a text element in the given format, its images as @@PLUGINFILE@@ files."""
    pad = "  " * depth
    files: list[str] = []
    embedded: list[str] = []

    def embed(match: re.Match) -> str:
        """Point an image at its embedded file, when its bytes can be had."""
        name = match.group(1)
        data = media(name) if media else None
        if data is None:
            return match.group(0)
        if name not in files:
            files.append(name)
            content = base64.b64encode(data).decode()
            embedded.append(f'{pad}  <file name="{name}" path="/" encoding="base64">{content}</file>')
        return f"](@@PLUGINFILE@@/{name})"

    text = _MEDIA.sub(embed, markdown or "")
    return "\n".join(
        [f"{pad}<{tag} format={quoteattr(fmt)}>", f"{pad}  <text>{escape(text)}</text>", *embedded, f"{pad}</{tag}>"]
    )


def _answer(
    fraction: float, text: str, feedback: str | None, media: MediaLoader | None, fmt="markdown", extra=()
) -> list[str]:
    """Write one <answer> with its grade (a fraction), text and feedback."""
    return [
        f'    <answer fraction="{_percent(fraction)}" format={quoteattr(fmt)}>',
        f"      <text>{escape(text)}</text>",
        _text("feedback", feedback, 3, media),
        *extra,
        "    </answer>",
    ]


def _choice(q: Question, media: MediaLoader | None) -> tuple[str, list[str]]:
    """Write a single or multiple choice question as multichoice."""
    correct = sum(c.correct for c in q.choices)
    weight = 1 if q.type == "single" else min(GRADES, key=lambda g: abs(g - 1 / correct))
    lines = [
        f"    <single>{'true' if q.type == 'single' else 'false'}</single>",
        f"    <shuffleanswers>{'true' if q.shuffle else 'false'}</shuffleanswers>",
        "    <answernumbering>abc</answernumbering>",
    ]
    weighted = any(c.weight is not None for c in q.choices)
    for c in q.choices:
        fraction = weight if c.correct else (0 if q.type == "single" else -weight)
        if weighted:
            fraction = (c.weight or 0) / 100
        lines += _answer(fraction, c.text, c.feedback, media)
    return "multichoice", lines


def _true_false(q: Question, media: MediaLoader | None) -> tuple[str, list[str]]:
    """Write true and false answers: the right one with the right-answer feedback, the wrong one with the other."""
    lines = []
    for value in (True, False):
        right = value is q.answer
        text, feedback = ("true" if value else "false"), (q.right_feedback if right else q.feedback)
        lines += _answer(1 if right else 0, text, feedback, media, "moodle_auto_format")
    return "truefalse", lines


def _numeric(q: Question, media: MediaLoader | None) -> tuple[str, list[str]]:
    """Write the key and partial ranges as value and tolerance, a * answer with the wrong-answer feedback, the unit."""
    lines = _number_answer(q.answer, 1, q.right_feedback, media)
    for found in q.answer.partial:
        lines += _number_answer(found, found.credit / 100, found.feedback, media)
    if q.feedback:
        lines += _answer(0, "*", q.feedback, media, "moodle_auto_format", ["      <tolerance>0</tolerance>"])
    if q.answer.unit:
        unit = f"<unit><multiplier>1</multiplier><unit_name>{escape(q.answer.unit)}</unit_name></unit>"
        lines += [
            f"    <units>{unit}</units>",
            "    <unitgradingtype>0</unitgradingtype>",
            "    <showunits>3</showunits>",
        ]
    return "numerical", lines


def _number_answer(interval, fraction: float, feedback: str | None, media: MediaLoader | None) -> list[str]:
    """Write one numerical answer; a range is its midpoint give or take half its width."""
    value, tolerance = interval.value, interval.tolerance
    if value is None:
        value, tolerance = (interval.min + interval.max) / 2, (interval.max - interval.min) / 2
    extra = [f"      <tolerance>{_num(tolerance)}</tolerance>"]
    return _answer(fraction, _num(value), feedback, media, "moodle_auto_format", extra)


def _ordering(q: Question, media: MediaLoader | None) -> tuple[str, list[str]]:
    """Write the items in their correct order with the grading our scoring gives."""
    grading = "ALL_OR_NOTHING" if q.effective_scoring == "all_or_nothing" else "ABSOLUTE_POSITION"
    lines = [
        "    <layouttype>VERTICAL</layouttype>",
        "    <selecttype>ALL</selecttype>",
        "    <selectcount>0</selectcount>",
        f"    <gradingtype>{grading}</gradingtype>",
        "    <showgrading>SHOW</showgrading>",
    ]
    for position, item in enumerate(q.choices, start=1):
        lines += _answer(position / 100, item.text, item.feedback, media)
    return "ordering", lines


_WRITERS = {
    "single": _choice,
    "multiple": _choice,
    "true_false": _true_false,
    "numeric": _numeric,
    "ordering": _ordering,
}


def _percent(fraction: float) -> str:
    """Write a fraction as a Moodle grade percentage: 0.3333333 -> 33.33333."""
    return f"{fraction * 100:.5f}".rstrip("0").rstrip(".")


def _num(x: float) -> str:
    """Write a number so it parses back to the same float."""
    x = float(x)
    return str(int(x)) if x.is_integer() and abs(x) < 1e15 else repr(x)
