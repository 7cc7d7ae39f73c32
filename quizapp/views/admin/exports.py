"""Admin: download score exports (attempts or responses) as CSV, CSV for Excel, XLSX or JSON Lines.

The download runs a whole export and writes an audit record, so it is a POST with a CSRF token: an image or link
in authored Markdown (`![](/admin/exports/download?...)`) that an admin's browser fetches can no longer run one. A
GET of the download address (an old bookmark) only opens the chooser filled in with its parameters.

A large export (more than EXPORT_INLINE_ROWS rows, or any XLSX) is not streamed: a background job writes it to a
file, which the page lists and the admin who asked for it downloads until it expires.
"""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, send_file, stream_with_context, url_for
from flask_login import current_user

from quizapp import audit
from quizapp.clock import now
from quizapp.error_pages import render_error
from quizapp.errors import DomainError
from quizapp.exports import datasets, files
from quizapp.exports.formats import FORMATS
from quizapp.extensions import db
from quizapp.forms.admin import ExportForm
from quizapp.jobs import queue
from quizapp.models import JobState
from quizapp.views.admin.blueprint import bp
from quizapp.views.dispatch import commit_and_send

SENT = {  # what the admin is told once a background export is sent, by the state of its job
    JobState.QUEUED: "The export is being prepared; it is listed below, with a download link once ready.",
    JobState.RUNNING: "The export is being prepared; it is listed below, with a download link once ready.",
    JobState.DONE: "The export is ready: download it below.",
    JobState.FAILED: "The export could not be made: the reason is listed below.",
}
CHOICES = ("dataset", "format", "quiz", "since", "until", "status")  # the chooser's fields, as query parameters


@bp.get("/exports", endpoint="exports")
def choose():
    """Choose the data, format and filters of an export (filled in from the query string, if any)."""
    form = ExportForm(formdata=request.args or None).with_quizzes(datasets.quiz_choices())
    return page(form)


def page(form: ExportForm, status: int = 200):
    """Render the chooser with this admin's recent export files."""
    rows = [(job, files.expiry(job), files.size(job)) for job in files.recent(current_user)]
    return render_template("admin/exports.html", form=form, rows=rows, now=now()), status


@bp.get("/exports/download", endpoint="export_bookmark")
def bookmark():
    """An old download address: open the chooser with its choices filled in, exporting nothing."""
    choices = {name: request.args[name] for name in CHOICES if name in request.args}
    return redirect(url_for("admin.exports", **choices), code=303)


@bp.post("/exports/download")
def export_download():
    """Validate the choice, log the export with its row count (committed first), then stream it or queue its job."""
    form = ExportForm().with_quizzes(datasets.quiz_choices())
    if not form.validate():
        return page(form, 400)
    filters = datasets.Filters(form.quiz.data or None, form.since.data, form.until.data, form.status.data)
    try:
        export = datasets.prepare(form.dataset.data, filters)
    except DomainError as exc:
        form.quiz.errors = [*form.quiz.errors, exc.message]
        return page(form, 400)
    fmt = FORMATS[form.format.data]
    datasets.log(export, current_user, fmt.name, source="web")
    if files.in_background(fmt.name, export.total):
        return in_background(export, fmt.name)
    db.session.commit()
    body = stream_with_context(fmt.write(export.columns, export.rows, export.dataset))
    response = Response(body, content_type=fmt.mimetype)
    response.headers.set("Content-Disposition", "attachment", filename=datasets.filename(export.dataset, fmt.extension))
    response.headers["Cache-Control"] = "no-store"
    return response


def in_background(export: datasets.Export, fmt: str):
    """Queue a job that writes the export to a file (or join the identical one queued), then show the page."""
    key, params = files.job_key(export, fmt, current_user), files.job_params(export, fmt)
    job, new = queue.request(files.KIND, key, params, current_user)
    if commit_and_send(job if new else None):  # a job already queued is not sent twice
        db.session.refresh(job)  # without a broker the job has already run, in a session of its own
        category = "error" if job.state == JobState.FAILED else "success"
        flash(SENT[job.state] if new else "The same export is already being prepared; see below.", category)
    return redirect(url_for("admin.exports"), code=303)


@bp.get("/exports/files/<name>")
def export_file(name: str):
    """Download an export file this admin asked for, until it expires (then 410); audited."""
    job = files.owned(name, current_user) or abort(404)
    try:
        path = files.path_to_serve(job)
    except files.Expired as exc:
        return render_error(410, exc.message)
    audit.record(current_user, "export.download", target=job.params["dataset"], job=job.id, format=job.params["format"])
    db.session.commit()
    fmt = FORMATS[job.params["format"]]
    response = send_file(path, as_attachment=True, download_name=job.params["filename"])
    response.headers["Content-Type"] = fmt.mimetype  # as the streamed download says it (send_file adds a charset)
    response.headers["Cache-Control"] = "no-store"
    return response
