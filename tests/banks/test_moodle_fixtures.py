"""Conformance with Moodle's own GIFT and Aiken fixtures (../shared; skipped in a fresh clone)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from quizapp.banks import transfer
from quizapp.banks.formats.gift import parse_gift
from quizapp.extensions import db
from quizapp.models import Question
from tests.banks.test_gift import moodle_fixture
from tests.banks.test_import_web import run_import, upload
from tests.conftest import count


def test_moodle_gift_fixture_imports_6_and_skips_3(app, demo, moodle):
    report = run_import(app, "gift", (moodle / "gift_questions.gift.txt").read_text())
    assert len(report.created) == 6 and len(report.skipped) == 3
    assert report.skipped == [
        'line 2 "Q8": essay is not supported',
        'line 5 "Moodle activities": matching is not supported',
        'line 34 "Shortanswer": short answer is not supported',
    ]
    assert any("repeats the question" in note for note in report.notes)
    assert "5 questions have no rationale yet; add one in the question editor." in report.notes
    assert count(app, Question) == 11


def test_moodle_aiken_errors_fixture_is_refused_atomically(app, demo, moodle):
    with pytest.raises(transfer.ImportRefused) as info:
        run_import(app, "aiken", (moodle / "aiken_errors.txt").read_text(), strict=True)
    assert [(e.line, e.message) for e in info.value.report.errors] == [
        (3, "Question must have at least 2 answers"),
        (5, "Question not started"),
        (7, "Question not started"),
        (18, "Question not completed before next question start"),
    ]
    assert count(app, Question) == 5


def test_moodle_aiken_fixture_imports_2_with_markup_kept_as_text(app, demo, moodle):
    report = run_import(app, "aiken", (moodle / "aiken_questions.aiken.txt").read_text())
    assert len(report.created) == 2 and not report.skipped and not report.errors
    with app.app_context():
        stem = db.session.execute(select(Question).where(Question.key == "demo-002")).scalar_one()
        assert r"\<html class=" in stem.current_version.spec().stem


def test_moodle_category_fixture_tags_questions(app, demo, moodle):
    run_import(app, "gift", (moodle / "gift_questions_in_category.gift.txt").read_text())
    with app.app_context():
        version = db.session.execute(select(Question).where(Question.key == "demo-001")).scalar_one().current_version
        assert version.spec().tags == ["default-for-new-features"]


def test_moodle_gift_fixture_through_the_page(app, instructor, moodle):
    response = upload(instructor, (moodle / "gift_questions.gift.txt").read_bytes(), button="preview")
    html = response.get_data(as_text=True)
    assert "6 created, 0 updated, 0 unchanged, 3 skipped" in html


# ---------------------------------------------------------------- the GIFT reader on Moodle's fixtures


def test_moodle_questions_fixture():
    """Moodle's 9 questions: 6 supported (single, multiple, numeric, 3 true/false), 3 skipped."""
    result = parse_gift(moodle_fixture("gift_questions.gift.txt"))
    assert result.errors == []
    assert [(d.title, d.data["type"]) for d in result.drafts] == [
        ("Q2", "single"),
        ("colours", "multiple"),
        ("Q5", "numeric"),
        ("Q1", "true_false"),
        ("2-08 TSL", "true_false"),
        ("2-08 TSL", "true_false"),
    ]
    assert [(s.title, s.reason) for s in result.skipped] == [
        ("Q8", "essay is not supported"),
        ("Moodle activities", "matching is not supported"),
        ("Shortanswer", "short answer is not supported"),
    ]
    q2, colours, q5, q1 = (d.data for d in result.drafts[:4])
    assert q2["choices"] == [
        {"text": "yellow", "correct": True, "feedback": "right; good!"},
        {"text": "red", "correct": False, "feedback": "wrong, it's yellow"},
        {"text": "blue", "correct": False, "feedback": "wrong, it's yellow"},
    ]
    assert [(c["text"], c["correct"]) for c in colours["choices"]] == [
        ("yellow", True),
        ("red", False),
        ("off-beige", True),
        ("blue", False),
    ]
    assert (q5["answer"], q5["feedback"]) == ({"value": 3, "tolerance": 2}, "Completely wrong")
    assert (q1["answer"], q1["feedback"]) == (False, "42 is the Ultimate Answer.")
    assert q1["explanation"] == "This is, of course, a Hitchiker's Guide to the Galaxy reference."
    assert result.drafts[4].data == {"type": "true_false", "stem": "TSL is blablabla.", "answer": True}


def test_moodle_category_fixture():
    """$CATEGORY applies to the questions after it; escaped \\= and \\: in HTML are read."""
    result = parse_gift(moodle_fixture("gift_questions_in_category.gift.txt"))
    assert result.errors == []
    assert [(d.title, d.category, d.data["type"]) for d in result.drafts] == [
        ("Greeting", "$course$/Default for New Features", "single"),
        ("Moodle acronym", "$course$/Default for New Features", "true_false"),
    ]
    assert [s.reason for s in result.skipped] == ["matching is not supported", "short answer is not supported"]
    assert result.drafts[0].data["stem"] == (
        "[Listen to this greeting:](http://demo.moodle.net/file.php/5/media/bonjour.mp3)"
        "\n\nWhat language is being spoken?"
    )


def test_moodle_examples_fixture():
    """All 43 questions of Moodle's examples are accounted for: 31 drafts and 12 skipped."""
    result = parse_gift(moodle_fixture("gift_examples.txt"))
    assert result.errors == []
    assert (len(result.drafts), len(result.skipped)) == (31, 12)
    reasons = [s.reason for s in result.skipped]
    assert (reasons.count("short answer is not supported"), reasons.count("matching is not supported")) == (9, 3)
    control = next(d.data for d in result.drafts if d.title == "GIFT Control Characters")
    assert [c["text"] for c in control["choices"]] == ["\\~", "\\=", "\\#", "{", "}", "\\\\"]
