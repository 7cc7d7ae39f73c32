"""Importing files into a bank and downloading a bank as YAML or GIFT.

An upload is staged server-side (banks/staging.py): Preview shows its per-question report with Confirm and Cancel
buttons that act on the staged file, so confirming never asks for the file again; Import confirms at once. A file
above IMPORT_INLINE_BYTES is imported by a `bank.import` job, whose page follows its progress and shows its report.
"""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from quizapp.banks import exporting, staging, transfer
from quizapp.error_pages import render_error
from quizapp.extensions import db
from quizapp.forms.upload import UploadForm
from quizapp.jobs import queue
from quizapp.models import Bank, Job, StagedImport
from quizapp.views.author.blueprint import bp
from quizapp.views.dispatch import commit_and_send
from quizapp.views.loaders import bank_or_404

MAX_FLASHED_SKIPS = 10


def render_import(bank: Bank, form: UploadForm, report: transfer.BankImport | None, status: int, staged=None):
    """Render the import page, with a preview (and its Confirm button) or a refusal report when there is one."""
    return render_template(
        "author/imports/import_bank.html",
        bank=bank,
        form=form,
        report=report,
        staged=staged,
        background=staged is not None and staging.in_background(staged),
        jobs=staging.background_imports(bank, current_user),
        dry_run=report is not None and staged is not None and not report.errors,
    ), status


@bp.route("/banks/<slug>/import", methods=["GET", "POST"])
def import_bank(slug: str):
    """Upload a file into this bank: stage it, then preview what it would do or import it at once."""
    bank = bank_or_404(slug)
    form = UploadForm()
    if not form.validate_on_submit():
        return render_import(bank, form, None, 422 if form.is_submitted() else 200)
    staged = staging.stage(bank, current_user, form.format.data, form.strict.data, form.source())
    db.session.commit()
    if not form.dry_run:
        return confirm_staged(bank, staged)
    if staging.in_background(staged):  # a large file is only stored here: a worker parses it
        return queue_job(bank, staged, staging.PREVIEW_KIND)
    try:
        report = staging.preview(staged)
    except transfer.ImportRefused as exc:
        db.session.rollback()
        return render_import(bank, form, exc.report, 422)
    db.session.rollback()
    return render_import(bank, form, report, 200, staged)


def staged_or_gone(bank: Bank, token: str) -> StagedImport:
    """Load the current user's staged upload (raises Stale when gone or expired; someone else's is a 404)."""
    staged = staging.find(token, bank)
    if staged.user_id != current_user.id:
        abort(404)
    return staged


@bp.post("/banks/<slug>/import/<token>/confirm")
def confirm_import(slug: str, token: str):
    """Import a staged upload without asking for the file again (on a worker when it is large)."""
    bank = bank_or_404(slug)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        return confirm_staged(bank, staged_or_gone(bank, token))
    except staging.Stale as exc:
        return render_error(410, exc.message)


def confirm_staged(bank: Bank, staged: StagedImport):
    """Import a staged upload now, or queue its job and show the job's page (the request's only commit)."""
    if staged.job_id is not None:  # confirmed twice: the job already asked for serves both
        return redirect(url_for("author.import_status", slug=bank.slug, token=staged.token), code=303)
    if staging.in_background(staged):
        return queue_job(bank, staged, staging.KIND)
    try:
        report = staging.confirm(staged, current_user)
    except transfer.ImportRefused as exc:
        db.session.rollback()
        return render_import(bank, UploadForm(formdata=None), exc.report, 422)
    db.session.commit()
    flash_report(bank, report)
    return redirect(url_for("author.import_bank", slug=bank.slug), code=303)


def queue_job(bank: Bank, staged: StagedImport, kind: str):
    """Queue the staged upload's import or preview job (one of each per upload), commit, and show the job's page."""
    job, new = queue.request(kind, staging.job_key(staged, kind), {"staged": staged.id}, current_user)
    if kind == staging.PREVIEW_KIND:
        staged.preview_job_id = job.id
    else:
        staged.job_id = job.id
    commit_and_send(job if new else None)
    return redirect(url_for("author.import_status", slug=bank.slug, token=staged.token), code=303)


@bp.post("/banks/<slug>/import/<token>/cancel")
def cancel_import(slug: str, token: str):
    """Discard a staged upload: nothing is imported."""
    bank = bank_or_404(slug)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        staging.discard(staged_or_gone(bank, token))
    except staging.Stale as exc:
        return render_error(410, exc.message)
    db.session.commit()
    flash("The upload was discarded; nothing was imported.", "info")
    return redirect(url_for("author.import_bank", slug=slug), code=303)


@bp.get("/banks/<slug>/import/<token>", endpoint="import_status")
@bp.get("/banks/<slug>/import/<token>/job", endpoint="import_job", defaults={"fragment": True})
def import_status(slug: str, token: str, fragment: bool = False):
    """Follow a background preview or import: its job's state and progress, then its per-question report."""
    bank = bank_or_404(slug)
    try:
        staged = staged_or_gone(bank, token)
    except staging.Stale as exc:
        return render_error(410, exc.message)
    previewing = staged.job_id is None  # not confirmed yet: the page follows the preview job
    job_id, data = (staged.preview_job_id, staged.preview) if previewing else (staged.job_id, staged.report)
    job = db.session.get(Job, job_id) if job_id else None
    report = staging.from_dict(data) if data is not None else None
    template = "author/imports/_job.html" if fragment else "author/imports/import_status.html"
    return render_template(
        template, bank=bank, staged=staged, job=job, report=report, dry_run=previewing, background=True
    )


def flash_report(bank: Bank, report: transfer.BankImport) -> None:
    """Tell the instructor what the import did, on the page they are sent to."""
    flash(f"Imported into {bank.title}: {report.summary()}.", "success")
    for note in report.notes:
        flash(note, "info")
    if report.skipped:
        shown = "; ".join(report.skipped[:MAX_FLASHED_SKIPS])
        more = f" and {len(report.skipped) - MAX_FLASHED_SKIPS} more" if len(report.skipped) > MAX_FLASHED_SKIPS else ""
        flash(f"Not imported (unsupported): {shown}{more}.", "warning")
    if report.refused:
        first = report.refused[:MAX_FLASHED_SKIPS]
        shown = "; ".join(f"line {e.line}: {e.message}" if e.line else e.message for e in first)
        more = len(report.refused) - MAX_FLASHED_SKIPS
        flash(f"Refused (malformed): {shown}{f' and {more} more' if more > 0 else ''}.", "warning")


@bp.post("/banks/<slug>/export")
def export_bank(slug: str):
    """Download the bank as a YAML bank file or as Moodle GIFT (a POST with a token: it writes an audit record)."""
    bank = bank_or_404(slug)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        result = exporting.export_bank(bank, request.form.get("format", "yaml"), current_user)
    except exporting.ExportError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("author.import_bank", slug=slug), code=303)
    db.session.commit()
    response = Response(result.text, content_type=f"{result.mimetype}; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    return response
