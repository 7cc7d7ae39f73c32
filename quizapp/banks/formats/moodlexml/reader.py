"""Moodle XML reader (as qformat_xml reads): questions into drafts; questions/README.md has the full mapping.

``<quiz>`` holds ``<question type="...">``; a ``category`` pseudo-question files the questions after it
(nested paths kept whole); name, question text, general feedback (the explanation), default grade
(points) and tags are read for every type, texts in their ``format`` (html when absent). The file is
read by ``tree`` (defusedxml: no DTD, no entities, no network, bounded depth and size); one that is not
well-formed is one error, then each question is imported, skipped (with the reason) or refused (with
its line and reason), as GIFT is. ``@@PLUGINFILE@@/name`` images with their base64 ``<file>`` become
inline ``data:`` images, which the drafts lift out and the import stores as media. A relative ordering
grading, read loosely, is noted.

- multichoice: grades must be Moodle's grade options (33 is refused, 33.33333 is one); single: one
  100% answer (none: refused; several: skipped, Moodle credits each); multiple: the positive grades add
  up to 100%. Grades become choice weights unless they are what our grading does anyway (single: 100
  and 0; multiple: 1/n each of the n correct, minus that each wrong). Empty answers are dropped.
- truefalse: the wrong answer's feedback becomes ``feedback``, the right one's ``right_feedback``.
- numerical: grades checked as above; the first 100% answer with its tolerance is the key (its feedback
  ``right_feedback``), the others partial ranges with their credit and feedback; the unit with multiplier
  1; a ``*`` answer's feedback becomes ``feedback``.
- ordering: items in the file's order; ALL_OR_NOTHING stays all or nothing, other gradings credit each
  item in its place; showing only some items (selectcount) is skipped. Other types are skipped.
"""

from __future__ import annotations

import math
import re

from quizapp.banks.formats.drafts import ParseResult, ResultBuilder
from quizapp.banks.formats.moodlexml.texts import field_text, text_format
from quizapp.banks.formats.moodlexml.tree import Node, XmlRefused, read_tree

_UNSUPPORTED = {
    "essay": "essay", "shortanswer": "short answer", "matching": "matching", "match": "matching",
    "cloze": "cloze (embedded answers)", "multianswer": "cloze (embedded answers)", "description": "description",
    "calculated": "calculated", "calculatedsimple": "calculated", "calculatedmulti": "calculated",
}
# Moodle's grade options (question_bank::fraction_options_full): these, their negatives and 0.
GRADES = (
    1, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3, 0.25, 0.2, 0.1666667, 0.1428571,
    0.125, 0.1111111, 0.1, 0.05,
)
# The elements the reader looks at; the others (hints, combined feedback, datasets ...) are not kept.
_READ = frozenset({
    "question", "name", "text", "questiontext", "generalfeedback", "defaultgrade", "answer", "feedback", "file",
    "single", "shuffleanswers", "tolerance", "units", "unit", "unit_name", "multiplier", "tags", "tag", "category",
    "selecttype", "selectcount", "gradingtype",
})
_TAG_CHARS = re.compile(r"[^a-z0-9]+")


class Unsupported(ValueError):
    """A question our banks cannot hold; the message is the skip reason."""


class Malformed(ValueError):
    """A question Moodle would refuse too; the message says why."""


def parse_moodle_xml(text: str) -> ParseResult:
    """Parse Moodle XML into drafts, skipped (unsupported) questions and line-numbered errors."""
    out = ResultBuilder()
    try:
        root = read_tree(text, _READ)
    except XmlRefused as exc:
        out.error(1, str(exc))
        return out.result
    if root.tag != "quiz":
        out.error(root.line, f"this is not a Moodle XML file: its first element is <{root.tag}>, not <quiz>")
        return out.result
    category = None
    for question in root.every("question"):
        kind = question.attrs.get("type", "")
        if kind == "category":
            category = _wrapped(question, "category") or None
            continue
        title = _wrapped(question, "name") or None
        notes: list[str] = []
        try:
            data = read_question(question, kind, notes)
        except Unsupported as exc:
            out.skip(question.line, title, str(exc))
        except Malformed as exc:
            out.error(question.line, str(exc))
        else:
            out.draft(question.line, data, title=title, category=category)
            for note in notes:
                out.note(f"line {question.line}: {note}")
    return out.result


def _wrapped(node: Node, tag: str) -> str:
    """Return the <text> of a child element (<name><text>...</text></name>), or ''."""
    child = node.first(tag)
    return child.inner_text() if child is not None else ""


def read_question(question: Node, kind: str, notes: list[str]) -> dict:
    """Return the draft data of one <question> of a supported type; `notes` gets what was read loosely."""
    reader = _READERS.get(kind)
    if reader is None:
        label = _UNSUPPORTED.get(kind, f"question type {kind!r}" if kind else "a question without a type")
        raise Unsupported(f"{label} is not supported")
    fmt = text_format(question.first("questiontext"), "html")
    data = {"stem": field_text(question.first("questiontext"), "html"), **reader(question, fmt, notes)}
    explanation = field_text(question.first("generalfeedback"), fmt)
    if explanation:
        data["explanation"] = explanation
    tags = _tags(question)
    if tags:
        data["tags"] = tags
    grade = question.value("defaultgrade")
    if grade:
        data["points"] = _number(grade, "the default grade")
    return data


def _number(raw: str, what: str) -> float:
    """Return a finite number, or say which value is not one."""
    try:
        number = float(raw.strip())
    except ValueError:
        raise Malformed(f"{what} {raw.strip()[:40]!r} is not a number") from None
    if not math.isfinite(number):
        raise Malformed(f"{what} {raw.strip()[:40]!r} is not a number")
    return number


def _tags(question: Node) -> list[str]:
    """Return the question's tags as our tag slugs, each once."""
    tags = question.first("tags")
    texts = [tag.inner_text().lower() for tag in (tags.every("tag") if tags else [])]
    found = [_TAG_CHARS.sub("-", text).strip("-")[:40].strip("-") for text in texts]
    return list(dict.fromkeys(tag for tag in found if tag))


def _fraction(answer: Node, number: int) -> float:
    """Return an answer's fraction (its grade / 100), refusing a grade Moodle has no option for."""
    raw = answer.attrs.get("fraction", "0")
    percent = _number(raw, f"the grade of answer {number}")
    fraction = percent / 100
    if not any(abs(abs(fraction) - grade) < 0.00001 for grade in (0, *GRADES)):
        raise Malformed(
            f"answer {number} has grade {raw.strip()}%, which is not one of Moodle's grades "
            "(100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571, "
            "12.5, 11.11111, 10, 5 or 0, or minus one of them)"
        )
    return fraction


def _choices(question: Node, fmt: str) -> list[tuple[dict, float]]:
    """Return the non-empty answers as (choice data, fraction), checking every grade first."""
    answers = question.every("answer")
    fractions = [_fraction(answer, n) for n, answer in enumerate(answers, start=1)]
    choices = []
    for answer, fraction in zip(answers, fractions, strict=True):
        text = field_text(answer, fmt)
        if not text:
            continue  # Moodle drops an empty answer
        choice = {"text": text}
        feedback = field_text(answer.first("feedback"), fmt)
        if feedback:
            choice["feedback"] = feedback
        choices.append((choice, fraction))
    return choices


def _yes(raw: str) -> bool:
    """Read a Moodle boolean as trans_single does: 'false', '0' and empty are false."""
    return raw.strip() not in ("false", "0", "")


def _multichoice(question: Node, fmt: str, notes: list[str]) -> dict:
    """Read a single- or multiple-answer multichoice question, its grades as weights unless they are our default."""
    single = _yes(question.value("single", "true"))
    choices = _choices(question, fmt)
    fractions = [fraction for _, fraction in choices]
    if single:
        full = sum(1 for fraction in fractions if fraction > 0.99999)
        if full == 0:
            raise Malformed("no answer has grade 100%: one answer must give full credit")
        if full > 1:
            raise Unsupported(f"{full} answers with grade 100% in a single-answer question (Moodle credits each)")
        marked = [{**choice, "correct": fraction > 0.99999} for choice, fraction in choices]
        plain = all(fraction > 0.99999 or fraction == 0 for fraction in fractions)
    else:
        total = sum(fraction for fraction in fractions if fraction > 0)
        if round(total, 2) != 1:
            raise Malformed(f"the positive grades add up to {round(total * 100, 5):g}%, not 100%")
        marked = [{**choice, "correct": fraction > 0} for choice, fraction in choices]
        share = 1 / sum(1 for fraction in fractions if fraction > 0)
        plain = all(abs(abs(fraction) - share) < 0.00001 for fraction in fractions)  # our partial scoring
    if not plain:  # Moodle's fractions kept as weights (percent), graded as Moodle grades them
        marked = [{**choice, "weight": round(f * 100, 5)} for choice, f in zip(marked, fractions, strict=True)]
    kind = "single" if single else "multiple"
    return {"type": kind, "choices": marked, "shuffle": _yes(question.value("shuffleanswers", "false"))}


def _truefalse(question: Node, fmt: str, notes: list[str]) -> dict:
    """Read a true/false question: the key from the answers' grades, the wrong answer's feedback."""
    answer, feedback = None, {}
    for position, node in enumerate(question.every("answer")):
        text = node.inner_text()
        says = text == "true" if text in ("true", "false") else position == 0  # old files: true first
        full = abs(_number(node.attrs.get("fraction", "0"), "the grade of an answer") - 100) < 0.00001
        answer = says if full else not says
        feedback[says] = field_text(node.first("feedback"), fmt)
    if answer is None:
        raise Malformed("a true/false question needs its true and false answers")
    data = {"type": "true_false", "answer": answer}
    for name, text in (("feedback", feedback.get(not answer)), ("right_feedback", feedback.get(answer))):
        if text:
            data[name] = text
    return data


def _numerical(question: Node, fmt: str, notes: list[str]) -> dict:
    """Read a numerical question: the first 100% answer is the key, the others partial ranges; the base unit."""
    key, ranges, texts = None, [], {"feedback": "", "right_feedback": ""}
    for number, node in enumerate(question.every("answer"), start=1):
        value, feedback = node.inner_text(), field_text(node.first("feedback"), fmt)
        if value == "*":
            texts["feedback"] = texts["feedback"] or feedback
            continue
        credit = round(_fraction(node, number) * 100, 5)  # Moodle checks a numerical answer's grade too
        tolerance = abs(_number(node.value("tolerance", "0") or "0", f"the tolerance of answer {number}"))
        interval = {"value": _number(value, f"answer {number}"), "tolerance": tolerance}
        if key is None and credit == 100:
            key, texts["right_feedback"] = interval, feedback
        elif credit or feedback:  # a 0% number with feedback is a known wrong answer, worth keeping
            ranges.append({**interval, "credit": credit, **({"feedback": feedback} if feedback else {})})
    if key is None:
        raise Malformed("no answer has grade 100%: one number must give full credit")
    units = question.first("units")
    base = [u.value("unit_name") for u in (units.every("unit") if units else []) if _is_one(u.value("multiplier", "1"))]
    if base and base[0]:
        key["unit"] = base[0]
    if ranges:
        key["partial"] = ranges
    return {"type": "numeric", "answer": key, **{name: text for name, text in texts.items() if text}}


def _is_one(raw: str) -> bool:
    """Whether a unit multiplier is 1."""
    try:
        return float(raw) == 1
    except ValueError:
        return False


def _ordering(question: Node, fmt: str, notes: list[str]) -> dict:
    """Read a qtype_ordering question: its items in the file's order, and its grading as our scoring."""
    items = []
    for answer in question.every("answer"):
        text = field_text(answer, fmt)
        if text:
            feedback = field_text(answer.first("feedback"), fmt)
            items.append({"text": text, **({"feedback": feedback} if feedback else {})})
    select = question.value("selecttype", "RANDOM").upper() or "RANDOM"
    count = question.value("selectcount", "0")
    if select not in ("ALL", "EXACT") and count.isdigit() and 0 < int(count) < len(items):
        raise Unsupported(f"an ordering question showing {count} of its {len(items)} items is not supported")
    grading = question.value("gradingtype", "RELATIVE").upper()
    if grading not in ("ALL_OR_NOTHING", "ABSOLUTE_POSITION", "ABSOLUTE", "ABS"):
        notes.append(f"ordering grading {grading or 'RELATIVE'} is read as credit for each item in its place")
    partial = {} if grading == "ALL_OR_NOTHING" else {"scoring": "partial"}  # all or nothing is our default
    return {"type": "ordering", "choices": items, **partial}


_READERS = {"multichoice": _multichoice, "truefalse": _truefalse, "numerical": _numerical, "ordering": _ordering}
