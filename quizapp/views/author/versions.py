"""A question's version history (what changed, by whom) and regrading past responses."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from quizapp.authoring import editing, regrade, versiondiff
from quizapp.extensions import db
from quizapp.forms.author import RegradeForm
from quizapp.views.author.blueprint import bp
from quizapp.views.loaders import question_or_404, version_or_404


@bp.get("/questions/<key>/history")
def history(key: str):
    """List every version with its author, date, note and a field-by-field diff from the one before."""
    question = question_or_404(key)
    rows = editing.history(question)
    specs = [version.spec() for version, _ in rows]
    diffs = [versiondiff.diff(specs[i + 1] if i + 1 < len(specs) else None, spec) for i, spec in enumerate(specs)]
    return render_template("author/history.html", question=question, rows=rows, diffs=diffs)


@bp.route("/questions/<key>/regrade", methods=["GET", "POST"])
def regrade_question(key: str):
    """Dry-run a regrade against a chosen version (GET), or commit it (POST)."""
    question = question_or_404(key)
    numbers = [version.number for version, _ in editing.history(question)]
    target = version_or_404(question, request.values.get("version", type=int))
    form = RegradeForm.from_request(numbers, target.number)
    if request.method == "POST" and form.validate():
        outcome = regrade.apply(question, target, current_user)
        db.session.commit()
        flash(_summary(outcome, target.number), "success" if outcome.attempts else "info")
        return redirect(url_for("author.regrade_question", key=key, version=target.number), code=303)
    plan = regrade.plan(question, target)
    return render_template("author/regrade_question.html", question=question, form=form, plan=plan, target=target)


def _summary(outcome: regrade.Outcome, number: int) -> str:
    """Describe a committed regrade in one sentence."""
    if not outcome.attempts:
        return f"Nothing to regrade: no finished attempt holds another compatible version (target: version {number})."
    return f"Regraded {outcome.attempts} attempt(s) against version {number}; {outcome.score_changed} changed score" + (
        f"; {outcome.skipped} skipped." if outcome.skipped else "."
    )
