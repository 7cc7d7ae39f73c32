"""The catalog of published quizzes and the learner's history."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from quizapp.taking import catalog, home

bp = Blueprint("catalog", __name__)


@bp.get("/")
def index():
    """List published quizzes; a signed-in learner first sees their attempts in progress, last result and practice."""
    user = current_user if current_user.is_authenticated else None
    entries = catalog.entries(user)
    summary = home.summary(user, entries) if user else None
    return render_template("catalog/index.html", entries=entries, home=summary)


@bp.get("/history")
@login_required
def history():
    """List the learner's attempts with their scores."""
    return render_template("catalog/history.html", rows=catalog.history(current_user))
