"""A quiz's introduction and the start of an attempt."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Quiz
from quizapp.services import attempts
from quizapp.services.errors import DomainError

bp = Blueprint("quiz", __name__, url_prefix="/quizzes")


def published_quiz(slug: str) -> Quiz:
    """Load a published quiz or answer 404."""
    quiz = db.session.execute(select(Quiz).where(Quiz.slug == slug, Quiz.published.is_(True))).scalar_one_or_none()
    if quiz is None:
        abort(404)
    return quiz


@bp.get("/<slug>")
def show(slug: str):
    """Show what the quiz is: questions, time limit, pass mark, attempts left."""
    quiz = published_quiz(slug)
    spec = quiz.spec()
    used = attempts.attempts_used(quiz, current_user) if current_user.is_authenticated else 0
    resume = attempts.open_attempt(quiz, current_user) if current_user.is_authenticated else None
    left = None if spec.attempts_allowed is None else max(0, spec.attempts_allowed - used)
    return render_template(
        "quiz/show.html", quiz=quiz, spec=spec, left=left, resume=resume, form=FlaskForm(),
        question_count=sum(r.count for r in spec.draw),
    )


@bp.post("/<slug>/start")
@login_required
def start(slug: str):
    """Start (or resume) an attempt and go to its first question."""
    quiz = published_quiz(slug)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        attempt = attempts.start(quiz, current_user)
    except DomainError as exc:
        db.session.commit()
        flash(exc.message, "warning")
        return redirect(url_for("quiz.show", slug=slug), code=303)
    db.session.commit()
    return redirect(url_for("attempt.question", public_id=attempt.public_id, number=1), code=303)
