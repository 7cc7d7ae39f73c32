"""Preview: an instructor takes a quiz as a learner would, with nothing recorded (the session holds it)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_wtf import FlaskForm

from quizapp.authoring import preview
from quizapp.errors import DomainError
from quizapp.forms import answer as answer_forms
from quizapp.models import Quiz
from quizapp.taking import sitting
from quizapp.taking.grading import AnswerError
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


def target_url(slug: str, number: int, total: int, go: str | None) -> str:
    """Return where a question page's button leads, as on a learner's attempt."""
    if go == "review" or (go == "next" and number == total):
        return url_for("author.quiz_preview_review", slug=slug)
    step = {"prev": number - 1, "next": number + 1}.get(go or "")
    if step is None:
        step = int(go) if (go or "").isdigit() else number
    return url_for("author.quiz_preview_question", slug=slug, number=min(max(step, 1), total))


@bp.route("/quizzes/<slug>/preview/<int:number>", methods=["GET", "POST"])
def quiz_preview_question(slug: str, number: int):
    """Show one question of the preview; on POST keep the answer in the session and follow the button."""
    quiz = quiz_or_404(slug)
    current = open_preview(quiz)
    if current is None:
        return elsewhere(quiz)
    item = preview.slot(current, number) or abort(404)
    error = None
    if request.method == "POST":
        form = answer_forms.build(item.question, item.order, None, request.form)
        error = save(quiz, current, item, form)
        if error is None:
            return redirect(target_url(slug, number, len(current["slots"]), request.form.get("go")), code=303)
    else:
        form = answer_forms.build(item.question, item.order, item.answer)
        form.flag.data = item.flagged
    spec = quiz.spec()
    shown = preview.checked(item, spec.review) if item.locked else None
    context = {"quiz": quiz, "spec": spec, "item": item, "form": form, "error": error, "feedback": shown}
    context["remaining"] = None  # a preview is not timed
    page = render_template("author/preview/quiz_preview_question.html", navigator=preview.navigator(current), **context)
    return page, 422 if error else 200


def save(quiz: Quiz, current: dict, item: preview.Slot, form) -> str | None:
    """Validate and keep the posted answer; return an error message or None."""
    if not form.validate():
        return "Please check your answer: " + "; ".join(e for errs in form.errors.values() for e in errs)
    try:
        answer = answer_forms.to_answer(item.question, item.order, form)
        spec = quiz.spec()
        check = spec.feedback == "immediate" and request.form.get("go") == "check"
        preview.save(session, current, item, answer, bool(form.flag.data), check)
    except (AnswerError, DomainError) as exc:
        return str(exc.message if isinstance(exc, DomainError) else exc)
    notice = sitting.locked_notice(spec.review, check and answer is not None)
    if notice:
        flash(notice, "info")
    return None


@bp.get("/quizzes/<slug>/preview/review")
def quiz_preview_review(slug: str):
    """List unanswered and flagged questions before submitting the preview."""
    quiz = quiz_or_404(slug)
    current = open_preview(quiz)
    if current is None:
        return elsewhere(quiz)
    navigator = preview.navigator(current)
    return render_template(
        "author/preview/quiz_preview_review.html", quiz=quiz, navigator=navigator, remaining=None, form=FlaskForm()
    )


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
