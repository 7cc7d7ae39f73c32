"""Large exports (every XLSX, more than EXPORT_INLINE_ROWS rows) are written to a file by a job, listed, downloaded."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from markupsafe import escape
from openpyxl import load_workbook
from sqlalchemy import select

from quizapp.exports import datasets, files
from quizapp.exports.formats import FORMATS
from quizapp.extensions import db
from quizapp.jobs import queue
from quizapp.models import AuditEvent, Job, JobState, User
from tests.conftest import ADMIN, count, signed_in
from tests.exports.support import PAGE, URL, audit_events, csv_rows, download, fetch, file_links
from tests.support import csrf_token, login_with_token

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_jobs(app) -> list[Job]:
    """Return the export jobs, oldest first (detached, with their attributes loaded)."""
    with app.app_context():
        jobs = list(db.session.scalars(select(Job).where(Job.kind == files.KIND).order_by(Job.id)))
        db.session.expunge_all()
        return jobs


def streamed_xlsx(app, dataset: str) -> bytes:
    """Return the workbook today's streamed download writes for this dataset (default filters)."""
    with app.app_context():
        export = datasets.prepare(dataset, datasets.Filters())
        return b"".join(FORMATS["xlsx"].write(export.columns, export.rows, dataset))


def cells(data: bytes) -> list[list]:
    """Return every cell value of a workbook's sheet, row by row."""
    return [[c.value for c in row] for row in load_workbook(io.BytesIO(data)).active.iter_rows()]


def expire(app, job_id: int) -> None:
    """Move a job's end back past the export expiry."""
    with app.app_context():
        job = db.session.get(Job, job_id)
        job.finished_at -= timedelta(hours=app.config["EXPORT_TTL_HOURS"] + 1)
        db.session.commit()


def test_an_xlsx_export_is_made_by_a_job_into_a_file_listed_and_downloaded(app, admin, scores, export_dir):
    response = admin.post(URL, data={"dataset": "attempts", "format": "xlsx"})
    assert response.status_code == 303 and response.headers["Location"] == PAGE
    [job] = export_jobs(app)
    assert (job.state, job.progress, job.error, job.params["rows"]) == (JobState.DONE, 100, "", 5)
    assert [p.name for p in export_dir.iterdir()] == [job.result]  # one file, no partial one left
    assert re.fullmatch(r"[\w-]{32}\.xlsx", job.result)
    page = admin.get(PAGE).get_data(as_text=True)
    assert "The export is ready: download it below." in page
    assert f'id="export-{job.id}" data-job-state="done"' in page and "Attempts, xlsx" in page
    assert file_links(admin) == [f"/admin/exports/files/{job.result}"]
    got = fetch(admin, file_links(admin)[0])
    assert got.headers["Content-Type"] == XLSX and got.headers["Cache-Control"] == "no-store"
    disposition = got.headers["Content-Disposition"]
    assert re.fullmatch(r"attachment; filename=quizapp-attempts-\d{8}T\d{4}Z\.xlsx", disposition)
    assert cells(got.data) == cells(streamed_xlsx(app, "attempts"))
    assert len(cells(got.data)) == 6
    with app.app_context():
        downloads = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export.download")).all()
        assert [(e.target, e.details["format"]) for e in downloads] == [("attempts", "xlsx")]
    assert [e.details["source"] for e in audit_events(app)] == ["web"]


def test_an_identical_export_already_queued_is_not_queued_twice(app, admin, scores):
    with app.app_context():
        export = datasets.prepare("responses", datasets.Filters())
        user = db.session.scalar(select(User).where(User.email == ADMIN))
        queue.request(files.KIND, files.job_key(export, "xlsx", user), files.job_params(export, "xlsx"), user)
        db.session.commit()  # queued, never sent: as if every worker were busy
    admin.post(URL, data={"dataset": "responses", "format": "xlsx"})
    page = admin.get(PAGE).get_data(as_text=True)
    assert "The same export is already being prepared" in page and 'data-job-state="queued"' in page
    assert [j.state for j in export_jobs(app)] == [JobState.QUEUED]
    admin.post(URL, data={"dataset": "responses", "format": "xlsx", "quiz": "demo-exam"})  # other filters: a new job
    assert [j.state for j in export_jobs(app)] == [JobState.QUEUED, JobState.DONE]


def test_only_the_admin_who_asked_downloads_the_file(app, admin, scores, auth):
    admin.post(URL, data={"dataset": "attempts", "format": "xlsx"})
    [link] = file_links(admin)
    other = signed_in(app, "other-admin@example.org", "Otto Admin", role="admin")
    assert other.get(link).status_code == 404
    assert file_links(other) == []
    learner = signed_in(app, "lena@example.org", "Lena Learner")
    assert learner.get(link).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export.download")) is None


def test_an_expired_file_answers_410_and_sweep_deletes_it(app, admin, scores, runner, export_dir):
    admin.post(URL, data={"dataset": "attempts", "format": "xlsx"})
    admin.post(URL, data={"dataset": "responses", "format": "xlsx"})
    old, fresh = export_jobs(app)
    link = f"/admin/exports/files/{old.result}"
    expire(app, old.id)
    response = admin.get(link)
    assert response.status_code == 410
    assert "This export has expired" in response.get_data(as_text=True)
    page = admin.get(PAGE).get_data(as_text=True)
    assert file_links(admin) == [f"/admin/exports/files/{fresh.result}"] and "Expired" in page
    result = runner.invoke(args=["export", "sweep"])
    assert result.exit_code == 0 and "deleted 1 expired export file(s)" in result.output
    assert [p.name for p in export_dir.iterdir()] == [fresh.result]
    assert admin.get(link).status_code == 410
    assert fetch(admin, f"/admin/exports/files/{fresh.result}").status_code == 200


def failed_export(app, admin, tmp_path) -> Job:
    """Ask for an XLSX export whose folder cannot be made (a file is in the way); return its failed job."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    app.config["EXPORT_DIR"] = str(blocker)
    admin.post(URL, data={"dataset": "attempts", "format": "xlsx"})
    [job] = export_jobs(app)
    return job


def test_a_failed_export_shows_its_reason(app, admin, scores, tmp_path):
    job = failed_export(app, admin, tmp_path)
    assert job.state == JobState.FAILED and job.error.startswith("FileExistsError")
    page = admin.get(PAGE).get_data(as_text=True)
    assert "The export could not be made" in page and f"Failed: {escape(job.error)}" in page
    assert file_links(admin) == []


def test_a_small_csv_still_streams_without_a_job(app, admin, scores):
    response = admin.post(URL, data={"dataset": "attempts", "format": "csv"})
    assert response.status_code == 200 and response.headers["Content-Disposition"].startswith("attachment")
    assert count(app, Job) == 0


def test_the_row_threshold_is_honoured(app, admin, scores):
    streamed = download(admin, dataset="attempts", format="csv").data
    app.config["EXPORT_INLINE_ROWS"] = 2
    assert admin.post(URL, data={"dataset": "attempts", "format": "csv"}).status_code == 303  # 5 rows > 2
    [job] = export_jobs(app)
    assert (job.state, job.params["format"], job.result.endswith(".csv")) == (JobState.DONE, "csv", True)
    got = fetch(admin, file_links(admin)[0])
    assert got.data == streamed and got.headers["Content-Type"] == FORMATS["csv"].mimetype
    small = admin.post(URL, data={"dataset": "attempts", "format": "jsonl", "until": "2026-03-02"})  # 2 rows
    assert small.status_code == 200 and len(small.data.splitlines()) == 2
    assert len(export_jobs(app)) == 1
    assert len(csv_rows(streamed)) == 5


def test_asking_for_a_file_export_needs_a_csrf_token(app, csrf_app, scores, tmp_path):
    csrf_app.config["EXPORT_DIR"] = str(tmp_path / "csrf-exports")
    client = csrf_app.test_client()
    assert login_with_token(client, ADMIN).status_code == 303
    response = client.post(URL, data={"dataset": "attempts", "format": "xlsx"})
    assert response.status_code == 303 and response.headers["Location"] != PAGE
    assert export_jobs(app) == [] and audit_events(app) == []
    token = csrf_token(client, PAGE)
    response = client.post(URL, data={"dataset": "attempts", "format": "xlsx", "csrf_token": token})
    assert response.status_code == 303 and response.headers["Location"] == PAGE
    assert [j.state for j in export_jobs(app)] == [JobState.DONE]


def test_the_job_reports_its_progress_and_leaves_no_partial_file(app, scores, export_dir, monkeypatch):
    monkeypatch.setattr(files, "PROGRESS_ROWS", 2)
    fractions = []
    with app.app_context():
        export = datasets.prepare("attempts", datasets.Filters())
        params = files.job_params(export, "csv")
        assert files.make(params, fractions.append) == params["file"]
    assert fractions == [0.4, 0.8]
    assert [p.name for p in export_dir.iterdir()] == [params["file"]]
    assert len(csv_rows((export_dir / params["file"]).read_bytes())) == 5


def test_the_page_says_when_an_export_was_retried(app, admin, scores, tmp_path):
    job = failed_export(app, admin, tmp_path)
    with app.app_context():
        row = db.session.get(Job, job.id)
        row.retries = 2
        db.session.commit()
    assert f"Failed after 2 retries: {escape(job.error)}" in admin.get(PAGE).get_data(as_text=True)
    with app.app_context():
        row = db.session.get(Job, job.id)
        row.state, row.retries, row.error = JobState.QUEUED, 1, "OperationalError: the database went away"
        db.session.commit()
    page = admin.get(PAGE).get_data(as_text=True)
    assert "Queued: retry 1 after a passing error (OperationalError: the database went away)" in page
