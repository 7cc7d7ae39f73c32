"""Admin: the certificates issued (filtered, and downloaded as CSV), and revoking one with a reason (audited).

The CSV download runs the whole listing and writes an audit record, so it is a POST with a CSRF token, as the score
exports are; its cells go through the same formula-safe CSV writer.
"""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from quizapp.credentials import certificates, codes, issued
from quizapp.errors import DomainError
from quizapp.exports.formats import FORMATS
from quizapp.extensions import db
from quizapp.forms.credentials import CertificateFilterForm, RevokeForm
from quizapp.views.admin.blueprint import bp


def chosen(form: CertificateFilterForm) -> issued.Filters | None:
    """Return the filters of a valid form, or None (its errors are shown)."""
    if not form.with_choices(issued.STATES, issued.quiz_titles()).validate():
        return None
    return issued.Filters(form.state.data, form.quiz.data or None, form.since.data, form.until.data)


def listing(form: CertificateFilterForm, filters: issued.Filters | None, status: int = 200):
    """Render the list: a page of the certificates these filters match, or the form's errors."""
    page = issued.page(filters, request.args.get("page", 1, type=int)) if filters else None
    args = filters.as_args() if filters else {}
    return render_template("admin/certificates.html", form=form, page=page, args=args, grouped=codes.grouped), status


@bp.get("/certificates")
def certificates_list():
    """List the certificates issued, newest first, with their state, filtered as the query string says."""
    form = CertificateFilterForm(formdata=request.args or None, meta={"csrf": False})
    filters = chosen(form)
    return listing(form, filters, 200 if filters else 400)


@bp.get("/certificates/download", endpoint="certificates_bookmark")
def bookmark():
    """The download's address opened (an expired form is sent back here): the list, filtered as the query says."""
    args = {name: request.args[name] for name in ("state", "quiz", "since", "until") if name in request.args}
    return redirect(url_for("admin.certificates_list", **args), code=303)


@bp.post("/certificates/download")
def certificates_download():
    """Stream the filtered certificates as CSV, after recording the download (and its row count) in the audit log."""
    form = CertificateFilterForm()
    filters = chosen(form)
    if filters is None:
        return listing(form, None, 400)
    issued.log(filters, current_user, issued.count(filters))
    db.session.commit()
    fmt = FORMATS["csv"]
    response = Response(fmt.write(issued.COLUMNS, issued.rows(filters, db.engine), ""), content_type=fmt.mimetype)
    response.headers.set("Content-Disposition", "attachment", filename=issued.filename())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/certificates/<code>/revoke", methods=["GET", "POST"])
def certificate_revoke(code: str):
    """Revoke a certificate, saying why; the change is audited and the public page shows it at once."""
    cert = certificates.by_code(code) or abort(404)
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            certificates.revoke(cert, current_user, form.reason.data)
        except DomainError as exc:
            db.session.rollback()
            form.reason.errors.append(exc.message)
        else:
            db.session.commit()
            flash(f"Certificate {codes.grouped(code)} is revoked.", "success")
            return redirect(url_for("admin.certificates_list"), code=303)
    status = 422 if request.method == "POST" else 200
    return render_template("admin/certificate_revoke.html", cert=cert, form=form, grouped=codes.grouped), status
