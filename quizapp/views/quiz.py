"""A quiz's introduction (with the track intake when the quiz asks it) and the start of an attempt."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from quizapp import security
from quizapp.accounts import profiles
from quizapp.errors import DomainError
from quizapp.extensions import db
from quizapp.forms.intake import IntakeForm
from quizapp.forms.profile import StartForm, StartIntakeForm, prefilled
from quizapp.models import Quiz
from quizapp.recommendation import stored
from quizapp.taking import attempts, home
from quizapp.views.dispatch import commit_and_send
from quizapp.views.loaders import quiz_or_404
from quizapp.xapi import queueing as xapi

bp = Blueprint("quiz", __name__, url_prefix="/quizzes")


def start_form(quiz: Quiz) -> FlaskForm:
    """Return the start form: the intake (pre-filled from the profile) when the quiz asks it, else just CSRF."""
    if not quiz.spec().intake:
        return StartForm()
    # A form sent back shows what was sent, so the profile is read only to show the form.
    shown = current_user.is_authenticated and request.method == "GET"
    return prefilled(StartIntakeForm, profiles.intake_of(current_user) if shown else None, stored.rules())


def render_intro(quiz: Quiz, form: FlaskForm, status: int = 200):
    """Render the quiz introduction: questions, time limit, pass mark, attempts left."""
    spec = quiz.spec()
    signed_in = current_user.is_authenticated
    from_profile = signed_in and spec.intake and profiles.intake_of(current_user) is not None
    used = attempts.attempts_used(quiz, current_user) if signed_in else 0
    left = None if spec.attempts_allowed is None else max(0, spec.attempts_allowed - used)
    resume = attempts.open_attempt(quiz, current_user) if signed_in else None
    # What a new attempt would favour; an open attempt keeps the questions it drew.
    focused = signed_in and spec.focus_weakest and resume is None
    focus = home.focus_labels(spec, attempts.latest_topic_scores(current_user)) if focused else None
    return render_template(
        "quiz/show.html",
        quiz=quiz,
        spec=spec,
        left=left,
        form=form,
        from_profile=from_profile,
        resume=resume,
        question_count=sum(r.count for r in spec.draw),
        focus=focus,
    ), status


@bp.get("/<slug>")
def show(slug: str):
    """Show what the quiz is, and how to start it."""
    quiz = quiz_or_404(slug, published_only=True)
    return render_intro(quiz, start_form(quiz))


@bp.post("/<slug>/start")
@login_required
def start(slug: str):
    """Start (or resume) an attempt and go to its first question."""
    read, quiz = security.taken_read(current_user.id)  # the quiz and the learner's attempts at it, with the user
    if not read:
        quiz = quiz_or_404(slug, published_only=True)
    elif quiz is None or not quiz.published:
        abort(404)
    form = start_form(quiz)
    valid = form.validate_on_submit()
    # An invalid intake still resumes an open attempt.
    if not valid and attempts.open_attempt(quiz, current_user) is None:
        return render_intro(quiz_or_404(slug, published_only=True), form, 422)
    intake = form.intake() if valid and isinstance(form, IntakeForm) else None
    try:
        attempt = attempts.start(quiz, current_user, intake=intake)
        if intake is not None or form.time_zone.data:  # nothing to remember: no profile row written
            profiles.remember(current_user, intake, form.time_zone.data)
    except DomainError as exc:
        db.session.commit()
        flash(exc.message, "warning")
        return redirect(url_for("quiz.show", slug=slug), code=303)
    target = url_for("attempt.question", public_id=attempt.public_id, number=1)  # before the commit expires it
    commit_and_send(xapi.request(attempt), tell=False)
    return redirect(target, code=303)
