"""GIFT building blocks: escapes, text formats, question type and the answer block of each type.

Texts are handled as Moodle does: escaped control characters are swapped for placeholders
before the structure is split on ``~ = # { } :``, and restored in each finished text.
Placeholders are private-use characters U+F0000..U+F0100; any in the input become U+FFFD.
"""

from __future__ import annotations

import math
import re

from quizapp.banks.formats.textconv import FORMATS, to_markdown

_PLANE = 0xF0000  # placeholders live in the supplementary private use area (U+F0000..U+F0100)
_ESCAPE = re.compile(r"\\([\\:#={}~n])")
_PLACEHOLDER = re.compile("[\U000f0000-\U000f007f]")
_RESERVED = re.compile("[\U000f0000-\U000f0100]")
BLANK = chr(_PLANE + 0x100)  # where a missing-word answer block stood (outside the range above)
BLANK_MARKDOWN = r"\_\_\_\_\_"
CATEGORY = "$CATEGORY:"  # a line that sets the category of the questions after it
_FORMAT = re.compile(r"^\[(" + "|".join(FORMATS) + r")\]")
# Possessive runs (`\d++`): a number never backtracks into its digits, so a 40,000-digit answer is read in linear time.
_WEIGHT = re.compile(r"^%(-?\d++(?:\.\d*+)?)%")
_NUMBER = re.compile(r"^[+-]?+(?:\d++(?:\.\d*+)?|\.\d++)(?:[eE][+-]?+\d++)?$")
# A `~` with only spaces before a `=` (`{~=right ~wrong}`) is an empty answer Moodle drops: it goes before splitting.
_STRAY_TILDE = re.compile(r"~\s*+(?==)")
_BEFORE = {separators: re.compile(f"(?=[{re.escape(separators)}])") for separators in ("~=", "=")}
TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
# Moodle accepts only these grade fractions (question_bank::fraction_options), and their negatives for choices.
FRACTIONS = (1, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3, 0.25, 0.2, 0.1666667,
             0.1428571, 0.125, 0.1111111, 0.1, 0.05)
_GRADE_SLACK = 0.00001  # as Moodle's match_grade_options: a weight this close (as a fraction) is that grade


class GiftError(ValueError):
    """A malformed question; the message is shown with the question's line."""


class GiftUnsupported(ValueError):
    """A well-formed question our banks cannot hold as Moodle would grade it; the message is the skip reason."""


def protect(text: str) -> str:
    """Replace escaped control characters (and \\\\) by placeholders."""
    text = _RESERVED.sub("\ufffd", text)  # real text never uses these; keep placeholders unambiguous
    return _ESCAPE.sub(lambda m: chr(_PLANE + ord(m.group(1))), text)


def restore(text: str) -> str:
    """Turn placeholders back into the characters they stand for (\\n into a newline)."""
    text = text.replace(chr(_PLANE + ord("n")), "\n")
    return _PLACEHOLDER.sub(lambda m: chr(ord(m.group(0)) - _PLANE), text)


def split_format(raw: str, default: str) -> tuple[str, str]:
    """Split a leading [html]/[moodle]/[plain]/[markdown] marker off a trimmed text."""
    raw = raw.strip()
    match = _FORMAT.match(raw)
    if match is None:
        return default, raw
    return match.group(1), raw[match.end() :]


def to_text(raw: str, default: str) -> str:
    """Return a protected GIFT text as our Markdown, honouring its format marker."""
    fmt, raw = split_format(raw, default)
    return to_markdown(restore(raw), fmt).replace(BLANK, BLANK_MARKDOWN)


def classify(answers: str) -> str:
    """Name the question type of an answer block the way Moodle decides it."""
    if answers == "":
        return "essay"
    if answers.startswith("#"):
        return "numerical"
    if "~" in answers:
        return "multichoice"
    if "=" in answers and "->" in answers:
        return "matching"
    if answers.split("#", 1)[0].strip() in TRUE_FALSE:
        return "true_false"
    return "short answer"


def _split_answers(answers: str, separators: str) -> list[str]:
    """Split an answer block before each separator, dropping empty leading text."""
    parts = _BEFORE[separators].split(answers)
    parts = [part.strip() for part in parts]
    return parts[1:] if parts and parts[0] == "" else parts


def _weight(answer: str) -> tuple[float | None, str]:
    """Split a leading %weight% (in percent, one of Moodle's grades) off an answer; None when absent."""
    match = _WEIGHT.match(answer)
    if match is None:
        return None, answer
    weight = float(match.group(1))
    if not math.isfinite(weight):
        raise GiftError(f"Answer weight %{match.group(1)[:20]}...% is not a number")
    for grade in (0, *FRACTIONS):
        if abs(abs(weight) / 100 - grade) < _GRADE_SLACK:
            return math.copysign(round(grade * 100, 5), weight), answer[match.end() :]
    shown = match.group(1) if len(match.group(1)) <= 20 else match.group(1)[:17] + "..."
    raise GiftError(f"Answer weight %{shown}% is not one of Moodle's grades (100, 90, 83.33333, 80, 75, 70, "
                    "66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571, 12.5, 11.11111, 10, 5, 0 "
                    "or their negatives)")


def _comment(answer: str, fmt: str) -> tuple[str, str]:
    """Split 'text#feedback' into Markdown text and feedback."""
    text, _, feedback = answer.partition("#")
    return to_text(text, fmt), to_text(feedback, fmt)


def choice_data(answers: str, fmt: str) -> dict:
    """Return single (a '=' answer is present) or multiple (weights only) data (a stray '~' before '=' dropped)."""
    single = "=" in answers
    answers = _STRAY_TILDE.sub("", answers)
    parts = [part.removeprefix("~") for part in _split_answers(answers, "~=")]
    if len(parts) < 2:
        raise GiftError("Question must have at least 2 answers")
    if sum(part.startswith("=") for part in parts) > 1:
        raise GiftUnsupported(
            "several '=' answers in a choice question are not supported (Moodle gives each full credit)"
        )
    read = [_choice(part, fmt) for part in parts]
    weights = [weight for _, weight in read]
    keep = not _plain(weights, single)
    choices = []
    for choice, weight in read:
        choice["correct"] = weight == 100 if single else weight > 0
        if keep:
            choice["weight"] = weight
        choices.append(choice)
    return {"type": "single" if single else "multiple", "choices": choices}


def plain_weight(correct: int) -> float:
    """Return the Moodle grade (percent) nearest an equal share of full credit among `correct` choices."""
    return round(min(FRACTIONS, key=lambda grade: abs(grade - 1 / correct)) * 100, 5)


def _plain(weights: list[float], single: bool) -> bool:
    """Whether weights grade as our choices without weights do, so none need keeping.

    Single: 100 for the key and 0 for the rest. Multiple: an equal share for each correct choice and its negative
    for each other one (our partial scoring, which the GIFT writer writes that way).
    """
    if single:
        return all(weight in (0, 100) for weight in weights)
    correct = sum(weight > 0 for weight in weights)
    share = plain_weight(correct) if correct else 0
    return all(weight in (share, -share) for weight in weights)


def _choice(part: str, fmt: str) -> tuple[dict, float]:
    """Read one choice and its weight: %w% as written, else 100 after '=' and 0 after '~'."""
    full = part.startswith("=")
    weight, part = _weight(part.removeprefix("="))
    text, feedback = _comment(part, fmt)
    choice = {"text": text}
    if feedback:
        choice["feedback"] = feedback
    return choice, weight if weight is not None else (100.0 if full else 0.0)


def true_false_data(answers: str, fmt: str) -> dict:
    """Return true/false data: '#wrong' becomes the feedback, '#wrong#right' also the right answer's feedback."""
    answer, _, rest = answers.partition("#")
    wrong, _, right = rest.partition("#")
    data = {"type": "true_false", "answer": TRUE_FALSE[answer.strip()]}
    for field, text in (("feedback", to_text(wrong, fmt)), ("right_feedback", to_text(right, fmt))):
        if text:
            data[field] = text
    return data


def numeric_data(answers: str, fmt: str) -> dict:
    """Return numeric data: the first full-credit answer is the key (its #feedback the right answer's feedback),
    the other answers partial ranges with their credit; '~#text' (or a '*' answer) gives the wrong-answer feedback."""
    body, tilde, wrong = answers[1:].partition("~")
    feedback = _comment(wrong, fmt)[1] if tilde else ""
    parts = _split_answers(body, "=")
    if not parts:
        raise GiftError("Numerical question has no answers")
    key, right, partial = None, "", []
    for part in parts:
        weight, part = _weight(part.removeprefix("="))
        number, _, note = part.partition("#")
        number, note = restore(number).strip(), to_text(note, fmt)
        if number == "*":
            feedback = feedback or note
            continue
        answer = _numeric_answer(number)  # every answer must be a number, as in Moodle
        if weight is not None and weight < 0:
            raise GiftError(f"Numerical answer {number[:40]!r} has a negative weight")
        if key is None and (weight is None or weight == 100):
            key, right = answer, note
        else:
            credit = {"credit": 100.0 if weight is None else weight, **({"feedback": note} if note else {})}
            partial.append({**answer, **credit})
    if key is None:
        raise GiftError("Numerical question has no 100% answer")
    if partial:
        key["partial"] = partial
    data = {"type": "numeric", "answer": key}
    for field, text in (("feedback", feedback), ("right_feedback", right)):
        if text:
            data[field] = text
    return data


def _numeric_answer(text: str) -> dict:
    """Parse 'value', 'value:tolerance' or 'min..max' into a NumericAnswer dict."""
    if text.find("..") > 0:
        low, _, high = text.partition("..")
        return {"min": _number(low), "max": _number(high)}
    if text.find(":") > 0:
        value, _, tolerance = text.partition(":")
        value, tolerance = _number(value), _number(tolerance)
        if not math.isfinite(abs(value) + abs(tolerance)):
            raise GiftError("Numerical answer: value plus or minus tolerance is not a finite number")
        return {"value": value, "tolerance": tolerance}
    return {"value": _number(text)}


def _number(text: str) -> float:
    """Parse a finite decimal number or raise GiftError."""
    text = text.strip()
    if not _NUMBER.match(text) or not math.isfinite(float(text)):
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise GiftError(f"Numerical answer {shown!r} is not a number")
    return float(text)
