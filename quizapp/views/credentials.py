"""Credentials: a ready result's certificate (issue, page, PDF), the public verification page, the learner's card."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError

from quizapp import timefmt
from quizapp.credentials import cards, certificates, codes, expiry, ics, layout
from quizapp.extensions import db, limiter
from quizapp.forms.credentials import CardForm, CertificateForm, PrivacyForm
from quizapp.models import Certificate
from quizapp.views.attempt import attempt_or_404

bp = Blueprint("credentials", __name__)


def verify_limit() -> str:
    """Return the configured rate limit of the public verification pages (per client address)."""
    return current_app.config["VERIFY_RATE_LIMIT"]


def own_certificate_or_404(code: str) -> Certificate:
    """Return the signed-in learner's certificate with this code; anyone else's, or none, is a 404."""
    return certificates.of_owner(code, current_user) or abort(404)


def verify_url(certificate: Certificate) -> str:
    """Return the public address of the certificate's verification page."""
    return url_for("credentials.verify", code=codes.grouped(certificate.code), _external=True)


@bp.app_template_filter("day")
def day(value: date) -> Markup:
    """Render a calendar day (no time zone applies) as '31 Mar 2027' in a <time> element."""
    return timefmt.day_tag(value)


@bp.route("/attempts/<public_id>/certificate", methods=["GET", "POST"])
@login_required
def issue(public_id: str):
    """Ask for the name to print, then issue the certificate of a ready result (once) and show it."""
    attempt = attempt_or_404(public_id, with_quiz=True)
    if attempt.is_open:
        abort(404)
    existing = certificates.of_attempt(attempt)
    if existing is not None:
        return redirect(url_for("credentials.certificate", code=existing.code), code=303)
    form = CertificateForm(data=None if request.method == "POST" else {"name": current_user.display_name})
    if form.validate_on_submit():
        try:
            certificate = certificates.issue(attempt, current_user, form.name.data)
            code = certificate.code
            db.session.commit()
        except certificates.NotEligible as exc:
            db.session.rollback()
            return render_template("credentials/issue.html", attempt=attempt, form=None, error=exc.message), 409
        except IntegrityError:  # the same attempt issued at the same moment in another tab
            db.session.rollback()
            code = certificates.of_attempt(attempt).code
        return redirect(url_for("credentials.certificate", code=code), code=303)
    status = 422 if request.method == "POST" else 200
    return render_template("credentials/issue.html", attempt=attempt, form=form, error=None), status


@bp.get("/certificates/<code>")
@login_required
def certificate(code: str):
    """Show the learner's certificate: what it says, its download, its public verification address."""
    cert = own_certificate_or_404(code)
    return render_template(
        "credentials/certificate.html", cert=cert, url=verify_url(cert), info=certificates.public(cert)
    )


@bp.get("/certificates/<code>.pdf")
@login_required
def download(code: str):
    """Send the certificate's PDF (the same bytes every time)."""
    cert = own_certificate_or_404(code)
    pdf = layout.render(certificates.content(cert, verify_url(cert)))
    filename = f"certificate-{codes.grouped(cert.code)}.pdf"
    return Response(
        pdf, mimetype="application/pdf", headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@bp.get("/credentials")
@login_required
def index():
    """The learner's credentials: their card and its expiry, their certificates, the verification-page choice."""
    card = cards.of(current_user)
    privacy = PrivacyForm(data={"hide_name": certificates.hides_name(current_user)})
    return render_template(
        "credentials/index.html",
        card=card,
        summary=cards.summary(current_user, card),
        certs=certificates.of_user(current_user),
        privacy=privacy,
    )


@bp.post("/credentials/privacy")
@login_required
def privacy():
    """Save whether the verification page shows the learner's name."""
    form = PrivacyForm()
    if not form.validate_on_submit():
        abort(400)
    certificates.set_hide_name(current_user, bool(form.hide_name.data))
    db.session.commit()
    words = "hidden on" if form.hide_name.data else "shown on"
    return _done(f"Your name is now {words} the verification page of your certificates.")


@bp.route("/credentials/card", methods=["GET", "POST"])
@login_required
def card():
    """Record or change the learner's card; the expiry is the provider's rule unless the learner gives one."""
    saved = cards.of(current_user)
    form = CardForm(obj=None if request.method == "POST" else saved)
    if saved is not None and request.method == "GET" and not saved.expiry_overridden:
        form.expires_on.data = None
    form.today = cards.today_for(current_user)
    if form.validate_on_submit():
        cards.record(current_user, cards.CardInput(*(getattr(form, f).data for f in cards.CARD_FIELDS)))
        db.session.commit()
        return _done("Your card is saved.")
    status = 422 if request.method == "POST" else 200
    return render_template("credentials/card.html", form=form, rules=expiry.RULES, today=form.today), status


@bp.post("/credentials/card/remove")
@login_required
def remove_card():
    """Forget the learner's card."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    removed = cards.remove(current_user)
    db.session.commit()
    return _done("Your card is removed." if removed else "There was no card to remove.")


@bp.get("/credentials/card/renewal.ics")
@login_required
def calendar():
    """Send the renewal date as an iCalendar file."""
    saved = cards.of(current_user) or abort(404)
    link = url_for("quiz.show", slug=cards.readiness_quiz(saved), _external=True)
    body = ics.calendar(cards.renewal(saved, link, request.host.split(":")[0]))
    disposition = 'attachment; filename="cpr-card-renewal.ics"'
    return Response(body, mimetype="text/calendar", headers={"Content-Disposition": disposition})


@bp.get("/verify")
@limiter.shared_limit(verify_limit, scope="verify")
def lookup():
    """The verification form: a typed code leads to its page."""
    typed = codes.normalise(request.args.get("code", ""))
    if typed:
        return redirect(url_for("credentials.verify", code=codes.grouped(typed)), code=303)
    return render_template("credentials/lookup.html")


@bp.get("/verify/<code>")
@limiter.shared_limit(verify_limit, scope="verify")
def verify(code: str):
    """Show anyone what a certificate says and whether it was revoked; an unknown code is a 404 page."""
    cert = certificates.by_code(code)  # one query, whatever the code looks like
    if cert is None:
        return render_template("credentials/unknown.html"), 404
    response = Response(render_template("credentials/verify.html", info=certificates.public(cert)))
    response.headers["Cache-Control"] = "no-store"  # a revocation shows at once
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _done(message: str):
    """Post/Redirect/Get to the credentials page with a confirmation."""
    flash(message, "success")
    return redirect(url_for("credentials.index"), code=303)
