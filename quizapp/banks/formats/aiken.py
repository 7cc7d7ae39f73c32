"""Aiken format reader, following Moodle's qformat_aiken (same line rules and error wording).

A question is one line of text, then its options as lines ``A) text`` or ``A. text`` (the
space is optional), then ``ANSWER: X``. Lines shorter than 2 characters are ignored. Text is
plain: it is escaped to Markdown, so ``<b> &`` stays literal text.

Beyond Moodle: a question still open at the end of the file is reported (Moodle drops it
silently), an ANSWER letter that names no option is an error, the letter may be lowercase, and
``Answer:`` in any case is read as ``ANSWER:`` with a note naming its lines (Moodle would take it
for the start of a new question).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from quizapp.banks.formats.drafts import ParseResult, ResultBuilder
from quizapp.banks.formats.textconv import escape_markdown

_OPTION = re.compile(r"^[A-Z][).][ \t]?")
_ANSWER = re.compile(r"(?i)^answer:")
STANDARD_ANSWER = "ANSWER:"
MAX_NOTED_LINES = 10
_NEWLINE = re.compile(r"\r\n?|\n")

NOT_STARTED = "Question not started"
TOO_FEW = "Question must have at least 2 answers"
NOT_COMPLETED = "Question not completed before next question start"
NOT_COMPLETED_AT_END = "Question not completed before end of file"


@dataclass
class _Open:
    """The question being read: its first line, text and options so far."""

    line: int
    stem: str
    options: list[str] = field(default_factory=list)


class _AikenReader:
    """Line-by-line state machine; feed every line, then call finish()."""

    def __init__(self) -> None:
        """Start outside any question."""
        self.out = ResultBuilder()
        self.current: _Open | None = None
        self.lenient: list[int] = []  # lines whose `Answer:` is not written as the standard's `ANSWER:`

    def feed(self, number: int, line: str) -> None:
        """Handle one stripped source line."""
        if len(line) < 2:
            return
        if _OPTION.match(line):
            self._option(number, line[2:].strip())
        elif _ANSWER.match(line):
            if not line.startswith(STANDARD_ANSWER):
                self.lenient.append(number)
            self._answer(number, line.partition(":")[2].strip())
        else:
            self._start(number, line)

    def _option(self, number: int, text: str) -> None:
        """Add an option to the open question."""
        if self.current is None:
            self.out.error(number, NOT_STARTED)
            return
        self.current.options.append(text)

    def _answer(self, number: int, letter: str) -> None:
        """Close the open question with its correct option."""
        question, self.current = self.current, None
        if question is None:
            self.out.error(number, NOT_STARTED)
        elif len(question.options) < 2:
            self.out.error(number, TOO_FEW)
        else:
            self._finish_question(number, question, letter[:1].upper())

    def _finish_question(self, number: int, question: _Open, letter: str) -> None:
        """Turn a complete question into a draft, or report a letter naming no option."""
        index = ord(letter) - ord("A") if letter else -1
        if not 0 <= index < len(question.options):
            last = chr(ord("A") + len(question.options) - 1)
            self.out.error(number, f"ANSWER must be one of the option letters A to {last}")
            return
        choices = [{"text": escape_markdown(text), "correct": i == index} for i, text in enumerate(question.options)]
        data = {"type": "single", "stem": escape_markdown(question.stem), "choices": choices}
        self.out.draft(question.line, data)

    def _start(self, number: int, line: str) -> None:
        """Open a new question, reporting one left unfinished."""
        if self.current is not None:
            self.out.error(number, NOT_COMPLETED)
        self.current = _Open(line=number, stem=line)

    def _lenient_note(self) -> str:
        """Name the lines whose answer was not written `ANSWER:` (the first few) and say what Moodle would do."""
        more = ", ..." if len(self.lenient) > MAX_NOTED_LINES else ""
        lines = ", ".join(map(str, self.lenient[:MAX_NOTED_LINES])) + more
        return (
            f"{'line' if len(self.lenient) == 1 else 'lines'} {lines}: 'Answer:' was read as 'ANSWER:'; the Aiken "
            "standard writes it in capitals (Moodle would refuse these questions)"
        )

    def finish(self) -> ParseResult:
        """Report a question left open at the end and return the result."""
        if self.current is not None:
            self.out.error(self.current.line, NOT_COMPLETED_AT_END)
            self.current = None
        if self.lenient:
            self.out.note(self._lenient_note())
        return self.out.result


def parse_aiken(text: str) -> ParseResult:
    """Parse Aiken text into single-choice drafts, with Moodle's line-numbered errors."""
    reader = _AikenReader()
    lines = _NEWLINE.split(text.removeprefix("\ufeff"))
    for number, line in enumerate(lines, start=1):
        reader.feed(number, line.strip())
    return reader.finish()
