"""The staged import: preview, then Confirm (without the file again) or Cancel; owner, expiry; large files as jobs."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from quizapp.banks import staging, transfer
from quizapp.banks.formats.file_errors import FileError, capped
from quizapp.clock import now
from quizapp.extensions import db
from quizapp.jobs import runner
from quizapp.models import AuditEvent, Job, JobState, Question, StagedImport
from tests.banks.conftest import OWN
from tests.banks.test_import_web import URL, upload
from tests.conftest import count
from tests.reporting.support import staff_client
from tests.support import csrf_token

BROKEN = (OWN / "broken.aiken.txt").read_bytes()  # 1 valid question, 2 refused (lines 3 and 5)


def staged_token(html: str) -> str:
    """Return the staged upload's token from the Confirm button's form."""
    return re.search(r'action="/author/banks/demo/import/([\w-]+)/confirm"', html).group(1)


def preview(client, data: bytes = BROKEN, fmt: str = "aiken") -> str:
    """Preview a file on the import page; return its staged token."""
    response = upload(client, data, fmt=fmt, button="preview")
    assert response.status_code == 200
    return staged_token(response.get_data(as_text=True))


def test_preview_stages_the_file_and_confirm_imports_it_without_the_file(app, instructor):
    html = upload(instructor, BROKEN, fmt="aiken", button="preview").get_data(as_text=True)
    assert "<strong>1</strong> question to add, <strong>2</strong> refused" in html
    assert "Confirm import" in html and "choose the file again" not in html and count(app, Question) == 5
    token = staged_token(html)
    assert len(token) >= 40 and count(app, StagedImport) == 1
    response = instructor.post(f"{URL}/{token}/confirm")
    assert response.status_code == 303 and response.headers["Location"].endswith(URL)
    page = instructor.get(URL).get_data(as_text=True)
    assert "1 created, 0 updated, 0 unchanged, 0 skipped, 2 refused." in page
    assert count(app, Question) == 6 and count(app, StagedImport) == 0 and count(app, AuditEvent) == 1
    again = instructor.post(f"{URL}/{token}/confirm")
    assert again.status_code == 410 and "no longer waiting" in again.get_data(as_text=True)
    assert count(app, Question) == 6


def test_cancel_discards_the_staged_file(app, instructor):
    token = preview(instructor)
    response = instructor.post(f"{URL}/{token}/cancel")
    assert response.status_code == 303
    assert "The upload was discarded; nothing was imported." in instructor.get(URL).get_data(as_text=True)
    assert count(app, StagedImport) == 0 and count(app, Question) == 5
    assert instructor.post(f"{URL}/{token}/confirm").status_code == 410


def test_another_instructor_can_neither_confirm_nor_cancel_nor_follow_it(app, instructor):
    token = preview(instructor)
    other = staff_client(app, "instructor")
    assert other.post(f"{URL}/{token}/confirm").status_code == 404
    assert other.post(f"{URL}/{token}/cancel").status_code == 404
    assert other.get(f"{URL}/{token}").status_code == 404
    assert count(app, Question) == 5 and count(app, StagedImport) == 1
    assert instructor.post(f"/author/banks/other/import/{token}/confirm").status_code == 404  # no such bank


def test_an_expired_upload_says_so_and_imports_nothing(app, instructor):
    token = preview(instructor)
    with app.app_context():
        db.session.execute(update(StagedImport).values(expires_at=now() - timedelta(seconds=1)))
        db.session.commit()
    response = instructor.post(f"{URL}/{token}/confirm")
    assert response.status_code == 410 and "This upload has expired" in response.get_data(as_text=True)
    assert count(app, Question) == 5
    preview(instructor)  # staging another file sweeps the expired one
    assert count(app, StagedImport) == 1


def test_confirm_needs_a_csrf_token(app, csrf_instructor):
    fields = {"file": FileStorage(io.BytesIO(BROKEN), "a.txt"), "format": "aiken", "preview": "1"}
    boundary, body = encode_multipart({**fields, "csrf_token": csrf_token(csrf_instructor, URL)})
    html = csrf_instructor.post(URL, data=body, content_type=f"multipart/form-data; boundary={boundary}")
    token = staged_token(html.get_data(as_text=True))
    assert csrf_instructor.post(f"{URL}/{token}/confirm").status_code == 303 and count(app, Question) == 5
    data = {"csrf_token": csrf_token(csrf_instructor, URL)}
    assert csrf_instructor.post(f"{URL}/{token}/confirm", data=data).status_code == 303
    assert count(app, Question) == 6


def test_an_instructor_keeps_at_most_a_few_pending_uploads(app, instructor):
    for _ in range(staging.PENDING_PER_USER + 2):
        newest = preview(instructor)
    assert count(app, StagedImport) == staging.PENDING_PER_USER
    assert instructor.post(f"{URL}/{newest}/confirm").status_code == 303


@pytest.fixture
def big(make_app, demo):
    """An app (jobs run eagerly, no broker) where every file counts as large, with an instructor signed in."""
    app = make_app(IMPORT_INLINE_BYTES=10)
    return app, staff_client(app, "instructor")


def test_a_large_file_is_imported_by_a_job_whose_page_shows_the_report(big):
    app, boss = big
    previewed = upload(boss, BROKEN, fmt="aiken", button="preview")  # the preview is a job too (eager here)
    assert previewed.status_code == 303
    html = boss.get(previewed.headers["Location"]).get_data(as_text=True)
    assert "This file is large: once confirmed, a background job imports it" in html
    response = boss.post(f"{URL}/{staged_token(html)}/confirm")
    status_url = response.headers["Location"]
    assert response.status_code == 303 and status_url.endswith(staged_token(html))
    page = boss.get(status_url).get_data(as_text=True)
    assert 'data-job-state="done"' in page and "1 created, 0 updated, 0 unchanged, 0 skipped, 2 refused" in page
    assert "<strong>line 5</strong>: Question not started" in page and "Refused: malformed (2)" in page
    assert count(app, Question) == 6 and count(app, Job, Job.kind == "bank.import", Job.state == JobState.DONE) == 1
    with app.app_context():
        staged = db.session.scalar(select(StagedImport))
        assert staged.text == "" and staged.report["created"]
    fragment = boss.get(f"{status_url}/job").get_data(as_text=True)
    assert "Refused: malformed (2)" in fragment and "<h1>" not in fragment
    again = boss.post(f"{URL}/{staged_token(html)}/confirm")  # confirming twice shows the same job
    assert again.headers["Location"] == status_url and count(app, Job, Job.kind == "bank.import") == 1


def test_the_import_button_on_a_large_file_queues_the_job_at_once(big):
    app, boss = big
    response = upload(boss, (OWN / "cpr.gift.txt").read_bytes())
    assert count(app, Job, Job.kind == "bank.import") == 1
    assert response.status_code == 303 and "/author/banks/demo/import/" in response.headers["Location"]
    assert "4 created" in boss.get(response.headers["Location"]).get_data(as_text=True)
    listed = boss.get(URL).get_data(as_text=True)  # the import page links to it
    assert "Your background imports" in listed and response.headers["Location"].split("/")[-1] in listed
    assert ">questions.txt</a>" in listed and ": done</li>" in listed


def test_a_job_run_twice_imports_once(big):
    app, boss = big
    upload(boss, (OWN / "cpr.gift.txt").read_bytes())
    assert count(app, Question) == 9
    with app.app_context():
        job = db.session.scalar(select(Job))
        first = db.session.scalar(select(StagedImport)).report
        # The same message delivered again (a worker died before acknowledging it): the job runs again.
        job.state, job.active_key = JobState.QUEUED, job.key
        db.session.commit()
        runner.run.apply(args=(job.id,))  # in an app context (and database session) of its own
        db.session.expire_all()
        assert db.session.scalar(select(StagedImport)).report == first
        assert db.session.get(Job, job.id).state == JobState.DONE
    assert count(app, Question) == 9


def test_a_second_upload_of_the_same_file_finds_every_question_already_there(big):
    app, boss = big
    upload(boss, (OWN / "cpr.gift.txt").read_bytes())
    response = upload(boss, (OWN / "cpr.gift.txt").read_bytes())
    page = boss.get(response.headers["Location"]).get_data(as_text=True)
    assert "0 created, 0 updated, 4 unchanged, 1 skipped" in page and count(app, Question) == 9


def test_a_strict_refusal_in_a_job_keeps_the_located_errors(big):
    app, boss = big
    response = upload(boss, BROKEN, fmt="aiken", strict=True)
    page = boss.get(response.headers["Location"]).get_data(as_text=True)
    assert "Nothing was imported: 2 errors in the file" in page and "<strong>line 3</strong>" in page
    assert count(app, Question) == 5


def test_a_report_survives_its_round_trip_through_json():
    report = transfer.BankImport("demo", "gift", created=["question demo-001 (line 4)"])
    report.refused = capped([FileError("a.txt", f"bad {i}", i) for i in range(60)])
    again = staging.from_dict(staging.to_dict(report))
    assert again == report and again.refused_total == 60


def test_a_failed_jobs_upload_is_kept_a_day_for_a_retry_then_swept(big):
    app, boss = big
    for _ in range(3):
        upload(boss, BROKEN, fmt="aiken", button="preview")  # each preview is a job; its row waits for confirmation
    with app.app_context():
        first, second, third = db.session.scalars(select(StagedImport).order_by(StagedImport.id))
        for staged, age, state in ((first, timedelta(hours=1), JobState.FAILED),
                                   (second, timedelta(days=2), JobState.FAILED),
                                   (third, timedelta(days=2), JobState.QUEUED)):
            staged.job_id, staged.preview, staged.expires_at = staged.preview_job_id, None, now() - age
            db.session.get(Job, staged.job_id).state = state
        db.session.commit()
        kept, swept = {first.id, third.id}, second.id
    upload(boss, BROKEN, fmt="aiken", button="preview")  # staging another file sweeps
    with app.app_context():
        left = set(db.session.scalars(select(StagedImport.id)))
    assert kept <= left and swept not in left and len(left) == 3
