"""The learner's profile page, and the filter that shows every time in the viewer's time zone."""

from datetime import datetime

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from quizapp import timefmt
from quizapp.accounts import profiles
from quizapp.extensions import db
from quizapp.forms.profile import ProfileForm, prefilled
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
    return render_template("profile/edit.html", form=form, zone=zone), status


def viewer_zone() -> str | None:
    """Return the signed-in viewer's stored time zone (read once per request), or None."""
    if "viewer_zone" not in g:
        g.viewer_zone = profiles.time_zone_of(current_user) if current_user.is_authenticated else None
    return g.viewer_zone


@bp.app_template_filter("local_time")
def local_time(value: datetime | None) -> Markup:
    """Render a stored UTC time in the viewer's time zone, or in UTC with the zone named when it is unknown."""
    return timefmt.time_tag(value, viewer_zone())
