"""The standalone course recommendation and the page explaining the courses."""

from flask import Blueprint, render_template
from flask_login import current_user

from quizapp import recommend as recommender
from quizapp.forms.intake import IntakeForm
from quizapp.forms.profile import prefilled
from quizapp.services import profiles, recommendations

bp = Blueprint("recommend", __name__)


@bp.route("/recommend", methods=["GET", "POST"])
def start():
    """Ask the intake questions (pre-filled from the profile, whose answers give a recommendation straight away) and
    show the recommended course (with readiness from the latest result)."""
    rules = recommendations.rules()
    saved = profiles.intake_of(current_user) if current_user.is_authenticated else None
    form = prefilled(IntakeForm, saved, rules)
    result = attempt = None
    if form.validate_on_submit() or (saved and not form.is_submitted()):
        scores = None
        if current_user.is_authenticated:
            attempt, scores = recommendations.latest_scores(current_user)
        result = recommender.recommend(form.intake(), scores, rules)
    return render_template("recommend/start.html", form=form, result=result, attempt=attempt, rules=rules)


@bp.get("/courses")
def courses():
    """Explain BLS for Healthcare Providers versus lay-rescuer CPR courses, in plain language."""
    return render_template("recommend/courses.html", rules=recommendations.rules())
