"""Writing, editing, retiring, restoring and previewing questions."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from quizapp.authoring import editing, review
from quizapp.extensions import db
from quizapp.forms import answer as answer_forms
from quizapp.forms import question as question_forms
from quizapp.forms import question_data
from quizapp.forms import shown as shown_forms
from quizapp.taking.grading import AnswerError
from quizapp.views import question_page
from quizapp.views.author.blueprint import bp
from quizapp.views.loaders import bank_or_404, question_or_404, version_or_404


def render_form(form, bank, question=None, preview=None):
    """Render the question form: 422 when a save was refused, 200 otherwise (first view, add/remove/retype)."""
    status = 422 if form.has_errors else 200
    context = {"form": form, "bank": bank, "question": question, "hints": question_data.feedback_hints(form)}
    return render_template("author/question_form.html", **context, preview=preview), status


def pressed(action: str) -> bool:
    """Whether the button pressed was `action` (save or preview; not add, remove or change type)."""
    return request.method == "POST" and question_forms.pending_action(request.form)[0] == action


def wants_save() -> bool:
    """Whether the button pressed was Save."""
    return pressed("save")


def unsaved_preview(form, bank, key: str, current=None, question=None):
    """Render the editor with the form's current state shown as a learner would see it; nothing is saved."""
    spec = question_data.to_spec(form, key, current)
    if spec is None:
        return render_form(form, bank, question)
    order = editing.preview_order(spec, 0)
    shown = {"spec": spec, "form": shown_forms.shown(spec, order, None, False)}
    return render_form(form, bank, question, preview=shown)


def refuse_unready(form, question, spec) -> bool:
    """Put "a ready question needs …" on the rationale and source fields when a ready question would lose them."""
    if question.status != review.READY:
        return False
    for name in review.missing(spec):
        field = getattr(form, name)
        field.errors = [*field.errors, f"A ready question needs {review.NEEDS[name]}; quizzes draw it."]
    return form.has_errors


@bp.route("/banks/<slug>/questions/new", methods=["GET", "POST"])
def new_question(slug: str):
    """Write a new question; it gets the bank's next free key."""
    bank = bank_or_404(slug)
    form = question_forms.build(bank, None, request.args.get("type", ""))
    if pressed("preview"):
        return unsaved_preview(form, bank, editing.next_key(bank))
    spec = question_data.to_spec(form, editing.next_key(bank), None) if wants_save() else None
    if spec is None:
        return render_form(form, bank)
    question = editing.create_question(bank, spec, current_user, form.note.data or "")
    db.session.commit()
    flash(f"Question {question.key} created as version 1, a draft: mark it ready on the bank's page.", "success")
    return redirect(url_for("author.edit_question", key=question.key), code=303)


@bp.route("/questions/<key>/edit", methods=["GET", "POST"])
def edit_question(key: str):
    """Edit a question; a save that changes its content makes a new version."""
    question = question_or_404(key)
    current, number = question.current_version.spec(), question.current_version.number
    form = question_forms.build(question.bank, current, number=number)
    if pressed("preview"):
        return unsaved_preview(form, question.bank, question.key, current, question)
    spec = question_data.to_spec(form, question.key, current, number) if wants_save() else None
    if spec is None or refuse_unready(form, question, spec):
        return render_form(form, question.bank, question)
    try:
        version = editing.save_question(question, spec, current_user, form.note.data or "", base=number)
    except editing.QuestionChanged as exc:
        db.session.rollback()
        form.form_errors.append(exc.message)
        form.base_version.data = str(exc.number)  # saving again replaces that version, as the message says
        return render_form(form, question.bank, question)
    db.session.commit()
    if version is None:
        flash("Nothing changed, so no new version was made.", "info")
    else:
        flash(f"Saved as version {version.number}.", "success")
    return redirect(url_for("author.edit_question", key=key), code=303)


@bp.post("/questions/<key>/retire")
def retire_question(key: str):
    """Retire a question: quizzes stop drawing it; its key is never given to another question."""
    question = question_or_404(key)
    editing.set_retired(question, True, current_user)
    db.session.commit()
    flash(f"Question {key} is retired. Past attempts keep it; new attempts will not draw it.", "success")
    return redirect(url_for("author.bank", slug=question.bank.slug), code=303)


@bp.post("/questions/<key>/restore")
def restore_question(key: str):
    """Bring a retired question back into use."""
    question = question_or_404(key)
    editing.set_retired(question, False, current_user)
    db.session.commit()
    flash(f"Question {key} is back in use.", "success")
    return redirect(url_for("author.edit_question", key=key), code=303)


@bp.route("/questions/<key>/preview", methods=["GET", "POST"])
def preview_question(key: str):
    """Show a version exactly as learners see it; "Check my answer" shows the feedback and records nothing."""
    question = question_or_404(key)
    version = version_or_404(question, request.args.get("version", type=int))
    spec = version.spec()
    order = editing.preview_order(spec, version.id)
    form = answer_forms.build(spec, order, None, request.form if request.method == "POST" else None)
    feedback, error = _check(spec, version, order, form) if request.method == "POST" else (None, None)
    shown = shown_forms.from_form(form) if request.method == "POST" else shown_forms.shown(spec, order, None, False)
    context = {"question": question, "version": version, "spec": spec, "form": shown}
    return render_template("author/preview_question.html", **context, feedback=feedback, error=error), (
        422 if error else 200
    )


def _check(spec, version, order, form):
    """Return (feedback, None) for a preview answer, or (None, message) when it does not fit the question."""
    try:
        return editing.check_answer(spec, version, question_page.posted_answer(spec, order, form), order), None
    except AnswerError as exc:
        return None, str(exc)
