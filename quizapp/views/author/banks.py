"""The instructor home (banks with counts), a bank's question list, and image uploads."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from quizapp.authoring import editing, media, review
from quizapp.extensions import db
from quizapp.forms.author import ListFilterForm
from quizapp.forms.media import ImageForm
from quizapp.views.author.blueprint import bp
from quizapp.views.loaders import bank_or_404


@bp.get("/")
def index():
    """List the banks with their question counts by type and difficulty."""
    return render_template("author/index.html", summaries=editing.bank_summaries())


@bp.get("/banks/<slug>")
def bank(slug: str):
    """List a bank's questions, searched, filtered and paginated."""
    bank = bank_or_404(slug)
    form = ListFilterForm(request.args).use_tags(editing.bank_tags(bank))
    page = editing.question_page(bank, form.filters(), request.args.get("page", 1, type=int))
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    context = {"overview": review.overview(bank), "queue": review.queue(bank), "review_form": FlaskForm()}
    return render_template("author/bank.html", bank=bank, form=form, page=page, args=args, **context)


@bp.route("/images", methods=["GET", "POST"])
def images():
    """Upload an image for question text; list the recent uploads."""
    form = ImageForm()
    if form.validate_on_submit():
        try:
            image = media.store(form.file.data.read(media.MAX_BYTES + 1), form.alt.data.strip(), current_user)
        except media.ImageRefused as exc:
            db.session.rollback()
            form.file.errors.append(exc.message)
        else:
            db.session.commit()
            flash("Image uploaded. Paste the Markdown below into a question.", "success")
            return redirect(url_for("author.image", name=image.filename), code=303)
    status = 422 if form.errors else 200
    return render_template("author/images.html", form=form, images=media.recent()), status


@bp.get("/images/<name>")
def image(name: str):
    """Show one uploaded image with the Markdown snippet to paste."""
    image = media.find(name)
    if image is None:
        abort(404)
    url = url_for("media.show", name=image.filename)
    return render_template("author/image.html", image=image, url=url, snippet=media.snippet(image, url))
