"""The standalone course recommendation and the page explaining the courses."""

from flask import Blueprint, render_template
from flask_login import current_user

from quizapp.accounts import profiles
from quizapp.forms.intake import IntakeForm
from quizapp.forms.profile import prefilled
from quizapp.recommendation import stored
from quizapp.taking import result_sources

bp = Blueprint("recommend", __name__)


@bp.route("/recommend", methods=["GET", "POST"])
def start():
    """Ask the intake questions and show the recommended course, with readiness from the track's own quiz."""
    rules = stored.rules()
    saved = profiles.intake_of(current_user) if current_user.is_authenticated else None
    form = prefilled(IntakeForm, saved, rules)
    view = attempt = None
    # Answers pre-filled from the profile give a recommendation straight away.
    if form.validate_on_submit() or (saved and not form.is_submitted()):
        learner = current_user if current_user.is_authenticated else None
        view, attempt = result_sources.for_intake(form.intake(), learner)
    return render_template("recommend/start.html", form=form, view=view, attempt=attempt, rules=rules)


@bp.get("/courses")
def courses():
    """Explain BLS for Healthcare Providers versus lay-rescuer CPR courses, in plain language."""
    return render_template("recommend/courses.html", rules=stored.rules())
