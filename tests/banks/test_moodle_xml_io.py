"""Moodle XML through the service, the CLI and the import page: export, re-import and compare."""

from __future__ import annotations

import base64
import re

from sqlalchemy import select

from quizapp.authoring import media
from quizapp.banks import exporting, sync, transfer
from quizapp.banks.formats.moodlexml.reader import parse_moodle_xml
from quizapp.extensions import db
from quizapp.models import AuditEvent, Bank, Image, Question, User
from tests.authoring.test_media import image_bytes
from tests.banks.test_import_web import run_import, upload
from tests.conftest import count, make_user

# Moodle XML has no place for these (docs: README, the writer's docstring); everything else must come back.
NOT_CARRIED = {"key", "reference", "difficulty", "group"}


def export(app, slug: str = "demo") -> exporting.Export:
    """Export a bank as Moodle XML through the service and commit (the audit record)."""
    with app.app_context():
        result = exporting.export_bank(transfer.find_bank(slug), "xml")
        db.session.commit()
        return result


def make_bank(app, slug: str) -> None:
    """Create an empty bank to import into."""
    with app.app_context():
        db.session.add(Bank(slug=slug, title=slug.title(), topic="cpr", level="lay"))
        db.session.commit()


def specs(app, slug: str) -> list[dict]:
    """Return the live questions of a bank in position order, as content without what Moodle XML cannot carry."""
    with app.app_context():
        bank = transfer.find_bank(slug)
        rows = db.session.scalars(select(Question).where(Question.bank_id == bank.id).order_by(Question.position))
        return [q.current_version.spec().model_dump(exclude=NOT_CARRIED) for q in rows]


def test_export_then_reimport_gives_the_same_questions(app, demo):
    result = export(app)
    assert (result.filename, result.mimetype, result.skipped) == ("demo.moodle.xml", "application/xml", [])
    assert "<category>\n      <text>$course$/demo</text>" in result.text
    make_bank(app, "copy")
    report = run_import(app, "xml", result.text, slug="copy")
    assert [c.split(" ")[1] for c in report.created] == ["copy-001", "copy-002", "copy-003", "copy-004", "copy-005"]
    assert report.skipped == report.refused == [] and report.created[0].endswith('(line 8 "demo-single")')
    again = specs(app, "copy")
    for question in again:
        question["tags"].remove("demo")  # the category, $course$/demo, comes back as a tag
    assert again == specs(app, "demo")
    assert run_import(app, "xml", result.text, slug="copy").created == []  # the same file again: all unchanged


def store_image(app) -> str:
    """Store a PNG through the media service and return its /media address."""
    uploader = make_user(app, "author@example.org", "instructor")
    with app.app_context():
        image = media.store(image_bytes("PNG"), "A red square", db.session.get(User, uploader))
        db.session.commit()
        return f"/media/{image.filename}"


def test_images_are_embedded_as_pluginfiles_and_stored_again_on_import(app, demo):
    url = store_image(app)
    stem = f"Gasping? ![A red square]({url})"
    with app.app_context():
        question = db.session.scalars(select(Question).where(Question.key == "demo-tf")).one()
        sync.stage_version(question, question.current_version.spec().model_copy(update={"stem": stem}), "", None, "img")
        db.session.commit()
    text = export(app).text
    name = url.removeprefix("/media/")
    assert f"![A red square](@@PLUGINFILE@@/{name})" in text
    embedded = re.search(rf'<file name="{name}" path="/" encoding="base64">([^<]+)</file>', text)
    with app.app_context():
        assert base64.b64decode(embedded.group(1)) == (media.media_dir() / name).read_bytes()
    make_bank(app, "copy")
    run_import(app, "xml", text, slug="copy")
    assert [q["stem"] for q in specs(app, "copy")] == [q["stem"] for q in specs(app, "demo")]  # the same stored image
    assert count(app, Image) == 1


def test_cli_imports_the_nested_categories_fixture_and_refuses_invalid_grades(app, runner, demo, moodle):
    nested = str(moodle / "xml_nested_categories_with_questions.xml")
    result = runner.invoke(args=["banks", "import", "--format", "xml", "--bank", "demo", nested])
    assert result.exit_code == 0, result.output
    assert 'created: question demo-001 (line 15 "Iota Question")' in result.output
    assert 'skipped: line 55 "Kappa Essay Question": essay is not supported' in result.output
    assert result.output.endswith("4 created, 0 updated, 0 unchanged, 1 skipped\n")
    with app.app_context():
        lambda_q = db.session.scalars(select(Question).where(Question.key == "demo-003")).one()
        assert lambda_q.current_version.spec().tags == ["iota-kappa-lambda"] and lambda_q.status == "draft"
    invalid = str(moodle / "xml_error_invalid_grades.xml")
    refused = runner.invoke(args=["banks", "import", "--format", "xml", "--bank", "demo", invalid])
    assert refused.exit_code == 1
    assert ":4: answer 2 has grade 33%, which is not one of Moodle's grades" in refused.output
    assert count(app, Question) == 9


def test_cli_exports_moodle_xml(runner, demo):
    result = runner.invoke(args=["banks", "export", "demo", "--format", "xml"])
    assert result.exit_code == 0 and result.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n')
    assert len(parse_moodle_xml(result.stdout).drafts) == 5


def test_import_page_offers_moodle_xml_and_previews_a_file(app, instructor, moodle):
    html = instructor.get("/author/banks/demo/import").get_data(as_text=True)
    assert 'value="xml"' in html and "Moodle XML" in html and "Download as Moodle XML" in html
    raw = (moodle / "xml_nested_categories_with_questions.xml").read_bytes()
    response = upload(instructor, raw, fmt="xml", button="preview", name="bank.xml")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Preview (dry run): nothing has been saved" in page
    assert "4 created, 0 updated, 0 unchanged, 1 skipped" in page and "essay is not supported" in page
    assert count(app, Question) == 5


def test_import_page_shows_a_refused_xml_file_with_its_reason(app, instructor, moodle):
    response = upload(instructor, (moodle / "xml_error_invalid_grades.xml").read_bytes(), fmt="xml", name="g.xml")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "grade 33%, which is not one of Moodle" in page
    assert count(app, Question) == 5 and count(app, AuditEvent) == 0


def test_download_as_moodle_xml(app, instructor):
    response = instructor.post("/author/banks/demo/export", data={"format": "xml"})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="demo.moodle.xml"'
    assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
    assert len(parse_moodle_xml(response.get_data(as_text=True)).drafts) == 5


def test_without_bank_the_files_one_category_names_the_bank(app, runner, demo, tmp_path):
    one = tmp_path / "bls.xml"
    one.write_text(
        '<quiz><question type="category"><category><text>$course$/CPR/Adult BLS</text></category></question>'
        '<question type="truefalse"><name><text>T</text></name><questiontext><text>Q?</text></questiontext>'
        '<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>'
        "</question></quiz>"
    )
    refused = runner.invoke(args=["banks", "import", "--format", "xml", str(one)])
    assert refused.exit_code == 1 and "there is no bank 'adult-bls'; add --create" in refused.output
    created = runner.invoke(args=["banks", "import", "--format", "xml", "--create", "--level", "lay", str(one)])
    assert created.exit_code == 0, created.output
    assert "bank: adult-bls (from the category 'Adult BLS')" in created.output
    assert created.output.endswith("1 created, 0 updated, 0 unchanged, 0 skipped\n")
    assert len(specs(app, "adult-bls")) == 1


def test_an_image_missing_on_disk_keeps_its_link(app, demo):
    url = store_image(app)
    with app.app_context():
        question = db.session.scalars(select(Question).where(Question.key == "demo-tf")).one()
        spec = question.current_version.spec().model_copy(update={"stem": f"![A red square]({url})"})
        sync.stage_version(question, spec, "", None, "img")
        db.session.commit()
        (media.media_dir() / url.removeprefix("/media/")).unlink()
    text = export(app).text
    assert f"![A red square]({url})" in text and "<file " not in text
