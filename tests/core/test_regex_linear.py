"""Every regular expression in quizapp runs in linear time: a structural check of each, and timing ratios."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import time
from pathlib import Path

import pytest

import quizapp
from quizapp.banks.formats import aiken, drafts, gift, textconv
from quizapp.banks.formats.moodlexml.reader import parse_moodle_xml
from tests.core.regex_shape import problems

PACKAGE = Path(quizapp.__file__).parent
CALLS = {"match", "fullmatch", "search", "sub", "subn", "split", "findall", "finditer"}


def module_patterns() -> list[tuple[str, re.Pattern]]:
    """Return every compiled pattern held at module level anywhere in quizapp."""
    found = []
    for info in pkgutil.walk_packages(quizapp.__path__, "quizapp."):
        if ".migrations" in info.name:
            continue
        module = importlib.import_module(info.name)
        found += [(f"{info.name}.{n}", v) for n, v in vars(module).items() if isinstance(v, re.Pattern)]
    return found


def inline_patterns() -> tuple[list[tuple[str, re.Pattern]], list[str]]:
    """Return the literal patterns passed to re.match, re.sub... (compile() is above), and where one is built."""
    found, built = [], []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in CALLS
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "re"
                and node.args
            ):
                where = f"{path.relative_to(PACKAGE)}:{node.lineno}"
                if isinstance(node.args[0], ast.Constant):
                    found.append((where, re.compile(node.args[0].value)))
                else:
                    built.append(where)
    return found, built


INLINE, BUILT = inline_patterns()
ALL_PATTERNS = module_patterns() + INLINE


def test_no_pattern_is_built_at_run_time():
    assert BUILT == []  # a pattern built from input or arguments cannot be checked here


def test_every_pattern_is_found():
    names = [name for name, _ in ALL_PATTERNS]
    assert "quizapp.banks.formats.gift.answers._NUMBER" in names and len(names) > 25


@pytest.mark.parametrize(("name", "pattern"), ALL_PATTERNS, ids=[n for n, _ in ALL_PATTERNS])
def test_pattern_has_no_superlinear_shape(name, pattern):
    assert problems(pattern) == [], pattern.pattern


@pytest.mark.parametrize(
    ("pattern", "shape"),
    [
        (r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$", "share a run"),  # the old GIFT number
        (r"(a+)+$", "inside another"),
        (r" *\n *", "rescans"),  # the old html_to_markdown line trim
        (r"a[a-z]*b", "rescans"),
    ],
)
def test_the_check_finds_known_bad_shapes(pattern, shape):
    assert any(shape in p for p in problems(re.compile(pattern)))


def cpu(fn, arg, loops: int) -> float:
    """Return the CPU time of `loops` calls of fn(arg)."""
    start = time.process_time()
    for _ in range(loops):
        fn(arg)
    return time.process_time() - start


def growth(fn, make, small: int) -> float:
    """Return how much longer fn takes on an input 10 times larger (best of 3 CPU times, this process only)."""
    short, long = make(small), make(small * 10)
    # A linear parser gives about 10, a quadratic one about 100; the loop count makes the small run last at
    # least 10 ms so that timer resolution and noise do not decide.
    loops = 1
    while cpu(fn, short, loops) < 0.01:
        loops *= 2
    return min(cpu(fn, long, loops) for _ in range(3)) / min(cpu(fn, short, loops) for _ in range(3))


ADVERSARIAL = {
    # issue 15 item 4: `{#` + 40,000 digits + `x}` took 23 s
    "gift number digits": (gift.parse_gift, lambda n: "Q {#" + "1" * n + "x}\n", 4_000),
    "gift number with a fraction": (gift.parse_gift, lambda n: "Q {#1." + "1" * n + "e}\n", 4_000),
    "gift weight digits": (gift.parse_gift, lambda n: "Q {~%" + "1" * n + "x ~b}\n", 4_000),
    "gift stray tildes": (gift.parse_gift, lambda n: "Q {=a " + "~ " * n + "~" + " " * n + "b}\n", 4_000),
    "gift many answer blocks": (gift.parse_gift, lambda n: "Q " + "{1:MC:=a~b} " * n + "\n", 2_000),
    "gift escapes": (gift.parse_gift, lambda n: "Q " + "\\" * n + "{T}\n", 4_000),
    "html runs of spaces": (textconv.html_to_markdown, lambda n: "<b> " * n + "x", 4_000),
    "markdown heading line": (textconv.escape_markdown, lambda n: "=" * n + "x", 10_000),
    "markdown indented lines": (textconv.escape_markdown, lambda n: "\n" + " " * n + "1." * n, 4_000),
    "html link": (textconv.html_to_markdown, lambda n: '<a href="http:' + "x" * n + ' ">y</a>', 10_000),
    "html unclosed tags": (textconv.html_to_markdown, lambda n: "<a" * n, 4_000),  # html.parser alone: quadratic
    "html unclosed comments": (textconv.html_to_markdown, lambda n: "<!--x>" * n, 4_000),
    "html nested lists": (textconv.html_to_markdown, lambda n: "<ul><li>x" * n, 2_000),
    "aiken long lines": (aiken.parse_aiken, lambda n: "A)" + " " * n + "\nANSWER:" + "A" * n, 10_000),
    "category tag": (drafts.category_tag, lambda n: "$" + "a" * n, 10_000),
    "moodle xml answers": (
        parse_moodle_xml,
        lambda n: _xml_question('<answer fraction="0"><text>a</text></answer>' * n),
        500,
    ),
    "moodle xml children": (parse_moodle_xml, lambda n: _xml_question("<x/>" * n + '<answer fraction="100"/>'), 1_000),
    "moodle xml questions": (
        parse_moodle_xml,
        lambda n: "<quiz>" + '<question type="truefalse"/>' * n + "</quiz>",
        500,
    ),
    "moodle xml image references": (
        parse_moodle_xml,
        lambda n: _xml_question(
            "", "<![CDATA[" + "<img src='@@PLUGINFILE@@/a.png'>" * n + "]]>", '<file name="a.png">iVBO</file>'
        ),
        200,
    ),
}


def _xml_question(body: str, text: str = "Q", files: str = "") -> str:
    """Return a Moodle XML file with one multichoice question."""
    stem = f"<questiontext><text>{text}</text>{files}</questiontext>"
    return f'<quiz><question type="multichoice"><name><text>N</text></name>{stem}{body}</question></quiz>'


@pytest.mark.parametrize("case", list(ADVERSARIAL))
def test_parsers_take_linear_time_on_adversarial_input(case):
    fn, make, small = ADVERSARIAL[case]
    assert growth(fn, make, small) < 30  # 10x the input; quadratic code gives about 100x
