"""Reading GIFT (into drafts).

Reading follows Moodle's qformat_gift: questions are separated by blank lines, ``//`` lines
are comments, ``$CATEGORY: path`` applies to the questions after it, ``::title::`` names a
question, and the type is decided from the ``{...}`` answer block as Moodle decides it.

Decisions where our banks differ from Moodle:

- Missing word: text after the answer block makes the block a blank, stored as ``_____``
  (Markdown-escaped) in the stem, whatever the type (Moodle does the same).
- A ``~`` with only spaces before a ``=`` (``{~=right~wrong}``) is an empty answer, dropped as Moodle does.
- Multiple choice with a ``=`` answer is ``single`` (the 100% answer is correct), without it
  ``multiple`` (every answer with a positive weight is correct). Weights (``~%50%``, ``=%100%``,
  ``~%-50%``) must be Moodle's grades and are kept as each choice's ``weight``, unless they grade
  exactly as our plain choices do (100/0 in single; an equal share and its negative in multiple,
  as the writer writes our partial scoring), when they are left out.
- True/false ``{T#wrong#right}``: the wrong-answer feedback becomes ``feedback``, the right one
  ``right_feedback``.
- Numerical: the first full-credit answer is the key (``value:tolerance`` or ``min..max``), its
  feedback ``right_feedback``; the other answers (``=%50%1822:2``) become ``partial`` ranges with
  their credit and feedback; ``~#text`` or a ``*`` answer gives ``feedback``.
- Text formats: ``[markdown]`` is kept; ``[plain]`` is escaped; ``[html]`` and ``[moodle]``
  (the default) become Markdown (bold, italic, links, lists, tables, ``<pre>``, images; see
  textconv) around escaped text, so no raw HTML comes in. Inline ``data:`` images are returned
  with the draft (``Draft.images``); one that cannot be imported makes its question an error.
- Essay, matching, short answer and description items, cloze (``{1:MC:...}``), several answer
  blocks in one question and several ``=`` answers in a choice question (Moodle gives each full
  credit) are reported in ``skipped`` with the reason; a title without its closing ``::`` or
  unbalanced braces are errors (Moodle guesses). Drafts are checked
  against the schema, so a question it rejects is a LineError too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from quizapp.banks.formats.drafts import ParseResult, ResultBuilder
from quizapp.banks.formats.gift.answers import (
    BLANK,
    CATEGORY,
    GiftError,
    GiftUnsupported,
    choice_data,
    classify,
    numeric_data,
    protect,
    restore,
    split_format,
    to_text,
    true_false_data,
)

_READERS = {"multichoice": choice_data, "true_false": true_false_data, "numerical": numeric_data}
_NEWLINE = re.compile(r"\r\n?|\n")
_BRACE = re.compile(r"[{}]")
# Moodle's cloze (embedded answers) subquestion types, as in `{1:MC:=a~b}`.
_CLOZE_TYPES = frozenset(
    {
        "MC", "MCV", "MCH", "MCS", "MCVS", "MCHS", "MULTICHOICE", "MULTICHOICE_V", "MULTICHOICE_H", "MULTICHOICE_S",
        "MULTICHOICE_VS", "MULTICHOICE_HS", "MR", "MRH", "MRS", "MRHS", "MULTIRESPONSE", "MULTIRESPONSE_H",
        "MULTIRESPONSE_S", "MULTIRESPONSE_HS", "SA", "SAC", "SHORTANSWER", "SHORTANSWER_C", "NM", "NUMERICAL",
    }
)


def parse_gift(text: str) -> ParseResult:
    """Parse GIFT text into drafts, skipped (unsupported) questions and line-numbered errors."""
    out = ResultBuilder(empty_choice="a stray ~, or an unescaped # or =")
    category = None
    for block in _blocks(text):
        lines = [(number, line) for number, line in block if not line.startswith("//")]
        if lines and lines[0][1].startswith(CATEGORY):
            category = restore(protect(lines[0][1][len(CATEGORY) :])).strip() or None
            lines = lines[1:]
        if lines:
            _read_block(out, lines, category)
    return out.result


def _blocks(text: str) -> Iterator[list[tuple[int, str]]]:
    """Yield the blank-line separated blocks as lists of (line number, stripped line)."""
    block: list[tuple[int, str]] = []
    lines = _NEWLINE.split(text.removeprefix("\ufeff"))
    for number, line in enumerate(lines, start=1):
        if line.strip():
            block.append((number, line.strip()))
        elif block:
            yield block
            block = []
    if block:
        yield block


def _read_block(out: ResultBuilder, lines: list[tuple[int, str]], category: str | None) -> None:
    """Read one question block into a draft, a skip or an error."""
    line = lines[0][0]
    title = None
    try:
        title, text = _split_title(protect("\n".join(text for _, text in lines)))
        data = _read_question(text)
    except GiftError as exc:
        out.error(line, str(exc))
    except GiftUnsupported as exc:
        out.skip(line, title, str(exc))
    else:
        out.draft(line, data, title=title, category=category)


def _read_question(text: str) -> dict:
    """Return the draft data of a protected question text (after its title); GiftUnsupported names what is not."""
    stem, answers = _split_block(text)
    if answers is None:
        raise GiftUnsupported("description is not supported")
    answers, general = _split_general_feedback(answers)
    kind = classify(answers)
    if kind not in _READERS:
        raise GiftUnsupported(f"{kind} is not supported")
    fmt = split_format(stem, "moodle")[0]
    data = {"stem": to_text(stem, "moodle"), **_READERS[kind](answers, fmt)}
    explanation = to_text(general, fmt)
    if explanation:
        data["explanation"] = explanation
    return data


def _split_title(text: str) -> tuple[str | None, str]:
    """Split a leading ::title:: off the question text."""
    if not text.startswith("::"):
        return None, text
    end = text.find("::", 2)
    if end < 0:
        raise GiftError("Question title is not closed with '::'")
    return restore(text[2:end]).strip() or None, text[end + 2 :].strip()


def _split_block(text: str) -> tuple[str, str | None]:
    """Return (stem with a blank where a mid-text block stood, answer block or None if absent)."""
    opens, closes = text.count("{"), text.count("}")
    if opens == closes == 0:
        return text, None
    start, end = text.find("{"), text.find("}")
    if opens == 0 or (closes and end < start):
        raise GiftError("'}' without an opening '{' (write \\} for a literal brace)")
    if closes == 0:
        raise GiftError("'{' is not closed with '}'")
    if opens > 1 or closes > 1:
        _several_blocks(text, opens, closes)
    if _is_cloze(text[start + 1 : end]):
        raise GiftUnsupported("cloze (embedded answers, {1:MC:...}) is not supported")
    after = text[end + 1 :]
    stem = text[:start] + (BLANK + after if after.strip() else "")
    return stem, text[start + 1 : end].strip()


def _several_blocks(text: str, opens: int, closes: int) -> None:
    """Skip a question with several well-formed answer blocks (cloze or not); refuse unbalanced braces."""
    braces = "".join(m.group(0) for m in _BRACE.finditer(text))
    if opens != closes or braces != "{}" * opens:
        raise GiftError("Unbalanced or nested braces: write \\{ and \\} for literal braces")
    if _is_cloze(text[text.find("{") + 1 : text.find("}")]):
        raise GiftUnsupported("cloze (embedded answers, {1:MC:...}) is not supported")
    raise GiftUnsupported(f"{opens} answer blocks in one question are not supported")


def _is_cloze(answers: str) -> bool:
    """Whether an answer block is a Moodle cloze subquestion such as `1:MC:=a~b` or `:SHORTANSWER:=x`."""
    parts = answers.strip().split(":", 2)
    return len(parts) == 3 and (parts[0] == "" or parts[0].isdigit()) and parts[1] in _CLOZE_TYPES


def _split_general_feedback(answers: str) -> tuple[str, str]:
    """Split the general feedback (after the last ####) off an answer block."""
    head, separator, tail = answers.rpartition("####")
    return (head.strip(), tail) if separator else (answers, "")
