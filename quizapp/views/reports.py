"""Reports for instructors and admins: per-quiz score summaries and item statistics."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.routing import BuildError

from quizapp import clock, timefmt
from quizapp.extensions import db
from quizapp.jobs import queue
from quizapp.reporting import item_report, reports
from quizapp.taking import sitting
from quizapp.views.access import authors_only
from quizapp.views.dispatch import commit_and_send
from quizapp.views.loaders import quiz_or_404

bp = Blueprint("report", __name__, url_prefix="/reports")


QUESTION_PAGES = ("author.question", "author.edit_question")


def question_url(key: str) -> str | None:
    """Return the author's page for a question, when the authoring area has one."""
    for endpoint in QUESTION_PAGES:
        try:
            return url_for(endpoint, key=key)
        except BuildError:
            continue
    return None


@bp.get("/")
@authors_only
def index():
    """List every quiz with how many finished attempts it has."""
    return render_template("reports/index.html", rows=reports.quiz_index())


@bp.get("/<slug>")
@authors_only
def quiz(slug: str):
    """Show a quiz's score summary: pass rate, mean, median, histogram, topics, tracks and readiness."""
    quiz = quiz_or_404(slug)
    mode = reports.parse_mode(request.args.get("attempts"))
    data = reports.summary(quiz, mode)
    labels = sitting.topic_labels(list(data["topics"]))
    return render_template("reports/quiz.html", quiz=quiz, spec=quiz.spec(), mode=mode, data=data, labels=labels)


@bp.app_template_filter("age")
def age(value: datetime) -> str:
    """Say how long ago a stored time was ("5 minutes ago")."""
    return timefmt.age_text(value, clock.now())


@bp.get("/<slug>/items")
@authors_only
def items(slug: str):
    """Show item statistics per question and for the whole test, and any recompute queued or running."""
    quiz = quiz_or_404(slug)
    mode = reports.parse_mode(request.args.get("attempts"))
    report = item_report.items(quiz, mode)
    db.session.commit()  # a report computed now is stored for every worker
    job = queue.latest(item_report.recompute_key(quiz.id, mode))
    keys = [q["key"] for q in report.data["questions"]] if report else []
    return render_template(
        "reports/items.html",
        quiz=quiz,
        mode=mode,
        data=report.data if report else None,
        report=report,
        job=job,
        labels=item_report.question_labels(keys),
        links={key: question_url(key) for key in keys},
    )


@bp.get("/<slug>/items/job")
@authors_only
def items_job(slug: str):
    """Return the status of the quiz's latest recompute (a fragment the items page refreshes while it runs)."""
    quiz = quiz_or_404(slug)
    mode = reports.parse_mode(request.args.get("attempts"))
    job = queue.latest(item_report.recompute_key(quiz.id, mode))
    return render_template("reports/_job_status.html", quiz=quiz, mode=mode, job=job, fragment=True)


@bp.post("/<slug>/items/recalculate")
@authors_only
def recalculate_items(slug: str):
    """Queue a recompute of the item statistics with every attempt finished so far (one per quiz and mode)."""
    quiz = quiz_or_404(slug)
    mode = reports.parse_mode(request.form.get("attempts"))
    params = {"quiz_id": quiz.id, "mode": mode}
    job, new = queue.request("items", item_report.recompute_key(quiz.id, mode), params, current_user)
    if new:
        commit_and_send(job)
    return redirect(url_for("report.items", slug=slug, attempts=mode if mode != "first" else None), code=303)
