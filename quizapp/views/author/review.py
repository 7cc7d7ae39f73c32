"""The review queue: marking drafts ready, one at a time or a selection."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from quizapp.authoring import review
from quizapp.extensions import db
from quizapp.views.author.blueprint import bp
from quizapp.views.loaders import bank_or_404


@bp.post("/banks/<slug>/ready")
def mark_ready(slug: str):
    """Mark one draft (the button's `key`) or the ticked drafts (`keys`) ready; all or nothing."""
    bank = bank_or_404(slug)
    if not FlaskForm().validate_on_submit():
        abort(400)
    keys = [request.form["key"]] if request.form.get("key") else request.form.getlist("keys")
    try:
        done = review.mark_ready(bank, keys, current_user)
    except review.NotReady as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("author.bank", slug=slug, _anchor="review"), code=303)
    db.session.commit()
    flash(f"Marked ready: {', '.join(done)}. Quizzes can draw {'it' if len(done) == 1 else 'them'} now.", "success")
    return redirect(url_for("author.bank", slug=slug, _anchor="review"), code=303)
