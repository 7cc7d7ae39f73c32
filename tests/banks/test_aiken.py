"""Aiken reader: own examples, Moodle's fixtures and its line-numbered error messages."""

from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from quizapp.banks.formats.aiken import parse_aiken
from quizapp.banks.formats.drafts import LineError, to_question

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"


def moodle_fixture(name: str) -> str:
    """Return a Moodle fixture's text, skipping when ../shared is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared fixtures not present")
    return (SHARED / "moodle-formats" / name).read_text(encoding="utf-8")


def choices(draft) -> list[tuple[str, bool]]:
    """Return a draft's choices as (text, correct) pairs."""
    return [(c["text"], c["correct"]) for c in draft.data["choices"]]


def test_own_file_reads_single_choice_questions():
    """Both option styles (A. and A)) give single-choice drafts that validate with a key."""
    result = parse_aiken((DATA / "aiken_cpr.txt").read_text(encoding="utf-8"))
    assert (result.skipped, result.errors) == ([], [])
    assert [(d.line, d.title, d.category, d.data["type"]) for d in result.drafts] == [
        (1, None, None, "single"),
        (7, None, None, "single"),
    ]
    assert choices(result.drafts[0]) == [
        ("60 to 80 per minute", False),
        ("100 to 120 per minute", True),
        ("140 to 160 per minute", False),
    ]
    question = to_question(result.drafts[0], "cpr-001")
    assert (question.key, question.stem) == ("cpr-001", "What is the compression rate for an adult?")


def test_markup_in_text_stays_text():
    """Raw HTML and & are escaped, so the Markdown renderer shows them literally."""
    draft = parse_aiken((DATA / "aiken_cpr.txt").read_text(encoding="utf-8")).drafts[1]
    assert draft.data["stem"] == 'A "good" seal uses the \\<b\\>E-C\\</b\\> clamp \\& two hands:'
    rendered = MarkdownIt("commonmark").render(draft.data["stem"])
    assert rendered == "<p>A &quot;good&quot; seal uses the &lt;b&gt;E-C&lt;/b&gt; clamp &amp; two hands:</p>\n"


def test_own_errors():
    """A letter naming no option, an early option, a schema failure and an unfinished question."""
    result = parse_aiken((DATA / "aiken_errors_own.txt").read_text(encoding="utf-8"))
    assert result.drafts == []
    assert result.errors == [
        LineError(4, "ANSWER must be one of the option letters A to B"),
        LineError(6, "Question not started"),
        LineError(8, "choices must not repeat"),
        LineError(13, "Question not completed before end of file"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Q?\nA) yes\nB) no\nANSWER: B", [("yes", False), ("no", True)]),
        ("Q?\nA.yes\nB.no\nANSWER: a", [("yes", True), ("no", False)]),  # no space, lowercase letter
        ("\ufeffQ?\r\n\r\nA) *yes*\r\nB) no\r\nANSWER:A", [("\\*yes\\*", True), ("no", False)]),
        ("x\nQ?\nA) yes\nB) no\nANSWER: A", None),  # one-character lines are ignored
    ],
)
def test_small_inputs(text, expected):
    """Option styles, BOM, CRLF, blank and one-character lines are read as Moodle reads them."""
    result = parse_aiken(text)
    assert result.errors == []
    assert choices(result.drafts[0]) == (expected or [("yes", True), ("no", False)])


def test_line_numbers_count_crlf_once():
    """Errors point at the right line whatever the line endings."""
    result = parse_aiken("First\r\nA) a\r\nB) b\r\n\r\nSecond\r\nANSWER: A\r\n")
    assert result.errors == [
        LineError(5, "Question not completed before next question start"),
        LineError(6, "Question must have at least 2 answers"),
    ]


def test_moodle_errors_fixture():
    """Moodle imports 3 questions and reports exactly these 4 errors and lines."""
    result = parse_aiken(moodle_fixture("aiken_errors.txt"))
    assert result.errors == [
        LineError(3, "Question must have at least 2 answers"),
        LineError(5, "Question not started"),
        LineError(7, "Question not started"),
        LineError(18, "Question not completed before next question start"),
    ]
    first = result.errors[0]
    assert f"{first.message} on line {first.line}" == "Question must have at least 2 answers on line 3"
    assert [d.data["stem"] for d in result.drafts] == [
        "A good question",
        "A second good question",
        "A third good question with HTML chars such as \\> \\< \\&",
    ]
    assert choices(result.drafts[0]) == [("Correct", True), ("Incorrect", False)]
    assert choices(result.drafts[1]) == [("Incorrect (No space)", False), ("Correct (No space)", True)]
    assert choices(result.drafts[2]) == [("Correct (\\< \\> \\&)", True), ("Incorrect (\\< \\> \\&)", False)]


def test_moodle_questions_fixture():
    """Moodle imports 2 questions; the raw <html class="cool"> & stays text."""
    result = parse_aiken(moodle_fixture("aiken_questions.aiken.txt"))
    assert (result.skipped, result.errors) == ([], [])
    assert [d.line for d in result.drafts] == [1, 8]
    assert choices(result.drafts[0]) == [
        ("Petr Skoda", False),
        ("Martin Dougiamas", True),
        ("Eloy Lafuente", False),
        ("Tim Hunt", False),
    ]
    stem = result.drafts[1].data["stem"]
    assert stem == 'Moodle\'s abilities include handling user input that includes \\<html class="cool"\\> \\& images:'
    assert "&lt;html class=&quot;cool&quot;&gt; &amp; images:" in MarkdownIt("commonmark").render(stem)
