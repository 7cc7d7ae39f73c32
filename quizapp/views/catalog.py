"""The catalog of published quizzes and the learner's history."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from quizapp.credentials import cards, certificates
from quizapp.taking import catalog, home

bp = Blueprint("catalog", __name__)


@bp.get("/")
def index():
    """List published quizzes; a signed-in learner first sees their attempts in progress, last result and practice."""
    user = current_user if current_user.is_authenticated else None
    entries = catalog.entries(user)
    summary = home.summary(user, entries) if user else None
    card = cards.summary(user) if user else None
    return render_template("catalog/index.html", entries=entries, home=summary, card=card)


@bp.get("/history")
@login_required
def history():
    """List the learner's attempts with their scores."""
    rows = catalog.history(current_user)
    issued = certificates.by_attempt(current_user)
    ready = certificates.ready_attempts([a for row in rows for a in row.attempts if a.id not in issued])
    return render_template("catalog/history.html", rows=rows, issued=issued, ready=ready)
