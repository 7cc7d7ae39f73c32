"""GIFT reader: own examples, errors with their lines, text formats (Moodle's fixtures: test_moodle_fixtures)."""

import html
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from quizapp.banks.formats.drafts import LineError, to_question
from quizapp.banks.formats.gift import parse_gift
from quizapp.banks.formats.textconv import escape_markdown

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures"
BLANK = r"\_\_\_\_\_"


def moodle_fixture(name: str) -> str:
    """Return a Moodle fixture's text, skipping when ../shared is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared fixtures not present")
    return (SHARED / "moodle-formats" / name).read_text(encoding="utf-8")


def only_draft(text: str) -> dict:
    """Parse text holding one supported question and return its data."""
    result = parse_gift(text)
    assert (len(result.drafts), result.skipped, result.errors) == (1, [], [])
    return result.drafts[0].data


def test_own_bank_reads_supported_types_and_skips_the_rest():
    """Supported types become drafts (line, title, category); the others are skipped with a reason."""
    result = parse_gift((DATA / "gift_cpr.txt").read_text(encoding="utf-8"))
    assert result.errors == []
    assert [(d.line, d.title, d.data["type"]) for d in result.drafts] == [
        (4, "rate", "single"),
        (11, "roles", "multiple"),
        (18, "pause", "true_false"),
        (20, "interval", "numeric"),
        (22, "depth", "numeric"),
        (25, "ratio", "single"),
        (30, "html", "single"),
        (35, None, "single"),
    ]
    assert {d.category for d in result.drafts} == {"$course$/CPR/Team CPR"}
    assert [to_question(d, f"cpr-{i:03}").key for i, d in enumerate(result.drafts)][-1] == "cpr-007"
    assert [(s.line, s.title, s.reason) for s in result.skipped] == [
        (37, "essay", "essay is not supported"),
        (39, "match", "matching is not supported"),
        (41, "short", "short answer is not supported"),
        (43, "intro", "description is not supported"),
    ]


def test_own_bank_values():
    """Feedback, weights, general feedback, numeric forms, escapes, formats and blanks."""
    d = {draft.title: draft.data for draft in parse_gift((DATA / "gift_cpr.txt").read_text()).drafts}
    assert d["rate"]["stem"] == "What is the **compression rate** for an adult?"
    assert d["rate"]["choices"][0] == {"text": "100 to 120 per minute", "correct": True, "feedback": "Right."}
    assert d["rate"]["explanation"] == "Push hard and fast: 100 to 120 compressions per minute."
    assert [c["correct"] for c in d["roles"]["choices"]] == [True, True, False]
    assert d["pause"] == {
        "type": "true_false",
        "answer": False,
        "feedback": "They continue without pausing.",
        "right_feedback": "Right.",
        "stem": "Compressions pause for each breath once an advanced airway is in place.",
        "explanation": "Give 1 breath every 6 seconds.",
    }
    assert (d["interval"]["answer"], d["interval"]["feedback"]) == ({"value": 6, "tolerance": 0}, "Every 6 seconds.")
    assert d["depth"]["answer"] == {"min": 5, "max": 6}
    assert d["ratio"]["stem"] == "The ratio 30:2 uses {compressions} = 30 and breaths = 2."
    assert [c["text"] for c in d["ratio"]["choices"]] == [r"\*30\* to 2 # per cycle", "15:2"]
    assert d["html"]["stem"] == r"Check **breathing** \& pulse for"
    assert d[None]["stem"] == f"Give rescue breaths at {BLANK} breaths per minute for a child with a pulse."


def test_errors_carry_line_numbers_and_later_questions_still_import():
    """Malformed questions are errors at their first line; the rest of the file is read."""
    result = parse_gift((DATA / "gift_errors.txt").read_text(encoding="utf-8"))
    assert result.errors == [
        LineError(1, "'{' is not closed with '}'"),
        LineError(3, "'}' without an opening '{' (write \\} for a literal brace)"),
        LineError(7, "Question must have at least 2 answers"),
        LineError(9, "Numerical answer 'lots' is not a number"),
        LineError(11, "Numerical question has no answers"),
        LineError(13, "Question title is not closed with '::'"),
    ]
    assert [(s.line, s.title) for s in result.skipped] == [(5, "two"), (15, "double")]
    assert [(d.line, d.title) for d in result.drafts] == [(17, "good")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Q{T}", ("true_false", True)),
        ("Q{TRUE}", ("true_false", True)),
        ("Q{F}", ("true_false", False)),
        ("Q{FALSE#wrong}", ("true_false", False)),
        ("Q{=a ~b}", ("single", [True, False])),
        ("Q{=a ~%50%b ~c}", ("single", [True, False, False])),  # partial credit: not correct
        ("Q{~%100%a ~b}", ("multiple", [True, False])),
        ("Q{~%30%a ~%70%b ~%-100%c}", ("multiple", [True, True, False])),  # weights kept as correct
        ("Q{#1..5}", ("numeric", {"min": 1, "max": 5})),
        ("Q{#2}", ("numeric", {"value": 2})),
        (
            "Q{#=%50%1822:2 =1822:0 =%0%*#Not even close}",
            ("numeric", {"value": 1822, "tolerance": 0, "partial": [{"value": 1822, "tolerance": 2, "credit": 50}]}),
        ),
    ],
)
def test_question_types(text, expected):
    """The answer block decides the type, as in Moodle."""
    data = only_draft(text)
    key = [c["correct"] for c in data["choices"]] if "choices" in data else data["answer"]
    assert (data["type"], key) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Q{}", "essay"),
        ("Q{####only general feedback}", "essay"),
        ("Q{=a -> b =c -> d}", "matching"),
        ("Q{=a =b}", "short answer"),
        ("Q{=only}", "short answer"),
        ("Q{true}", "short answer"),
        ("Just text.", "description"),
    ],
)
def test_unsupported_types_are_skipped(text, reason):
    """Unsupported questions are reported by type, with no draft and no error."""
    result = parse_gift(f"// header\n::t::{text}")
    assert (result.drafts, result.errors) == ([], [])
    assert [(s.line, s.title, s.reason) for s in result.skipped] == [(2, "t", f"{reason} is not supported")]


@pytest.mark.parametrize(
    ("text", "choices"),
    [
        ("Q{~=right ~wrong}", [("right", True), ("wrong", False)]),
        ("Q{~wrong ~ =right}", [("wrong", False), ("right", True)]),
        ("Q{=right ~~wrong}", None),  # an empty answer not before '=' stays an error
        (r"Q{=right ~a\=b}", [("right", True), ("a=b", False)]),  # an escaped '=' is text
    ],
)
def test_a_stray_tilde_before_equals_is_dropped_as_moodle_does(text, choices):
    """`{~=right~wrong}`: the empty answer between '~' and '=' is dropped, as Moodle drops empty answers."""
    result = parse_gift(text)
    if choices is None:
        assert result.drafts == [] and len(result.errors) == 1
        return
    data = result.drafts[0].data
    assert [(c["text"], c["correct"]) for c in data["choices"]] == choices


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Q {1:MC:=a~b} and {1:SA:=x}", "cloze (embedded answers, {1:MC:...}) is not supported"),
        ("Q {:MULTICHOICE_V:=a~b}", "cloze (embedded answers, {1:MC:...}) is not supported"),
        ("Q {=a ~b} then {=c ~d} and {T}", "3 answer blocks in one question are not supported"),
        (
            "Q {=a =b ~c}",
            "several '=' answers in a choice question are not supported (Moodle gives each full credit)",
        ),
    ],
)
def test_cloze_several_blocks_and_several_full_credit_answers_are_skipped(text, reason):
    """What Moodle grades in a way our banks cannot is skipped with its reason, not an error."""
    result = parse_gift(f"::t::{text}\n\nNext {{T}}")
    assert [(s.line, s.title, s.reason) for s in result.skipped] == [(1, "t", reason)]
    assert result.errors == [] and len(result.drafts) == 1


@pytest.mark.parametrize("text", ["Q {=a { ~b}}", "Q {=a} } {~b", "Q {=a} {{~b}"])
def test_unbalanced_or_nested_braces_are_errors(text):
    """Braces that do not pair up are an error on the question's line, with the escape to use."""
    result = parse_gift(text)
    assert [e.message for e in result.errors] == ["Unbalanced or nested braces: write \\{ and \\} for literal braces"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Q {=a ~}", "choice 2 is empty: a stray ~, or an unescaped # or ="),
        ("Q {=a ~#only feedback}", "choice 2 is empty: a stray ~, or an unescaped # or ="),
        ("{=a ~b}", "the question text is empty"),
        ("Q {#1..0}", "the answer: min must not be greater than max"),
        ("Q {=" + "x" * 20_001 + " ~b}", "choice 1 is longer than 20000 characters"),
        ("Q {~%-50%a ~b}", "a multiple question needs at least 1 correct choice"),
        ("Q {~a ~b}", "a multiple question needs at least 1 correct choice"),
        ("Q {~%50%a ~%30%b ~c}", "the positive weights of a multiple question must add up to 100%, not 80%"),
    ],
)
def test_schema_errors_are_told_in_words(text, message):
    """A draft the schema rejects is reported by choice number and field name, not by schema path."""
    assert parse_gift(text).errors == [LineError(1, message)]


def test_numeric_without_full_credit_answer_is_an_error():
    """A numerical question needs a 100% answer to become our key."""
    assert parse_gift("\n\nQ{#=%50%3}").errors == [LineError(3, "Numerical question has no 100% answer")]


def test_escapes_comments_and_line_numbers():
    """\\n, \\\\ and \\: are restored; comments are ignored; CRLF counts one line."""
    text = "// c1\r\n\r\n// c2\r\n::a\\:b::Line\\none \\\\ two{T}\r\n\r\n\r\nQ2 // not a comment{F}"
    result = parse_gift(text)
    assert [(d.line, d.title) for d in result.drafts] == [(4, "a:b"), (7, None)]
    assert result.drafts[0].data["stem"] == "Line\none \\\\ two"
    assert result.drafts[1].data["stem"] == "Q2 // not a comment"


def test_category_applies_until_the_next_one():
    """$CATEGORY may share a block with a question; an empty one clears it."""
    result = parse_gift("$CATEGORY: a\\:b/c\n::t::Q{T}\n\nQ2{T}\n\n$CATEGORY:\n\nQ3{F}")
    assert [(d.line, d.category) for d in result.drafts] == [(2, "a:b/c"), (4, "a:b/c"), (8, None)]


@pytest.mark.parametrize(
    ("text", "stem"),
    [
        ("[plain]*bold* <b>x</b> & 1{T}", r"\*bold\* \<b\>x\</b\> \& 1"),
        ("[markdown]*bold* text{T}", "*bold* text"),
        ('[html]<a href="javascript:alert(1)">go</a> <img src=x onerror=alert(1) alt="pic">{T}', "go pic"),
        ('[html]<a href="https://aha.org/x_y">AHA</a>{T}', "[AHA](https://aha.org/x_y)"),
        ("<i>x</i> &lt;script&gt; <style>p \\{\\}</style>{T}", r"*x* \<script\>"),
        ("[moodle]<u>a</u>\nb{T}", "*a*\nb"),
        ("[html]<![x]>text &amp; <b>more</b>{T}", r"\<!\[x\]\>text \& **more**"),  # a marked section is text
    ],
)
def test_text_formats_never_let_html_through(text, stem):
    """HTML becomes Markdown around escaped text (no raw HTML, no script); plain is escaped; markdown is kept."""
    assert only_draft(text)["stem"] == stem


def test_missing_word_blank_and_markdown_safety():
    """Text after the block makes a blank; the stored stem renders with only the HTML's own markup."""
    data = only_draft("::t::[html]Grant is <b>{~buried =entombed}</b> in * Grant's tomb.")
    assert data["stem"] == f"Grant is **{BLANK}** in \\* Grant's tomb."
    rendered = MarkdownIt("commonmark").render(data["stem"])
    assert rendered == "<p>Grant is <strong>_____</strong> in * Grant's tomb.</p>\n"


@settings(max_examples=300)
@given(st.text(st.sampled_from(list(" \t\n!\"#&'()*+-.:<=>[\\]_`{|}~aZ09")), max_size=20))
def test_escape_markdown_renders_literally(text):
    """Escaped text renders as exactly that text: no tags, no Markdown effects."""
    rendered = MarkdownIt("commonmark").render(escape_markdown(text))
    assert set(re.findall(r"<[^>]*>", rendered)) <= {"<p>", "</p>", "<br />"}
    shown = html.unescape(re.sub(r"<[^>]*>", " ", rendered))
    assert shown.split() == text.split()
