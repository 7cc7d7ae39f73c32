"""Preview: an instructor takes a quiz as a learner would, with nothing recorded (the session holds it)."""

from __future__ import annotations

from functools import partial

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_wtf import FlaskForm

from quizapp.authoring import preview
from quizapp.models import Quiz
from quizapp.views import question_page
from quizapp.views.author.blueprint import bp
from quizapp.views.loaders import quiz_or_404


@bp.route("/quizzes/<slug>/preview", methods=["GET", "POST"])
def quiz_preview(slug: str):
    """Show the preview's start page; POST draws a fresh preview and opens its first question."""
    quiz = quiz_or_404(slug)
    form = FlaskForm()
    if not form.validate_on_submit():
        current = preview.state(quiz, session)
        page = "author/preview/quiz_preview.html"
        return render_template(page, quiz=quiz, spec=quiz.spec(), current=current, form=form)
    try:
        count = preview.start(quiz, session)
    except preview.PreviewUnavailable as exc:
        flash(exc.message, "error")
        return redirect(url_for("author.quiz_preview", slug=slug), code=303)
    if count > preview.MAX_SLOTS:
        flash(f"This preview shows the first {preview.MAX_SLOTS} of the quiz's {count} questions.", "info")
    return redirect(url_for("author.quiz_preview_question", slug=slug, number=1), code=303)


def open_preview(quiz: Quiz) -> dict | None:
    """Return the session's unfinished preview of this quiz, or None."""
    current = preview.state(quiz, session)
    return current if current is not None and not current["done"] else None


def elsewhere(quiz: Quiz):
    """Send the instructor to the result of a finished preview, or to the start page."""
    if preview.state(quiz, session) is not None:
        return redirect(url_for("author.quiz_preview_result", slug=quiz.slug), code=303)
    flash("Start the preview first.", "info")
    return redirect(url_for("author.quiz_preview", slug=quiz.slug), code=303)


def flow(quiz: Quiz, current: dict) -> question_page.Flow:
    """Return the preview's pages: the quiz's settings, the preview's size, its own routes (no autosave)."""
    args = {"slug": quiz.slug}
    return question_page.Flow(quiz.spec(), len(current["slots"]), "author.quiz_preview_", args, preview=True)


@bp.route("/quizzes/<slug>/preview/<int:number>", methods=["GET", "POST"])
def quiz_preview_question(slug: str, number: int):
    """Show one question of the preview; on POST keep the answer in the session and follow the button."""
    quiz = quiz_or_404(slug)
    current = open_preview(quiz)
    if current is None:
        return elsewhere(quiz)
    item = preview.slot(current, number) or abort(404)
    pages = flow(quiz, current)
    if request.method == "POST":
        form, error = question_page.keep_posted(pages, item, partial(preview.save, session, current, item))
        if error is None:
            return question_page.onward(pages, number)
    else:
        form, error = question_page.shown_form(item), None
    return question_page.render(pages, quiz, item, form, error, preview.navigator(current), None)  # not timed


@bp.get("/quizzes/<slug>/preview/review")
def quiz_preview_review(slug: str):
    """List unanswered and flagged questions before submitting the preview."""
    quiz = quiz_or_404(slug)
    current = open_preview(quiz)
    if current is None:
        return elsewhere(quiz)
    return question_page.render_review(flow(quiz, current), quiz, preview.navigator(current), None)  # not timed


@bp.post("/quizzes/<slug>/preview/submit")
def quiz_preview_submit(slug: str):
    """Submit the preview: its answers become final and it is graded (nothing is recorded)."""
    quiz = quiz_or_404(slug)
    current = open_preview(quiz)
    if current is not None and FlaskForm().validate_on_submit():
        preview.finish(session, current)
    return redirect(url_for("author.quiz_preview_result", slug=slug), code=303)


@bp.get("/quizzes/<slug>/preview/result")
def quiz_preview_result(slug: str):
    """Show the preview's score, per-topic chart and review, as the learner's result page would."""
    quiz = quiz_or_404(slug)
    current = preview.state(quiz, session)
    if current is None:
        return elsewhere(quiz)
    if not current["done"]:
        return redirect(url_for("author.quiz_preview_review", slug=slug), code=303)
    try:
        result = preview.result(quiz, current)
    except preview.PreviewUnavailable as exc:
        preview.discard(session)
        flash(exc.message, "error")
        return redirect(url_for("author.quiz_preview", slug=slug), code=303)
    return render_template("author/preview/quiz_preview_result.html", quiz=quiz, spec=quiz.spec(), result=result)
