"""The preview (dry run) of a large staged upload is a `bank.preview` job: the upload request only stores the file."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from quizapp.clock import now
from quizapp.extensions import db
from quizapp.jobs import runner
from quizapp.models import Job, JobState, Question, StagedImport
from tests.banks.conftest import OWN
from tests.banks.test_import_staging import BROKEN, staged_token
from tests.banks.test_import_web import URL, upload
from tests.conftest import AuthActions, count
from tests.jobs.workers import BROKER, redis_or_skip
from tests.reporting.support import staff_client
from tests.support import TOKEN, csrf_token

NOT_A_QUESTION = b"This line is no Aiken question.\n\nNor is this one.\n"  # inline, a preview answers 422


@pytest.fixture
def big(make_app, demo):
    """An app (jobs run eagerly, no broker) where every file counts as large, with an instructor signed in."""
    app = make_app(IMPORT_INLINE_BYTES=10)
    return app, staff_client(app, "instructor")


@pytest.fixture
def unserved(make_app, demo):
    """An app whose jobs go to Redis with no worker listening (they wait, queued), with an instructor signed in."""
    redis_or_skip()
    app = make_app(BROKER_URL=BROKER, IMPORT_INLINE_BYTES=10)
    return app, staff_client(app, "instructor")


def staged_row(app) -> dict:
    """Return the one staged upload's preview columns, read fresh."""
    with app.app_context():
        staged = db.session.scalar(select(StagedImport))
        return {"preview": staged.preview, "text": staged.text, "job_id": staged.job_id}


def test_the_preview_of_a_large_file_is_a_job_whose_page_shows_the_report_and_the_buttons(big):
    app, boss = big
    response = upload(boss, BROKEN, fmt="aiken", button="preview")
    assert response.status_code == 303 and "/author/banks/demo/import/" in response.headers["Location"]
    page = boss.get(response.headers["Location"]).get_data(as_text=True)
    assert "<h1>Previewing questions.txt" in page and 'data-job-state="done"' in page
    assert "Preview (dry run): nothing has been saved" in page and "Preview done" in page
    assert "<strong>1</strong> question to add, <strong>2</strong> refused" in page
    assert "<strong>line 5</strong>: Question not started" in page
    assert "Confirm import" in page and ">Cancel</button>" in page and count(app, Question) == 5
    assert count(app, Job, Job.kind == "bank.preview", Job.state == JobState.DONE) == 1
    row = staged_row(app)
    assert row["preview"]["created"] and row["text"] and row["job_id"] is None  # the file waits for Confirm
    fragment = boss.get(f"{response.headers['Location']}/job").get_data(as_text=True)
    assert "Confirm import" in fragment and "<h1>" not in fragment
    listed = boss.get(URL).get_data(as_text=True)
    assert ">questions.txt</a> (preview)" in listed and ": done</li>" in listed


def test_confirm_after_a_preview_job_imports_the_same_file_by_its_import_job(big):
    app, boss = big
    status_url = upload(boss, BROKEN, fmt="aiken", button="preview").headers["Location"]
    token = staged_token(boss.get(status_url).get_data(as_text=True))
    confirmed = boss.post(f"{URL}/{token}/confirm")
    assert confirmed.status_code == 303 and confirmed.headers["Location"] == status_url
    page = boss.get(status_url).get_data(as_text=True)
    assert "<h1>Importing questions.txt" in page and "1 created, 0 updated, 0 unchanged, 0 skipped, 2 refused" in page
    assert "Confirm import" not in page and count(app, Question) == 6
    assert count(app, Job, Job.kind == "bank.import", Job.state == JobState.DONE) == 1


def test_the_upload_request_parses_nothing_the_report_comes_from_the_job(unserved):
    app, boss = unserved
    # Inline, this file is refused in the request itself (422, "Nothing was imported"); large, the request only
    # stores it: the answer is the job's page, with no report until the job has run.
    response = upload(boss, NOT_A_QUESTION, fmt="aiken", button="preview")
    assert response.status_code == 303
    waiting = boss.get(response.headers["Location"]).get_data(as_text=True)
    assert "Preview queued" in waiting and "data-job-poll" in waiting
    assert "Nothing was imported" not in waiting and "Confirm import" not in waiting
    assert staged_row(app)["preview"] is None
    with app.app_context():
        job_id = db.session.scalar(select(Job.id).where(Job.kind == "bank.preview"))
    runner.run.apply(args=(job_id,))  # what a worker does with the message
    page = boss.get(response.headers["Location"]).get_data(as_text=True)
    assert "Nothing was imported: 2 errors in the file" in page and "<strong>line 3</strong>" in page
    assert "data-job-poll" not in page and "Confirm import" not in page and count(app, Question) == 5


def test_a_failed_preview_job_says_why(unserved):
    app, boss = unserved
    status_url = upload(boss, BROKEN, fmt="aiken", button="preview").headers["Location"]
    with app.app_context():  # as the runner records a job that raised a DomainError
        db.session.execute(update(Job).values(state=JobState.FAILED, active_key=None, error="The disk is full."))
        db.session.commit()
    fragment = boss.get(f"{status_url}/job").get_data(as_text=True)
    assert 'data-job-state="failed"' in fragment and "The preview failed</strong>: The disk is full." in fragment


def test_only_the_uploader_follows_a_preview_and_an_expired_one_is_gone(big):
    app, boss = big
    status_url = upload(boss, BROKEN, fmt="aiken", button="preview").headers["Location"]
    other = AuthActions(app, app.test_client()).sign_in("instructor", "other@example.org")
    assert other.get(status_url).status_code == 404 and other.get(f"{status_url}/job").status_code == 404
    assert other.post(f"{status_url}/confirm").status_code == 404 and count(app, Question) == 5
    with app.app_context():
        db.session.execute(update(StagedImport).values(expires_at=now() - timedelta(seconds=1)))
        db.session.commit()
    assert boss.get(status_url).status_code == 410
    gone = boss.post(f"{status_url}/confirm")
    assert gone.status_code == 410 and "This upload has expired" in gone.get_data(as_text=True)
    assert count(app, Question) == 5


def test_a_preview_job_run_twice_keeps_its_report_and_imports_nothing(big):
    app, boss = big
    upload(boss, (OWN / "cpr.gift.txt").read_bytes(), button="preview")
    first = staged_row(app)["preview"]
    with app.app_context():
        job = db.session.scalar(select(Job))
        job.state, job.active_key = JobState.QUEUED, job.key  # the same message delivered again
        db.session.commit()
        runner.run.apply(args=(job.id,))
    assert staged_row(app)["preview"] == first and count(app, Question) == 5


def test_confirm_after_a_preview_job_needs_the_csrf_token(make_app, demo):
    app = make_app(IMPORT_INLINE_BYTES=10, WTF_CSRF_ENABLED=True)
    boss = staff_client(app, "instructor")
    fields = {"file": FileStorage(io.BytesIO(BROKEN), "a.txt"), "format": "aiken", "preview": "1"}
    boundary, body = encode_multipart({**fields, "csrf_token": csrf_token(boss, URL)})
    response = boss.post(URL, data=body, content_type=f"multipart/form-data; boundary={boundary}")
    page = boss.get(response.headers["Location"]).get_data(as_text=True)
    token = staged_token(page)
    assert boss.post(f"{URL}/{token}/confirm").status_code == 303 and count(app, Question) == 5  # refused
    confirmed = boss.post(f"{URL}/{token}/confirm", data={"csrf_token": TOKEN.search(page).group(1)})
    assert confirmed.status_code == 303 and count(app, Question) == 6
