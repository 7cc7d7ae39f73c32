"""Conformance with Moodle's own GIFT and Aiken fixtures (../shared; skipped in a fresh clone)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from quizapp.banks import transfer
from quizapp.extensions import db
from quizapp.models import Question
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
