"""The learner's profile page (intake, time zone, e-mail choices), the unsubscribe link, the local-time filter."""

from datetime import datetime

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from quizapp import timefmt
from quizapp.accounts import profiles
from quizapp.extensions import csrf, db
from quizapp.forms.admin import ConfirmForm
from quizapp.forms.profile import MailForm, ProfileForm, prefilled
from quizapp.mail import preferences
from quizapp.recommendation import stored

bp = Blueprint("profile", __name__)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def edit():
    """Show and save the intake answers (asked once, pre-filled everywhere) and the browser's time zone."""
    saved = profiles.intake_of(current_user)
    zone = profiles.time_zone_of(current_user)
    form = prefilled(ProfileForm, {**(saved or {}), "time_zone": zone}, stored.rules())
    if form.validate_on_submit():
        profiles.remember(current_user, form.intake(), form.time_zone.data)
        db.session.commit()
        flash("Your profile is saved. Quizzes and the course recommendation will start from these answers.", "success")
        return redirect(url_for("profile.edit"), code=303)
    status = 422 if request.method == "POST" else 200
    return render_template("profile/edit.html", form=form, zone=zone, **mail_forms()), status


def mail_forms() -> dict:
    """Return the e-mail choices form (pre-filled) and the resend-confirmation button for the profile page."""
    chosen = preferences.of(current_user)
    mail = MailForm(data={"reminders": chosen.reminders, "practice": chosen.practice}, prefix="mail")
    return {"mail_form": mail, "resend_form": ConfirmForm(prefix="resend")}


@bp.post("/profile/mail")
@login_required
def mail():
    """Save the learner's e-mail choices (card reminders, practice reminders)."""
    form = MailForm(prefix="mail")
    if form.validate_on_submit():
        preferences.choose(current_user, form.reminders.data, form.practice.data)
        db.session.commit()
        flash("Your e-mail choices are saved.", "success")
    return redirect(url_for("profile.edit"), code=303)


def listed_or_404(token: str):
    """Return the user and list a signed unsubscribe token names; a forged or altered token is a 404."""
    return preferences.read(token) or abort(404)


@bp.get("/unsubscribe/<token>")
def unsubscribe(token: str):
    """Show what the link turns off, with a button (a GET from a link checker changes nothing)."""
    _user, name = listed_or_404(token)
    return render_template("profile/unsubscribe.html", form=ConfirmForm(), token=token, what=preferences.LISTS[name])


@bp.post("/unsubscribe/<token>/confirm")
def unsubscribe_confirm(token: str):
    """Turn the list off from the page's button (its CSRF token is checked, as on every form)."""
    user, name = listed_or_404(token)
    preferences.unsubscribe(user, name)
    db.session.commit()
    return render_template("profile/unsubscribed.html", what=preferences.LISTS[name])


@bp.post("/unsubscribe/<token>")
# RFC 8058: the mail reader POSTs with no session and no CSRF token. The signed token stands in for both: a forged
# page cannot know it (it is only in the learner's mailbox), and it can only turn off this learner's one list.
@csrf.exempt
def unsubscribe_one_click(token: str):
    """Turn the list off at a mail reader's one-click POST (List-Unsubscribe-Post); no sign-in needed."""
    user, name = listed_or_404(token)
    preferences.unsubscribe(user, name)
    db.session.commit()
    return render_template("profile/unsubscribed.html", what=preferences.LISTS[name])


def viewer_zone() -> str | None:
    """Return the signed-in viewer's stored time zone (read once per request), or None."""
    if "viewer_zone" not in g:
        g.viewer_zone = profiles.time_zone_of(current_user) if current_user.is_authenticated else None
    return g.viewer_zone


@bp.app_template_filter("local_time")
def local_time(value: datetime | None) -> Markup:
    """Render a stored UTC time in the viewer's time zone, or in UTC with the zone named when it is unknown."""
    return timefmt.time_tag(value, viewer_zone())
