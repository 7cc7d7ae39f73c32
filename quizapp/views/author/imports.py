"""Importing files into a bank (with a dry-run preview) and downloading a bank as YAML or GIFT."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from quizapp.banks import transfer
from quizapp.extensions import db
from quizapp.forms.upload import UploadForm
from quizapp.models import Bank
from quizapp.views.author.blueprint import bp
from quizapp.views.loaders import bank_or_404

MAX_FLASHED_SKIPS = 10


def render_import(bank: Bank, form: UploadForm, report: transfer.BankImport | None, status: int):
    """Render the import page, with a dry-run or refusal report when there is one."""
    return render_template(
        "author/imports/import_bank.html",
        bank=bank,
        form=form,
        report=report,
        dry_run=report is not None and form.dry_run and not report.errors,
    ), status


@bp.route("/banks/<slug>/import", methods=["GET", "POST"])
def import_bank(slug: str):
    """Upload a file into this bank: preview what it would do, or import its valid questions (or all or nothing)."""
    bank = bank_or_404(slug)
    form = UploadForm()
    if not form.validate_on_submit():
        return render_import(bank, form, None, 422 if form.is_submitted() else 200)
    try:
        report = transfer.import_sources(bank, form.format.data, [form.source()], current_user, form.strict.data)
    except transfer.ImportRefused as exc:
        db.session.rollback()
        return render_import(bank, form, exc.report, 422)
    if form.dry_run:
        db.session.rollback()
        return render_import(bank, form, report, 200)
    db.session.commit()
    flash_report(bank, report)
    return redirect(url_for("author.import_bank", slug=slug), code=303)


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
        shown = "; ".join(str(e) for e in report.refused[:MAX_FLASHED_SKIPS])
        more = len(report.refused) - MAX_FLASHED_SKIPS
        flash(f"Refused (malformed): {shown}{f' and {more} more' if more > 0 else ''}.", "warning")


@bp.post("/banks/<slug>/export")
def export_bank(slug: str):
    """Download the bank as a YAML bank file or as Moodle GIFT (a POST with a token: it writes an audit record)."""
    bank = bank_or_404(slug)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        result = transfer.export_bank(bank, request.form.get("format", "yaml"), current_user)
    except transfer.ExportError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("author.import_bank", slug=slug), code=303)
    db.session.commit()
    response = Response(result.text, content_type=f"{result.mimetype}; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    return response
