"""Admin: the certificates issued, and revoking one with a reason (audited)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from quizapp.credentials import certificates, codes
from quizapp.errors import DomainError
from quizapp.extensions import db
from quizapp.forms.credentials import RevokeForm
from quizapp.views.admin.blueprint import bp


@bp.get("/certificates")
def certificates_list():
    """List every certificate issued, newest first, with its state."""
    page = certificates.recent(request.args.get("page", 1, type=int))
    return render_template("admin/certificates.html", page=page, grouped=codes.grouped)


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
