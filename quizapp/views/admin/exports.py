"""Admin: download score exports (attempts or responses) as CSV, CSV for Excel, XLSX or JSON Lines.

The chooser is a GET form and the download a GET with validated query parameters: downloading changes nothing
but the audit log, so it needs no CSRF token, and the URL can be bookmarked to repeat an export. A forged link can
at most make an admin's own browser download a file the forger cannot read (no CORS; the session cookie is
SameSite=Lax, so cross-site sub-requests are not signed in), leaving a true audit record of it.
"""

from __future__ import annotations

from flask import Response, redirect, render_template, request, stream_with_context, url_for
from flask_login import current_user

from quizapp.extensions import db
from quizapp.forms.admin import ExportForm
from quizapp.services import exports
from quizapp.services.errors import DomainError
from quizapp.services.export_formats import FORMATS
from quizapp.views.admin.blueprint import bp


def _form() -> ExportForm:
    """Return the export form read from the query string, offering every quiz."""
    return ExportForm(request.args).with_quizzes(exports.quiz_choices())


@bp.get("/exports", endpoint="exports")
def choose():
    """Choose the data, format and filters of an export."""
    return render_template("admin/exports.html", form=ExportForm().with_quizzes(exports.quiz_choices()))


@bp.get("/exports/download")
def export_download():
    """Validate the choice, log the export with its row count (committed first), then stream the file."""
    if not request.args:
        return redirect(url_for("admin.exports"))
    form = _form()
    if not form.validate():
        return render_template("admin/exports.html", form=form), 400
    filters = exports.Filters(form.quiz.data or None, form.since.data, form.until.data, form.status.data)
    try:
        export = exports.prepare(form.dataset.data, filters)
    except DomainError as exc:
        form.quiz.errors = [*form.quiz.errors, exc.message]
        return render_template("admin/exports.html", form=form), 400
    fmt = FORMATS[form.format.data]
    exports.log(export, current_user, fmt.name, source="web")
    db.session.commit()
    body = stream_with_context(fmt.write(export.columns, export.rows, export.dataset))
    response = Response(body, content_type=fmt.mimetype)
    response.headers.set("Content-Disposition", "attachment", filename=exports.filename(export.dataset, fmt.extension))
    response.headers["Cache-Control"] = "no-store"
    return response
