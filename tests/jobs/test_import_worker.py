"""A large bank import on a real worker: queued from the import page, imported once, its report shown on the page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.jobs import queue
from quizapp.models import Job, JobState, Question, StagedImport
from tests.banks.conftest import OWN
from tests.banks.test_import_web import upload
from tests.conftest import count
from tests.jobs.support import job_row
from tests.jobs.workers import BROKER, Worker, redis_or_skip, wait_for
from tests.reporting.support import staff_client

pytestmark = pytest.mark.worker


@pytest.fixture
def worker(tmp_path, database_url):
    """Start one worker (`worker()`), killed at the end."""
    redis_or_skip()
    started = []

    def start() -> Worker:
        started.append(Worker("imports", database_url, tmp_path / "imports.log"))
        return started[-1]

    yield start
    for one in started:
        one.kill()


def test_a_large_import_waits_for_a_worker_which_imports_it_once_and_the_page_shows_the_report(make_app, demo, worker):
    app = make_app(BROKER_URL=BROKER, IMPORT_INLINE_BYTES=10)
    boss = staff_client(app, "instructor")
    response = upload(boss, (OWN / "broken.aiken.txt").read_bytes(), fmt="aiken")
    status_url = response.headers["Location"]
    waiting = boss.get(status_url).get_data(as_text=True)
    assert "Import queued" in waiting and "data-job-poll" in waiting and count(app, Question) == 5
    worker()
    wait_for(lambda: 'data-job-state="done"' in boss.get(f"{status_url}/job").get_data(as_text=True))
    page = boss.get(status_url).get_data(as_text=True)
    assert "1 created, 0 updated, 0 unchanged, 0 skipped, 2 refused" in page
    assert "<strong>line 5</strong>: Question not started" in page and count(app, Question) == 6
    with app.app_context():  # the same message delivered again: the job runs a second time on the worker
        job = db.session.scalar(select(Job).where(Job.kind == "bank.import"))
        report = db.session.scalar(select(StagedImport)).report
        job.state, job.active_key = JobState.QUEUED, job.key
        db.session.commit()
        queue.send(job)
    wait_for(lambda: job_row(app, job.id)["state"] == JobState.DONE)
    assert count(app, Question) == 6
    with app.app_context():
        assert db.session.scalar(select(StagedImport)).report == report


def test_a_large_preview_runs_on_the_worker_then_confirm_imports_the_same_file(make_app, demo, worker):
    app = make_app(BROKER_URL=BROKER, IMPORT_INLINE_BYTES=10)
    boss = staff_client(app, "instructor")
    previewed = upload(boss, (OWN / "broken.aiken.txt").read_bytes(), fmt="aiken", button="preview")
    status_url = previewed.headers["Location"]
    waiting = boss.get(status_url).get_data(as_text=True)
    assert "Preview queued" in waiting and "Confirm import" not in waiting
    worker()
    wait_for(lambda: 'data-job-state="done"' in boss.get(f"{status_url}/job").get_data(as_text=True))
    page = boss.get(status_url).get_data(as_text=True)
    assert "<strong>1</strong> question to add, <strong>2</strong> refused" in page and count(app, Question) == 5
    token = status_url.rsplit("/", 1)[-1]
    assert boss.post(f"{status_url}/confirm").headers["Location"] == status_url
    wait_for(lambda: "1 created, 0 updated" in boss.get(f"{status_url}/job").get_data(as_text=True))
    assert count(app, Question) == 6
    with app.app_context():
        staged = db.session.scalar(select(StagedImport).where(StagedImport.token == token))
        assert staged.preview["created"] == staged.report["created"]  # imported as previewed
