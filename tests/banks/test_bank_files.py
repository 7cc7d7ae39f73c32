"""Bank and quiz files: valid files load; every kind of invalid file is refused with a located error."""

from pathlib import Path

import pytest

from quizapp.banks.formats import yamlfile
from quizapp.banks.formats.file_errors import BankFileError
from quizapp.banks.formats.yamldump import dump_bank

DATA = Path(__file__).resolve().parents[1] / "data"
GOOD = (DATA / "demo-bank.yaml").read_text()


def errors_of(text: str) -> list:
    """Parse text expected to be invalid and return its errors."""
    with pytest.raises(BankFileError) as info:
        yamlfile.parse(text, "bank.yaml")
    return info.value.errors


def test_demo_bank_is_valid():
    bank = yamlfile.parse(GOOD, "demo-bank.yaml")
    assert len(bank.questions) == 5


@pytest.mark.parametrize(
    ("replace", "by", "key", "field", "message"),
    [
        ("format: quizapp-bank/1", "format: quizapp-bank/9", None, "format", "unknown format"),
        ("bank: demo", "bank: Demo Bank", None, "bank", "should match pattern"),
        ("level: lay", "level: expert", None, "level", "Input should be 'lay' or 'provider'"),
        (
            "    correct: true\n        feedback: Right.",
            "    feedback: Right.",
            "demo-single",
            None,
            "exactly 1 correct",
        ),
        ("answer: false", "answer: maybe", "demo-tf", "answer", "valid boolean"),
        (
            "answer: {value: 6, tolerance: 0, unit: seconds}",
            "answer: {min: 9, max: 3}",
            "demo-numeric",
            "answer",
            "min must not be greater than max",
        ),
        (
            "    reference: ref\n    tags: [adult]",
            "    reference: nowhere\n    tags: [adult]",
            "demo-order",
            "reference",
            "not one of this bank's references",
        ),
        ("key: demo-tf", "key: demo-single", "demo-single", "key", "used by another question"),
        ("type: true_false", "type: essay", "demo-tf", "type", "Input should be"),
        (
            "  - key: demo-order\n    type: ordering",
            "  - key: demo-order\n    type: ordering\n    colour: red",
            "demo-order",
            "colour",
            "Extra inputs are not permitted",
        ),
        ("    stem: Gasping is normal breathing.\n", "", "demo-tf", "stem", "Field required"),
        (
            "      - text: Attach the pads\n",
            "      - text: Attach the pads\n        correct: true\n",
            "demo-order",
            None,
            "do not mark any correct",
        ),
        ("tags: [lay]\n", "tags: [lay, lay]\n", "demo-tf", "tags", "must not repeat"),
        ("tags: [lay]\n", "tags: [lay]\n    group: Adult Ratio\n", "demo-tf", "group", "should match pattern"),
    ],
)
def test_invalid_bank_names_file_key_field_and_line(replace, by, key, field, message):
    assert replace in GOOD, replace
    errors = errors_of(GOOD.replace(replace, by, 1))
    match = [e for e in errors if message in e.message]
    assert match, [str(e) for e in errors]
    error = match[0]
    assert error.file == "bank.yaml"
    assert error.line is not None and error.line > 0
    if key:
        assert error.key == key
    if field:
        assert error.field == field
    assert str(error).startswith(f"bank.yaml:{error.line}:")


def test_line_number_points_at_the_question():
    text = GOOD.replace("answer: false", "answer: maybe")
    [error] = errors_of(text)
    line = text.splitlines()[error.line - 1]
    assert "answer: maybe" in line


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("format: [unclosed", "not valid YAML"),
        ("- just\n- a list\n", "expected a mapping"),
        ("", "expected a mapping"),
        ("format: quizapp-bank/1\nbank: x1\n", "Field required"),
    ],
)
def test_not_a_bank_at_all(text, message):
    assert any(message in e.message for e in errors_of(text))


def test_every_error_is_reported_not_just_the_first():
    text = GOOD.replace("answer: false", "answer: maybe").replace("level: lay", "level: expert")
    assert len(errors_of(text)) == 2


def test_non_utf8_and_oversized_files(tmp_path, monkeypatch):
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("stem: caf\xe9".encode("latin-1"))
    with pytest.raises(BankFileError, match="not UTF-8"):
        yamlfile.read(bad)
    monkeypatch.setattr(yamlfile, "MAX_FILE_BYTES", 10)
    with pytest.raises(BankFileError, match="larger than"):
        yamlfile.read(DATA / "demo-bank.yaml")


def test_quiz_file_duplicate_slug_is_located():
    text = (DATA / "demo-quizzes.yaml").read_text().replace("slug: demo-practice", "slug: demo-exam")
    errors = errors_of(text)
    assert errors[0].key == "demo-exam" and "used twice" in errors[0].message


def test_yaml_aliases_cannot_expand_without_bound():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b]\n"
    assert errors_of("format: quizapp-bank/1\n" + bomb)  # refused (unknown fields), never expanded into a crash


def test_group_round_trips_and_is_absent_from_content_without_one():
    """`group:` is written after tags and read back; a question without one dumps as it did before the field."""
    text = GOOD.replace("tags: [lay]\n", "tags: [lay]\n    group: agonal-breathing\n", 1)
    bank = yamlfile.parse(text, "bank.yaml")
    grouped = next(q for q in bank.questions if q.key == "demo-tf")
    assert grouped.group == "agonal-breathing"
    assert grouped.model_dump(mode="json")["group"] == "agonal-breathing"
    written = dump_bank(bank)
    assert "    tags: [lay]\n    group: agonal-breathing\n" in written
    assert dump_bank(yamlfile.parse(written, "again.yaml")) == written
    assert all("group" not in q.model_dump(mode="json") for q in bank.questions if q.key != "demo-tf")
    assert "group" not in dump_bank(yamlfile.parse(GOOD, "bank.yaml"))


def test_draw_rule_exclude_tags_are_validated_and_left_out_of_settings_when_empty():
    quizzes = (DATA / "demo-quizzes.yaml").read_text()
    spec = yamlfile.parse(quizzes, "quizzes.yaml").quizzes[0]
    assert all("exclude_tags" not in rule for rule in spec.model_dump(mode="json")["draw"])
    bad = quizzes.replace("draw: [{bank: demo, count: 5}]", "draw: [{count: 1, exclude_tags: [Not A Tag]}]", 1)
    [error] = errors_of(bad)
    assert (error.key, error.field, error.line) == ("demo-exam", "draw.0.exclude_tags.0", 5)
    assert "should match pattern" in error.message


def test_focus_weakest_needs_a_bank_in_every_rule_and_is_left_out_of_settings_when_off():
    quizzes = (DATA / "demo-quizzes.yaml").read_text()
    specs = yamlfile.parse(quizzes, "quizzes.yaml").quizzes
    assert all("focus_weakest" not in spec.model_dump(mode="json") for spec in specs)  # stored settings unchanged
    focused = quizzes.replace("    feedback: immediate\n", "    feedback: immediate\n    focus_weakest: true\n", 1)
    practice = yamlfile.parse(focused, "quizzes.yaml").quizzes[1]
    assert practice.focus_weakest is True and practice.model_dump(mode="json")["focus_weakest"] is True
    anywhere = "title: Demo practice\n    draw: [{count: 5}]"
    [error] = errors_of(focused.replace("title: Demo practice\n    draw: [{bank: demo, count: 5}]", anywhere))
    assert error.key == "demo-practice" and "focuses on weakest topics needs a bank in every draw rule" in error.message
