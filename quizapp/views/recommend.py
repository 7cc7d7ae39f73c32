"""The standalone course recommendation and the page explaining the courses."""

from flask import Blueprint, render_template
from flask_login import current_user

from quizapp.forms.intake import IntakeForm
from quizapp.services import recommendations, result_sources

bp = Blueprint("recommend", __name__)


@bp.route("/recommend", methods=["GET", "POST"])
def start():
    """Ask the intake questions and show the recommended course (with readiness from the latest result)."""
    rules = recommendations.rules()
    form = IntakeForm().use_rules(rules)
    view = attempt = None
    if form.validate_on_submit():
        learner = current_user if current_user.is_authenticated else None
        view, attempt = result_sources.for_intake(form.intake(), learner)
    return render_template("recommend/start.html", form=form, view=view, attempt=attempt, rules=rules)


@bp.get("/courses")
def courses():
    """Explain BLS for Healthcare Providers versus lay-rescuer CPR courses, in plain language."""
    return render_template("recommend/courses.html", rules=recommendations.rules())
