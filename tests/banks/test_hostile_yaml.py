"""Hostile YAML bank files (issue 15 items 2, 3, 7): refused with a located message, never a crash or a hang."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from quizapp.banks.formats import yamlfile, yamlsafe
from quizapp.banks.formats.file_errors import MAX_ERRORS, BankFileError

GOOD = (Path(__file__).resolve().parents[1] / "data" / "demo-bank.yaml").read_text()
HEAD = "format: quizapp-bank/1\nbank: up\ntitle: Upload\ntopic: cpr\nlevel: lay\nquestions:\n"
NUMERIC = "  - {key: q%d, type: numeric, stem: s, answer: {value: %s, tolerance: %s}}\n"


def errors_of(text: str) -> list[str]:
    """Parse a file expected to be refused and return its errors as `file:line: ...` strings."""
    with pytest.raises(BankFileError) as info:
        yamlfile.parse(text, "up.yaml")
    return [str(e) for e in info.value.errors]


# ---------------------------------------------------------------- item 2: depth, aliases, numbers


def parse_in_child(text: str) -> subprocess.CompletedProcess:
    """Parse `text` in a child interpreter, so that a C-stack overflow (SIGSEGV) fails this test, not the run."""
    code = textwrap.dedent("""
        import sys
        from quizapp.banks.formats import yamlfile
        from quizapp.banks.formats.file_errors import BankFileError
        try:
            yamlfile.parse(sys.stdin.read(), "up.yaml")
        except BankFileError as exc:
            print(exc)
    """)
    root = Path(__file__).resolve().parents[2]
    return subprocess.run(  # noqa: S603 - this interpreter, fixed code; the YAML goes to its stdin
        [sys.executable, "-c", code], input=text, capture_output=True, text=True, cwd=root,
        timeout=120, check=False,
    )


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (HEAD + "  - q: " + "[" * 30_000, 7),  # SIGSEGV in PyYAML's C composer before
        (HEAD + "  - q: " + "{a: " * 30_000, 7),
        ("- " * 30_000 + "x", 1),
        ("a:\n  " + "- " * 30_000 + "x", 2),
    ],
    ids=["flow-sequences", "flow-mappings", "block-sequences", "block-in-mapping"],
)
def test_deep_nesting_is_refused_with_its_line_not_a_crash(text, line):
    child = parse_in_child(text)
    assert child.returncode == 0, (child.returncode, child.stderr[-500:])
    assert child.stdout.startswith(f"up.yaml:{line}: the YAML is nested more than 32 levels deep")


def test_nesting_up_to_the_limit_is_read():
    depth = yamlsafe.MAX_DEPTH
    assert errors_of("[" * depth + "]" * depth) == ["up.yaml: expected a mapping with a `format:` key at the top"]
    assert "nested more than 32" in errors_of("[" * (depth + 1) + "]" * (depth + 1))[0]


def test_aliases_may_share_text():
    text = GOOD.replace("    feedback: Right.\n", "    feedback: &why Compressions first.\n", 1)
    text = text.replace("    feedback: One breath every 6 seconds.\n", "    feedback: *why\n")
    assert yamlfile.parse(text, "up.yaml").questions[-1].feedback == "Compressions first."


@pytest.mark.parametrize(
    ("body", "message"),
    [
        # billion laughs: 9 levels of 10 aliases each stand for 10^9 strings
        ("  - &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
         + "".join(f"  - &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 10)), "expand this file by"),
        # one long string pasted into 20,000 questions by alias
        ("  - &big " + "x" * 20_000 + "\n"
         + "".join(f"  - {{key: q{i}, type: true_false, stem: *big, answer: true}}\n" for i in range(2000)),
         "expand this file by"),
        # merge keys that double at each level (25 s before) and a long merge chain (quadratic copying)
        ("  - &m0 {x: 1}\n" + "".join(f"  - &m{i} {{<<: [*m{i - 1}, *m{i - 1}]}}\n" for i in range(1, 25)),
         "an alias nests the YAML"),
        ("  - &m0 {x: 1}\n" + "".join(f"  - &m{i} {{<<: *m{i - 1}, y{i}: 1}}\n" for i in range(1, 3000)),
         "an alias nests the YAML"),
        ("  - &self [*self]\n", "the alias *self is used inside its own anchor &self"),
    ],
    ids=["billion-laughs", "pasted-string", "merge-doubling", "merge-chain", "recursive"],
)
def test_alias_bombs_are_refused_before_anything_is_built(body, message):
    errors = errors_of(HEAD + body)
    assert len(errors) == 1 and message in errors[0] and errors[0].startswith("up.yaml:")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1" * 5000, "a number may have at most 100 characters"),  # int(): ValueError past 4,300 digits
        ("1" + ":1" * 50_000, "a number may have at most 100 characters"),  # base 60: quadratic big-int work
        ("0000-01-01", "cannot read this value (year 0 is out of range)"),
        ("2026-13-01", "cannot read this value (month must be in 1..12)"),
    ],
)
def test_values_python_cannot_read_are_located_errors(value, message):
    assert errors_of(HEAD + f"  - key: {value}\n") == [f"up.yaml:7: not valid YAML: {message}"]


# ---------------------------------------------------------------- item 3: many errors


def aliased_invalid(count: int) -> str:
    """Return a bank of `count` aliases to one numeric question whose value is not a number."""
    return HEAD + "  - &q {key: bad, type: numeric, stem: s, answer: {value: x}}\n" + "  - *q\n" * count


def test_errors_are_capped_with_a_count_of_the_rest():
    errors = errors_of(aliased_invalid(8000))
    assert len(errors) == MAX_ERRORS + 1
    assert errors[0] == "up.yaml:7: bad: answer: Input should be a valid boolean"
    assert errors[-1] == f"up.yaml: and {8001 - MAX_ERRORS} more errors"


def test_error_grouping_grows_linearly():
    def cpu(count: int) -> float:
        text = aliased_invalid(count)
        start = time.process_time()
        errors_of(text)
        return time.process_time() - start

    small, large = min(cpu(800) for _ in range(3)), min(cpu(8000) for _ in range(3))
    assert large / small < 30  # 10x the errors; the old pairwise grouping took about 100x (31 s at 8,000)


# ---------------------------------------------------------------- item 7: non-finite numbers


@pytest.mark.parametrize(
    ("value", "tolerance", "message"),
    [
        (".nan", "0", "answer.value: Input should be a finite number"),
        ("6", ".inf", "answer.tolerance: Input should be a finite number"),
        ("-.inf", "0", "answer.value: Input should be a finite number"),
        ("1.0e308", "1.0e308", "answer: value plus or minus tolerance must stay a finite number"),
    ],
)
def test_non_finite_numeric_answers_are_refused(value, tolerance, message):
    assert errors_of(HEAD + NUMERIC % (1, value, tolerance)) == [f"up.yaml:7: q1: {message}"]


def test_an_infinite_range_is_refused():
    text = HEAD + "  - {key: q1, type: numeric, stem: s, answer: {min: -.inf, max: .inf}}\n"
    assert errors_of(text) == [
        "up.yaml:7: q1: answer.min: Input should be a finite number",
        "up.yaml:7: q1: answer.max: Input should be a finite number",
    ]


def test_non_finite_points_are_refused():
    text = GOOD.replace("    answer: {value: 6, tolerance: 0, unit: seconds}\n",
                        "    answer: {value: 6, tolerance: 0, unit: seconds}\n    points: .nan\n")
    assert any("points: Input should be a finite number" in e for e in errors_of(text))
