"""Admin: the background-job queue (queued, running and failed jobs) and a retry for failed ones."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from quizapp.errors import DomainError
from quizapp.extensions import db
from quizapp.forms.admin import ConfirmForm
from quizapp.jobs import queue
from quizapp.jobs.kinds import LABELS
from quizapp.models import Job
from quizapp.views.admin.blueprint import bp
from quizapp.views.dispatch import commit_and_send


@bp.get("/jobs")
def jobs():
    """List queued, running and failed jobs with their kind, who started them, progress and error."""
    return render_template("admin/jobs.html", rows=queue.listing(), labels=LABELS, form=ConfirmForm())


@bp.post("/jobs/<int:job_id>/retry")
def retry_job(job_id: int):
    """Queue a failed job again (audited), then send it to a worker."""
    job = db.session.get(Job, job_id) or abort(404)
    if not ConfirmForm().validate_on_submit():
        flash("That request was not valid; please try again from this page.", "error")
        return redirect(url_for("admin.jobs"), code=303)
    try:
        queue.retry(job, current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("admin.jobs"), code=303)
    if commit_and_send(job):
        flash(f"Job {job_id} was queued again.", "success")
    return redirect(url_for("admin.jobs"), code=303)
