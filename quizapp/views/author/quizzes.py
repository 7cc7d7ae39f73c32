"""The quiz builder: list, create, edit and publish quizzes (validated by the same QuizSpec as quizzes.yaml)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm

from quizapp.authoring import quiz_builder
from quizapp.extensions import db
from quizapp.forms.quiz import QuizForm, quiz_form
from quizapp.models import Quiz
from quizapp.views.author.blueprint import bp
from quizapp.views.loaders import quiz_or_404


@bp.get("/quizzes")
def quiz_list():
    """List every quiz with its attempts, and the actions on it."""
    return render_template("author/quizzes/quiz_list.html", rows=quiz_builder.overview(), form=FlaskForm())


@bp.route("/quizzes/new", methods=["GET", "POST"])
def quiz_new():
    """Create a quiz."""
    return save_or_render(quiz_form(quiz_builder.bank_options()), None)


@bp.route("/quizzes/<slug>/edit", methods=["GET", "POST"])
def quiz_edit(slug: str):
    """Edit a quiz; attempts already started keep the questions they drew."""
    quiz = quiz_or_404(slug)
    return save_or_render(quiz_form(quiz_builder.bank_options(), quiz.settings), quiz)


def save_or_render(form: QuizForm, quiz: Quiz | None):
    """Save a valid submit and redirect (Post/Redirect/Get); else show the form, re-rendered for rule buttons."""
    if form.is_submitted() and form.change_rules(request.form):
        return render_form(form, quiz, 200)
    if not form.validate_on_submit():
        return render_form(form, quiz, 422 if form.is_submitted() else 200)
    try:
        saved = quiz_builder.save(form.spec_data(), quiz)
    except quiz_builder.QuizInvalid as exc:
        db.session.rollback()
        form.show_errors(exc.errors)
        return render_form(form, quiz, 422)
    db.session.commit()
    state = "published" if saved.published else "not published"
    flash(f"Quiz \u201c{saved.title}\u201d saved ({state}).", "success")
    return redirect(url_for("author.quiz_edit", slug=saved.slug), code=303)


def render_form(form: QuizForm, quiz: Quiz | None, status: int):
    """Render the builder form, saying how many attempts are in progress and which banks an exam shares."""
    in_progress = quiz_builder.open_attempts(quiz) if quiz is not None else 0
    shared = quiz_builder.shared_bank_warnings(quiz) if quiz is not None else []
    context = {"form": form, "quiz": quiz, "in_progress": in_progress, "shared_banks": shared}
    return render_template("author/quizzes/quiz_form.html", **context), status


@bp.post("/quizzes/<slug>/publish")
def quiz_publish(slug: str):
    """Publish or unpublish a quiz (a published quiz must be drawable right now)."""
    quiz = quiz_or_404(slug)
    published = request.form.get("published", "1" if not quiz.published else "0") == "1"
    try:
        quiz_builder.set_published(quiz, published)
    except quiz_builder.QuizInvalid as exc:
        db.session.rollback()
        for messages in exc.errors.values():
            flash(f"\u201c{quiz.title}\u201d cannot be published: {' '.join(messages)}", "error")
        return redirect(url_for("author.quiz_list"), code=303)
    db.session.commit()
    flash(f"\u201c{quiz.title}\u201d is {'now published' if published else 'no longer published'}.", "success")
    return redirect(url_for("author.quiz_list"), code=303)
