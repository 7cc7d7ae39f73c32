"""Admin: the learning platforms registered for LTI 1.3, and the tool's own URLs to give them."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from quizapp.extensions import db
from quizapp.forms.admin import ConfirmForm
from quizapp.forms.lti import RegistrationForm
from quizapp.lti import registrations
from quizapp.lti.registrations import RegistrationError
from quizapp.models import LtiRegistration
from quizapp.views.admin.blueprint import bp


def tool_urls() -> dict[str, str]:
    """Return the URLs a platform's administrator enters for quizapp."""
    return {
        "Tool URL / redirection URI / target link URI": url_for("lti.launch", _external=True),
        "Initiate login URL / OpenID Connect login": url_for("lti.login", _external=True),
        "Public keyset URL (JWKS)": url_for("lti.jwks", _external=True),
        "Deep linking (content selection) URL": url_for("lti.launch", _external=True),
    }


@bp.get("/lti")
def lti_registrations():
    """List the registered platforms and the tool's URLs."""
    return render_template(
        "admin/lti.html", registrations=registrations.all_registrations(), urls=tool_urls(), form=ConfirmForm()
    )


@bp.route("/lti/new", methods=["GET", "POST"], defaults={"registration_id": None})
@bp.route("/lti/<int:registration_id>", methods=["GET", "POST"])
def lti_edit(registration_id: int | None):
    """Register a platform, or change a registration; audited."""
    registration = db.get_or_404(LtiRegistration, registration_id) if registration_id else None
    form = RegistrationForm(obj=registration)
    if registration is not None and not form.is_submitted():
        form.deployment_ids.data = "\n".join(registration.deployment_ids)
    error = None
    if form.validate_on_submit():
        try:
            registrations.save(current_user, form.details(), registration)
        except RegistrationError as exc:
            db.session.rollback()
            error = exc.message
        else:
            db.session.commit()
            flash("The platform registration was saved.", "success")
            return redirect(url_for("admin.lti_registrations"), code=303)
    status = 422 if form.is_submitted() else 200
    return render_template("admin/lti_edit.html", form=form, registration=registration, error=error), status


@bp.post("/lti/<int:registration_id>/active")
def lti_toggle(registration_id: int):
    """Turn a registration off (its launches are refused) or back on; audited."""
    registration = db.get_or_404(LtiRegistration, registration_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    registrations.set_active(current_user, registration, not registration.active)
    db.session.commit()
    flash(f"{registration.name} is now {'on' if registration.active else 'off'}.", "success")
    return redirect(url_for("admin.lti_registrations"), code=303)
