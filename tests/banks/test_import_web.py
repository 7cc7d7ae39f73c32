"""Importing GIFT, Aiken and YAML files into a bank: the service, the upload page and the Moodle fixtures."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from quizapp.banks import transfer
from quizapp.banks.formats.file_errors import BankFileError
from quizapp.extensions import db
from quizapp.models import AuditEvent, Question, QuestionVersion
from tests.banks.conftest import OWN
from tests.conftest import DATA, count, login, make_user
from tests.support import csrf_token

URL = "/author/banks/demo/import"


def upload(client, data: bytes | str, fmt="gift", button="submit", name="questions.txt", strict=False):
    """Post a file to the demo bank's import page, pressing Import or Preview (with All or nothing ticked if strict)."""
    raw = data.encode() if isinstance(data, str) else data
    fields = {"file": FileStorage(io.BytesIO(raw), name), "format": fmt, button: "1"}
    fields.update({"strict": "y"} if strict else {})
    # Encoded in memory: the test client would spool a body over 500 KB to a temporary file it never closes.
    boundary, body = encode_multipart(fields)
    return client.post(URL, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def run_import(app, fmt: str, *texts: str, slug: str = "demo", strict: bool = False) -> transfer.BankImport:
    """Import texts into a bank through the service and commit; return the report (or raise ImportRefused)."""
    with app.app_context():
        bank = transfer.find_bank(slug)
        sources = [transfer.Source(f"file{i}.txt", text) for i, text in enumerate(texts)]
        try:
            report = transfer.import_sources(bank, fmt, sources, strict=strict)
        except transfer.ImportRefused:
            db.session.rollback()
            raise
        db.session.commit()
        return report


def keys_in(app, slug: str = "demo") -> list[str]:
    """Return the keys of a bank's questions in position order."""
    with app.app_context():
        bank = transfer.find_bank(slug)
        stmt = select(Question.key).where(Question.bank_id == bank.id).order_by(Question.position)
        return list(db.session.scalars(stmt))


# ---------------------------------------------------------------- the service


def test_gift_import_gives_new_keys_tags_and_reports_skips(app, demo):
    report = run_import(app, "gift", (OWN / "cpr.gift.txt").read_text())
    assert report.created == [
        'question demo-001 (line 4 "Rate")',
        'question demo-002 (line 11 "Depth")',
        'question demo-003 (line 13 "Ratio")',
        'question demo-004 (line 15 "Signs")',
    ]
    assert report.skipped == ['line 21 "Essay": essay is not supported']
    assert "3 questions have no rationale yet; add one in the question editor." in report.notes
    assert keys_in(app)[-4:] == ["demo-001", "demo-002", "demo-003", "demo-004"]
    with app.app_context():
        version = db.session.execute(select(Question).where(Question.key == "demo-004")).scalar_one().current_version
        spec = version.spec()
        assert spec.tags == ["cpr-adult-bls"] and version.note == "imported from Moodle GIFT"
        assert [c.correct for c in spec.choices] == [True, True, False]


def test_reimporting_the_same_file_creates_nothing(app, demo):
    text = (OWN / "cpr.gift.txt").read_text()
    run_import(app, "gift", text)
    again = run_import(app, "gift", text)
    assert again.created == [] and len(again.unchanged) == 4
    assert again.unchanged[0] == 'line 4 "Rate": same as demo-001'
    assert count(app, Question) == 9


def test_keys_continue_after_the_highest_number_ever_used(app, demo, tmp_path):
    bank = (DATA / "demo-bank.yaml").read_text().replace("key: demo-tf", "key: demo-041")
    run_import(app, "yaml", bank)
    with app.app_context():
        question = db.session.execute(select(Question).where(Question.key == "demo-041")).scalar_one()
        question.retired = True  # retired questions keep their key for ever
        db.session.commit()
    run_import(app, "aiken", (OWN / "cpr.aiken.txt").read_text())
    assert keys_in(app)[-2:] == ["demo-042", "demo-043"]


def test_malformed_questions_are_refused_with_their_lines_and_the_rest_imported(app, demo):
    report = run_import(app, "aiken", (OWN / "broken.aiken.txt").read_text())
    assert [(e.line, e.message) for e in report.refused] == [
        (3, "Question must have at least 2 answers"),
        (5, "Question not started"),
    ]
    assert report.created == ["question demo-001 (line 7)"] and not report.errors
    assert report.summary() == "1 created, 0 updated, 0 unchanged, 0 skipped, 2 refused"
    assert count(app, Question) == 6
    with app.app_context():
        assert db.session.execute(select(AuditEvent)).scalar_one().details["refused"] == 2


def test_gift_errors_refuse_only_their_questions(app, demo):
    report = run_import(app, "gift", (OWN / "gift_errors.txt").read_text())
    assert [e.line for e in report.refused][:2] == [1, 3]
    assert report.created == ['question demo-001 (line 17 "good")']
    assert count(app, Question) == 6


def test_the_refused_list_is_capped_but_counted(app, demo):
    text = "".join(f"Q{i}?\nA) only\nANSWER: A\n\n" for i in range(150)) + "Good?\nA) a\nB) b\nANSWER: A\n"
    report = run_import(app, "aiken", text)
    assert len(report.refused) == 101 and report.refused_total == 150
    assert report.refused[-1].message == "and 50 more errors"
    assert report.summary() == "1 created, 0 updated, 0 unchanged, 0 skipped, 150 refused"


def test_strict_errors_refuse_everything_with_line_numbers(app, demo):
    with pytest.raises(transfer.ImportRefused) as info:
        run_import(app, "aiken", (OWN / "broken.aiken.txt").read_text(), strict=True)
    errors = [(e.line, e.message) for e in info.value.report.errors]
    assert errors == [(3, "Question must have at least 2 answers"), (5, "Question not started")]
    assert info.value.report.created == ["question demo-001 (line 7)"]
    assert count(app, Question) == 5 and count(app, AuditEvent) == 0


def test_several_files_name_the_file_in_every_line(app, demo):
    report = run_import(app, "aiken", (OWN / "cpr.aiken.txt").read_text(), (OWN / "cpr.aiken.txt").read_text())
    assert report.created[0] == "question demo-001 (file0.txt: line 1)"
    assert report.notes == ["file1.txt: line 1 repeats the question at file0.txt: line 1", *report.notes[1:]]


def test_a_file_with_no_questions_is_an_error(app, demo):
    with pytest.raises(transfer.ImportRefused) as info:
        run_import(app, "aiken", "just some words\n")
    assert "Question not completed before end of file" in str(info.value.report.errors[0])
    with pytest.raises(transfer.ImportRefused) as info:
        run_import(app, "gift", "// only a comment\n")
    assert "no Moodle GIFT questions found" in info.value.report.errors[0].message


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary file"),
        (b"caf\xe9 au lait", "not UTF-8 text (byte 3)"),
        (b"x" * (1024 * 1024 + 1), "larger than 1024 KB"),
    ],
)
def test_decode_refuses_what_is_not_utf8_text(raw, message):
    with pytest.raises(BankFileError) as info:
        transfer.decode(raw, "f", 1024 * 1024)
    assert message in info.value.errors[0].message


def test_decode_accepts_a_byte_order_mark():
    assert transfer.decode("\ufeffQ?\nA) a\nB) b\nANSWER: A".encode(), "f", 100).startswith("Q?")


# ---------------------------------------------------------------- the upload page


def test_page_shows_the_form_to_instructors_only(app, client, instructor):
    page = instructor.get(URL)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in html
    assert "<legend>Format</legend>" in html and "Preview (dry run)" in html
    assert 'action="/author/banks/demo/export"' in html and 'name="format" value="gift"' in html
    assert instructor.get("/author/banks/nowhere/import").status_code == 404
    make_user(app, "lee@example.org")
    learner = app.test_client()
    login(learner, "lee@example.org")
    assert learner.get(URL).status_code == 403
    assert app.test_client().get(URL).status_code == 302


def test_preview_shows_the_report_and_saves_nothing(app, instructor):
    response = upload(instructor, (OWN / "cpr.gift.txt").read_bytes(), button="preview")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Preview (dry run): nothing has been saved" in html
    assert "4 created, 0 updated, 0 unchanged, 1 skipped" in html
    assert "line 21 &#34;Essay&#34;: essay is not supported" in html
    assert "3 questions have no rationale yet" in html
    assert count(app, Question) == 5 and count(app, AuditEvent) == 0


def test_import_redirects_with_a_summary_and_an_audit_event(app, instructor):
    response = upload(instructor, (OWN / "cpr.gift.txt").read_bytes(), name="../../etc/passwd")
    assert response.status_code == 303 and response.headers["Location"].endswith(URL)
    html = instructor.get(URL).get_data(as_text=True)
    assert "Imported into Demo bank: 4 created, 0 updated, 0 unchanged, 1 skipped." in html
    assert "Not imported (unsupported): line 21" in html
    assert count(app, Question) == 9
    with app.app_context():
        event = db.session.execute(select(AuditEvent)).scalar_one()
        assert (event.action, event.target) == ("import", "bank:demo")
        assert event.details["created"] == 4 and event.details["files"] == ["etc_passwd"]
        assert event.actor_id is not None


def test_preview_shows_both_counts_and_the_refused_lines(app, instructor):
    response = upload(instructor, (OWN / "broken.aiken.txt").read_bytes(), fmt="aiken", button="preview")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Preview (dry run): nothing has been saved" in html
    assert "<strong>1</strong> question to add, <strong>2</strong> refused" in html
    assert "Refused: malformed (2)" in html and "<strong>line 5</strong>: Question not started" in html
    assert count(app, Question) == 5
    assert upload(instructor, (OWN / "broken.aiken.txt").read_bytes(), fmt="aiken").status_code == 303
    html = instructor.get(URL).get_data(as_text=True)
    assert "1 created, 0 updated, 0 unchanged, 0 skipped, 2 refused." in html
    assert "Refused (malformed): line 3: Question must have at least 2 answers" in html
    assert count(app, Question) == 6


def test_all_or_nothing_errors_are_shown_with_lines_and_nothing_is_imported(app, instructor):
    response = upload(instructor, (OWN / "broken.aiken.txt").read_bytes(), fmt="aiken", strict=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Nothing was imported: 2 errors in the file" in html
    assert "<strong>line 3</strong>: Question must have at least 2 answers" in html
    assert "<strong>line 5</strong>: Question not started" in html
    assert count(app, Question) == 5


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "The file is empty."),
        (b"\x00\x01\x02binary", "This is a binary file, not a text file."),
        (b"\xff\xfe\x00Q\x00", "The file is not UTF-16 text (byte 4); save it as UTF-8 and try again."),
        (b"Caf\xe9?\nA) a\nB) b\nANSWER: A\n", "The file is not UTF-8 text (byte 3); save it as UTF-8 and try again."),
    ],
)
def test_uploads_are_checked_by_content(app, instructor, raw, message):
    response = upload(instructor, raw, fmt="aiken", name="questions.aiken.txt")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html
    assert 'aria-describedby="file-hint file-error"' in html and 'aria-invalid="true"' in html
    assert count(app, Question) == 5


def test_missing_file_and_unknown_format_are_refused(app, instructor):
    response = instructor.post(URL, data={"format": "gift", "submit": "1"}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Choose a file to import." in response.get_data(as_text=True)
    response = upload(instructor, "Q?\nA) a\nB) b\nANSWER: A\n", fmt="excel")
    assert response.status_code == 422 and "Not a valid choice" in response.get_data(as_text=True)


def test_an_image_named_like_a_gift_file_is_refused(app, instructor):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    response = upload(instructor, png, name="questions.gift.txt")
    assert response.status_code == 422 and "binary file" in response.get_data(as_text=True)


def test_yaml_bank_file_updates_its_own_bank_only(app, instructor):
    changed = (DATA / "demo-bank.yaml").read_text().replace("Gasping is normal", "Gasping is regular")
    response = upload(instructor, changed, fmt="yaml", button="preview")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "question demo-tf" in html and "Changed (a new version each)" in html
    assert upload(instructor, changed, fmt="yaml").status_code == 303
    assert count(app, QuestionVersion) == 6
    other = changed.replace("bank: demo", "bank: other")
    response = upload(instructor, other, fmt="yaml")
    assert response.status_code == 422 and "this file is bank &#39;other&#39;" in response.get_data(as_text=True)
    response = upload(instructor, "format: quizapp-bank/1\nbank: [", fmt="yaml")
    assert response.status_code == 422 and "not valid YAML" in response.get_data(as_text=True)


def test_import_needs_a_csrf_token(app, csrf_instructor):
    def form(**extra):
        return {"file": (io.BytesIO((OWN / "cpr.aiken.txt").read_bytes()), "a.txt"), "format": "aiken", **extra}

    response = csrf_instructor.post(URL, data=form(submit="1"), content_type="multipart/form-data")
    assert response.status_code == 303 and count(app, Question) == 5
    data = form(submit="1", csrf_token=csrf_token(csrf_instructor, URL))
    assert csrf_instructor.post(URL, data=data, content_type="multipart/form-data").status_code == 303
    assert count(app, Question) == 7
