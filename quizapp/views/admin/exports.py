"""Admin: download score exports (attempts or responses) as CSV, CSV for Excel, XLSX or JSON Lines.

The download runs a whole export and writes an audit record, so it is a POST with a CSRF token: an image or link
in authored Markdown (`![](/admin/exports/download?...)`) that an admin's browser fetches can no longer run one. A
GET of the download address (an old bookmark) only opens the chooser filled in with its parameters.
"""

from __future__ import annotations

from flask import Response, redirect, render_template, request, stream_with_context, url_for
from flask_login import current_user

from quizapp.errors import DomainError
from quizapp.exports import datasets
from quizapp.exports.formats import FORMATS
from quizapp.extensions import db
from quizapp.forms.admin import ExportForm
from quizapp.views.admin.blueprint import bp

CHOICES = ("dataset", "format", "quiz", "since", "until", "status")  # the chooser's fields, as query parameters


@bp.get("/exports", endpoint="exports")
def choose():
    """Choose the data, format and filters of an export (filled in from the query string, if any)."""
    form = ExportForm(formdata=request.args or None).with_quizzes(datasets.quiz_choices())
    return render_template("admin/exports.html", form=form)


@bp.get("/exports/download", endpoint="export_bookmark")
def bookmark():
    """An old download address: open the chooser with its choices filled in, exporting nothing."""
    choices = {name: request.args[name] for name in CHOICES if name in request.args}
    return redirect(url_for("admin.exports", **choices), code=303)


@bp.post("/exports/download")
def export_download():
    """Validate the choice, log the export with its row count (committed first), then stream the file."""
    form = ExportForm().with_quizzes(datasets.quiz_choices())
    if not form.validate():
        return render_template("admin/exports.html", form=form), 400
    filters = datasets.Filters(form.quiz.data or None, form.since.data, form.until.data, form.status.data)
    try:
        export = datasets.prepare(form.dataset.data, filters)
    except DomainError as exc:
        form.quiz.errors = [*form.quiz.errors, exc.message]
        return render_template("admin/exports.html", form=form), 400
    fmt = FORMATS[form.format.data]
    datasets.log(export, current_user, fmt.name, source="web")
    db.session.commit()
    body = stream_with_context(fmt.write(export.columns, export.rows, export.dataset))
    response = Response(body, content_type=fmt.mimetype)
    response.headers.set("Content-Disposition", "attachment", filename=datasets.filename(export.dataset, fmt.extension))
    response.headers["Cache-Control"] = "no-store"
    return response
