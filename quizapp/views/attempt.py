"""Taking an attempt: one question per page, review, submit, result."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import Row

from quizapp.credentials import certificates
from quizapp.errors import DomainError
from quizapp.extensions import db
from quizapp.forms import answer as answer_forms
from quizapp.models import Attempt, QuestionVersion
from quizapp.taking import attempts, pending, result_sources, sitting
from quizapp.taking.grading import AnswerError

bp = Blueprint("attempt", __name__, url_prefix="/attempts")


def attempt_or_404(public_id: str, with_quiz: bool = False) -> Attempt:
    """Load the current user's attempt (with its quiz for pages that show it); anyone else's is a 404."""
    attempt = attempts.for_user(public_id, current_user, with_quiz)
    if attempt is None:
        abort(404)
    if attempts.expire_if_due(attempt):
        db.session.commit()
        flash(attempts.TIME_UP, "info")
    return attempt


def slot_or_404(attempt: Attempt, number: int) -> tuple[dict, QuestionVersion]:
    """Return the layout entry and pinned version for question `number` (1-based)."""
    if not 1 <= number <= attempt.question_count:
        abort(404)
    entry = attempt.layout[number - 1]
    return entry, db.session.get(QuestionVersion, entry["v"])


def target_url(attempt: Attempt, number: int, go: str | None) -> str:
    """Return where the learner's button leads: previous, next, a numbered question, or the review."""
    if go == "review" or (go == "next" and number == attempt.question_count):
        return url_for("attempt.review", public_id=attempt.public_id)
    step = {"prev": number - 1, "next": number + 1}.get(go or "")
    if step is None:
        step = int(go) if (go or "").isdigit() else number
    step = min(max(step, 1), attempt.question_count)
    return url_for("attempt.question", public_id=attempt.public_id, number=step)


@bp.route("/<public_id>/questions/<int:number>", methods=["GET", "POST"])
@login_required
def question(public_id: str, number: int):
    """Show one question; on POST save the answer, then follow the button pressed."""
    attempt = attempt_or_404(public_id, with_quiz=request.method == "GET")
    if not attempt.is_open:
        return redirect(url_for("attempt.result", public_id=public_id), code=303)
    entry, version = slot_or_404(attempt, number)
    q = version.spec()
    if request.method == "POST":
        form = answer_forms.build(q, entry["order"], None, request.form)
        target = target_url(attempt, number, request.form.get("go"))  # before the commit expires the attempt
        error = _save(attempt, number, q, entry, form)
        if error is None:
            return redirect(target, code=303)
        saved, status = sitting.saved_slots(attempt), 422
    else:
        saved = sitting.saved_slots(attempt)
        form, kept = _unsaved_or_saved_form(q, entry, saved.get(number - 1))
        error, status = (UNSAVED if kept else None), 200
    context = _page(attempt, number, q, version, form, error, saved)
    return render_template("attempt/question.html", **context), status


UNSAVED = (
    "This answer is not saved yet: your session expired before it arrived. Check it and press a button to save it."
)


def _unsaved_or_saved_form(q, entry: dict, saved: Row | None):
    """Return the form showing an answer kept from an expired session, else the saved answer; and which it is."""
    kept = pending.take(request.path)
    if kept is not None:
        return answer_forms.build(q, entry["order"], None, kept), True
    form = answer_forms.build(q, entry["order"], saved.answer if saved else None)
    form.flag.data = bool(saved and saved.flagged)
    return form, False


def _save(attempt: Attempt, number: int, q, entry: dict, form) -> str | None:
    """Validate and save the posted answer; return an error message or None."""
    if not form.validate():
        return "Please check your answer: " + "; ".join(e for errs in form.errors.values() for e in errs)
    try:
        answer = answer_forms.to_answer(q, entry["order"], form)
        spec = attempt.spec()
        check = spec.feedback == "immediate" and request.form.get("go") == "check"
        attempts.save(attempt, number - 1, answer, bool(form.flag.data), check=check)
    except (AnswerError, DomainError) as exc:
        db.session.rollback()
        return str(exc.message if isinstance(exc, DomainError) else exc)
    db.session.commit()
    notice = sitting.locked_notice(spec.review, check and answer is not None)
    if notice:
        flash(notice, "info")
    return None


def _page(
    attempt: Attempt, number: int, q, version: QuestionVersion, form, error: str | None, saved: dict[int, Row]
) -> dict:
    """Assemble the question page's context (`saved` is `sitting.saved_slots`, loaded once by the view)."""
    spec = attempt.spec()
    mine, order = saved.get(number - 1), attempt.layout[number - 1]["order"]
    checked = sitting.feedback(q, version, mine, order) if mine is not None and mine.locked else None
    shown = sitting.checked_feedback(checked, spec.review) if checked is not None else None
    return {
        "attempt": attempt,
        "quiz_spec": spec,
        "number": number,
        "total": attempt.question_count,
        "question": q,
        "form": form,
        "error": error,
        "navigator": sitting.navigator(attempt, saved),
        "remaining": sitting.remaining_seconds(attempt),
        "feedback": shown,
        "locked": bool(mine and mine.locked),
        "order": order,
    }


@bp.post("/<public_id>/questions/<int:number>/autosave")
@login_required
def autosave(public_id: str, number: int):
    """Save an answer from the page script without leaving the page (JSON)."""
    attempt = attempt_or_404(public_id)
    entry, version = slot_or_404(attempt, number)
    q = version.spec()
    form = answer_forms.build(q, entry["order"], None, request.form)
    if not form.validate():
        return jsonify(saved=False, error="Please check your answer."), 422
    try:
        saved = attempts.save(
            attempt, number - 1, answer_forms.to_answer(q, entry["order"], form), bool(form.flag.data)
        )
    except (AnswerError, DomainError) as exc:
        db.session.rollback()
        return jsonify(saved=False, error=getattr(exc, "message", str(exc)), closed=not attempt.is_open), 409
    saved_at = saved.saved_at  # read before the commit expires it
    db.session.commit()
    return jsonify(saved=True, saved_at=saved_at.isoformat() + "Z")


@bp.get("/<public_id>/review")
@login_required
def review(public_id: str):
    """List unanswered and flagged questions before submitting."""
    attempt = attempt_or_404(public_id, with_quiz=True)
    if not attempt.is_open:
        return redirect(url_for("attempt.result", public_id=public_id), code=303)
    return render_template(
        "attempt/review.html",
        attempt=attempt,
        navigator=sitting.navigator(attempt),
        remaining=sitting.remaining_seconds(attempt),
        form=FlaskForm(),
    )


@bp.post("/<public_id>/submit")
@login_required
def submit(public_id: str):
    """Submit the attempt once; a repeated submit shows the same result."""
    attempt = attempt_or_404(public_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    attempts.submit(attempt)
    db.session.commit()
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
