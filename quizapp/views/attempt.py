"""Taking an attempt: one question per page, review, submit, result."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from quizapp import security
from quizapp.credentials import certificates
from quizapp.errors import AttemptClosed, DomainError
from quizapp.extensions import db
from quizapp.forms import answer as answer_forms
from quizapp.jobs import queue
from quizapp.lti import framing, grades
from quizapp.models import Attempt, GradeStatus, Job
from quizapp.taking import attempts, open_sitting, pending, result_sources, sitting
from quizapp.taking.grading import AnswerError
from quizapp.views import question_page
from quizapp.views.dispatch import commit_and_send
from quizapp.xapi import queueing as xapi

bp = Blueprint("attempt", __name__, url_prefix="/attempts")


def attempt_or_404(public_id: str, with_quiz: bool = False) -> Attempt:
    """Load the current user's attempt (with its quiz for pages that show it); anyone else's is a 404."""
    attempt = attempts.for_user(public_id, current_user, with_quiz)
    if attempt is None:
        abort(404)
    if attempts.expire_if_due(attempt):
        commit_and_send(queue_grade(attempt), tell=False)
        commit_and_send(xapi.request(attempt), tell=False)
        flash(attempts.TIME_UP, "info")
    return attempt


def open_or_404(public_id: str) -> open_sitting.OpenSitting | Attempt:
    """Load the current user's attempt for the hot requests: one Core select while it is open and in time.

    Anyone else's is a 404; a closed or overdue attempt is loaded as an `Attempt` (and finalised when due).
    """
    read, found = security.taken_read(current_user.id)
    if not read:
        found = open_sitting.load(public_id, current_user.id)
    if found is None or not found.is_open or attempts.is_overdue(found):
        return attempt_or_404(public_id)
    return found


def queue_grade(attempt: Attempt) -> Job | None:
    """In a session a platform launched, record the score to return and the job that sends it (not this request)."""
    # Launched accounts have no password, so their attempts are always finished in a launched session.
    grade = grades.queue(attempt) if framing.launched() else None
    if grade is None or grade.status != GradeStatus.PENDING:
        return None
    job, new = queue.request("lti.grade", f"lti.grade:{grade.id}", {"grade_id": grade.id}, current_user)
    return job if new else None


def slot_or_404(attempt: Attempt | open_sitting.OpenSitting, number: int) -> tuple[dict, sitting.Pinned]:
    """Return the layout entry and pinned version for question `number` (1-based)."""
    if not 1 <= number <= attempt.question_count:
        abort(404)
    entry = attempt.layout[number - 1]
    return entry, sitting.pinned(entry["v"])


def flow(attempt: Attempt | open_sitting.OpenSitting, public_id: str) -> question_page.Flow:
    """Return the attempt's pages: its settings, its size, and its own routes (with autosave)."""
    args = {"public_id": public_id}
    return question_page.Flow(attempt.spec(), attempt.question_count, "attempt.", args, autosave=True)


@bp.route("/<public_id>/questions/<int:number>", methods=["GET", "POST"])
@login_required
def question(public_id: str, number: int):
    """Show one question; on POST save the answer, then follow the button pressed."""
    attempt = open_or_404(public_id)
    if not attempt.is_open:
        return redirect(url_for("attempt.result", public_id=public_id), code=303)
    _, version = slot_or_404(attempt, number)
    pages = flow(attempt, public_id)
    if request.method == "POST":
        keep = partial(attempts.save, attempt, number - 1)
        form, error = question_page.keep_posted(pages, sitting.attempt_slot(attempt, number, version, None), keep)
        if error is None:
            return question_page.onward(pages, number)
        if open_sitting.kept(attempt):  # a kept read serves a save, never a page: read afresh first
            return security.afresh(question, public_id=public_id, number=number)
    saved = sitting.saved_slots(attempt)
    slot = sitting.attempt_slot(attempt, number, version, saved.get(number - 1))
    if request.method == "GET":
        kept = pending.take(request.path)
        form, error = question_page.shown_form(slot, kept), (UNSAVED if kept is not None else None)
    navigator, remaining = sitting.navigator(attempt, saved), sitting.remaining_seconds(attempt)
    return question_page.render(pages, attempt.quiz, slot, form, error, navigator, remaining)


UNSAVED = (
    "This answer is not saved yet: your session expired before it arrived. Check it and press a button to save it."
)


@bp.post("/<public_id>/questions/<int:number>/autosave")
@login_required
def autosave(public_id: str, number: int):
    """Save an answer from the page script without leaving the page (JSON)."""
    attempt = open_or_404(public_id)
    entry, version = slot_or_404(attempt, number)
    q = version.spec()
    form = answer_forms.build(q, entry["order"], None, request.form)
    if not form.validate():
        if open_sitting.kept(attempt):  # a kept read serves a save, never a refusal: answer from a fresh read
            return security.afresh(autosave, public_id=public_id, number=number)
        return jsonify(saved=False, error="Please check your answer."), 422
    try:
        saved = attempts.save(
            attempt, number - 1, answer_forms.to_answer(q, entry["order"], form), bool(form.flag.data)
        )
    except (AnswerError, DomainError) as exc:
        if open_sitting.kept(attempt):
            return security.afresh(autosave, public_id=public_id, number=number)
        db.session.rollback()
        closed = isinstance(exc, AttemptClosed) or not attempt.is_open
        return jsonify(saved=False, error=getattr(exc, "message", str(exc)), closed=closed), 409
    saved_at = saved.saved_at  # read before the commit (a locked answer's flag change returns its ORM Response)
    open_sitting.commit()
    return jsonify(saved=True, saved_at=saved_at.isoformat() + "Z")


@bp.get("/<public_id>/review")
@login_required
def review(public_id: str):
    """List unanswered and flagged questions before submitting."""
    attempt = attempt_or_404(public_id, with_quiz=True)
    if not attempt.is_open:
        return redirect(url_for("attempt.result", public_id=public_id), code=303)
    navigator, remaining = sitting.navigator(attempt), sitting.remaining_seconds(attempt)
    return question_page.render_review(flow(attempt, public_id), attempt.quiz, navigator, remaining)


@bp.post("/<public_id>/submit")
@login_required
def submit(public_id: str):
    """Submit the attempt once; a repeated submit shows the same result."""
    attempt = attempt_or_404(public_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    attempts.submit(attempt)
    commit_and_send(queue_grade(attempt), tell=False)
    commit_and_send(xapi.request(attempt), tell=False)
    return redirect(url_for("attempt.result", public_id=public_id), code=303)


@bp.get("/<public_id>/result")
@login_required
def result(public_id: str):
    """Show the score, pass or fail, per-topic marks, the recommendation, the next steps and the allowed review."""
    attempt = attempt_or_404(public_id, with_quiz=True)
    if attempt.is_open:
        return redirect(url_for("attempt.review", public_id=public_id), code=303)
    spec = attempt.spec()
    rows = sitting.result_rows(attempt) if spec.review != "score_only" else []
    view = result_sources.for_attempt(attempt, current_user, rows)
    offer = certificates.offer(attempt, view)
    return render_template("attempt/result.html", attempt=attempt, spec=spec, rows=rows, view=view, offer=offer)
