"""Uploads staged for import: kept server-side until the uploader confirms, so confirming never asks for the file again.

`stage` keeps an uploaded file under an unguessable token for IMPORT_STAGED_MINUTES (the preview shows what importing
it would do); `confirm` imports it in the request, or, above IMPORT_INLINE_BYTES, the caller queues the `bank.import`
job, whose handler `run_job` imports it on a worker and keeps the per-question report (with each refused question's
line and reason) on the staged row for the import page. The preview of such a file is the `bank.preview` job
(`run_preview`): the dry run on a worker, its report kept on the row, so the request that receives a large upload
only stores it. A staged file is imported once: the row's report marks it
done, so a job delivered or retried again changes nothing (and the importer itself recognises questions already in
the bank by their content).
"""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Callable
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, or_, select

from quizapp.banks import transfer
from quizapp.banks.formats.file_errors import FileError, MoreErrors
from quizapp.clock import now
from quizapp.errors import DomainError
from quizapp.extensions import db
from quizapp.models import Bank, Job, JobState, StagedImport, User

KIND = "bank.import"
PREVIEW_KIND = "bank.preview"
LISTED = 5  # background imports listed on the import page
FAILED_KEPT = timedelta(days=1)  # an import whose job failed stays staged this long after expiry, for a retry
PENDING_PER_USER = 10  # staged uploads an instructor may leave unconfirmed; older ones are discarded


class Stale(DomainError):
    """The staged upload is gone: imported, discarded, or past its expiry."""


def stage(bank: Bank, user: User, fmt: str, strict: bool, source: transfer.Source) -> StagedImport:
    """Keep an uploaded file for its uploader to confirm; discard expired and surplus staged files (flushes)."""
    _sweep(user)
    minutes = current_app.config["IMPORT_STAGED_MINUTES"]
    staged = StagedImport(
        token=secrets.token_urlsafe(32),
        user_id=user.id,
        bank_id=bank.id,
        format=fmt,
        strict=strict,
        name=source.name[:100],
        text=source.text,
        size=len(source.text.encode()),
        expires_at=now() + timedelta(minutes=minutes),
    )
    db.session.add(staged)
    db.session.flush()
    return staged


def _sweep(user: User) -> None:
    """Delete expired staged files (a failed job's a day later, for a retry) and this user's surplus pending ones."""
    finished = or_(StagedImport.job_id.is_(None), StagedImport.report.is_not(None))
    db.session.execute(delete(StagedImport).where(StagedImport.expires_at <= now(), finished))
    failed = select(Job.id).where(Job.state == JobState.FAILED)
    gone = (StagedImport.expires_at <= now() - FAILED_KEPT, StagedImport.job_id.in_(failed))
    db.session.execute(delete(StagedImport).where(*gone))
    pending = select(StagedImport.id).where(StagedImport.user_id == user.id, StagedImport.job_id.is_(None))
    keep = list(db.session.scalars(pending.order_by(StagedImport.id.desc()).limit(PENDING_PER_USER - 1)))
    db.session.execute(delete(StagedImport).where(StagedImport.id.in_(pending), StagedImport.id.not_in(keep)))


def find(token: str, bank: Bank) -> StagedImport:
    """Return the staged upload with this token for this bank; raise Stale if it is gone or expired unconfirmed."""
    staged = db.session.scalar(select(StagedImport).where(StagedImport.token == token[:64]))
    if staged is None or staged.bank_id != bank.id:
        raise Stale("This upload is no longer waiting: it was imported, cancelled or has expired. Upload it again.")
    if staged.job_id is None and staged.expires_at <= now():
        minutes = current_app.config["IMPORT_STAGED_MINUTES"]
        raise Stale(f"This upload has expired: an upload waits {minutes} minutes for confirmation. Upload it again.")
    return staged


def background_imports(bank: Bank, user: User) -> list[tuple[StagedImport, Job]]:
    """Return this user's newest background imports and previews into the bank, with their jobs (import page)."""
    stmt = (
        select(StagedImport, Job)
        .join(Job, func.coalesce(StagedImport.job_id, StagedImport.preview_job_id) == Job.id)
        .where(StagedImport.bank_id == bank.id, StagedImport.user_id == user.id)
        .order_by(StagedImport.id.desc())
        .limit(LISTED)
    )
    return list(db.session.execute(stmt).tuples())


def in_background(staged: StagedImport) -> bool:
    """Whether confirming imports on a worker: a file above IMPORT_INLINE_BYTES."""
    return staged.size > current_app.config["IMPORT_INLINE_BYTES"]


def job_key(staged: StagedImport, kind: str = KIND) -> str:
    """Return the key of the staged upload's import (or preview) job: one of each per staged upload."""
    return f"{kind}:{staged.token}"


def _import(
    staged: StagedImport, actor: User | None, progress: Callable[[float], None] = lambda _fraction: None
) -> transfer.BankImport:
    """Import the staged file into its bank (flushes; raises ImportRefused)."""
    bank = db.session.get(Bank, staged.bank_id)
    source = transfer.Source(staged.name, staged.text)
    return transfer.import_sources(bank, staged.format, [source], actor, staged.strict, progress)


def preview(staged: StagedImport, progress: Callable[[float], None] = lambda _fraction: None) -> transfer.BankImport:
    """Return what importing the staged file would do; the caller rolls back (raises ImportRefused)."""
    return _import(staged, None, progress)


def confirm(staged: StagedImport, actor: User) -> transfer.BankImport:
    """Import the staged file now and forget it (flushes; raises ImportRefused, after which the caller rolls back)."""
    if staged.job_id is not None:
        raise Stale("This upload is already being imported in the background.")
    report = _import(staged, actor)
    db.session.delete(staged)
    db.session.flush()
    return report


def discard(staged: StagedImport) -> None:
    """Forget a staged file that was not imported (flushes)."""
    if staged.job_id is not None:
        raise Stale("This upload is already being imported in the background; it can no longer be cancelled.")
    db.session.delete(staged)
    db.session.flush()


def run_job(params: dict, progress: Callable[[float], None]) -> str:
    """The `bank.import` job: import a staged file once and keep its report on the row; return the row's token."""
    staged = db.session.get(StagedImport, params["staged"])
    if staged is None:
        raise DomainError("The uploaded file is no longer staged; upload it again.")
    if staged.report is not None:  # imported by an earlier delivery of this job: nothing twice
        return staged.token
    progress(0.0)
    try:
        with db.session.begin_nested():
            report = _import(staged, db.session.get(User, staged.user_id), progress)
    except transfer.ImportRefused as exc:  # nothing imported: the row keeps the located errors for the page
        report = exc.report
    staged.report, staged.text = to_dict(report), ""
    staged.expires_at = now() + timedelta(minutes=current_app.config["IMPORT_STAGED_MINUTES"])
    db.session.flush()
    return staged.token


def run_preview(params: dict, progress: Callable[[float], None]) -> str:
    """The `bank.preview` job: the staged file's dry run, its report kept on the row; return the row's token."""
    staged = db.session.get(StagedImport, params["staged"])
    if staged is None:
        raise DomainError("The uploaded file is no longer staged; upload it again.")
    if staged.preview is not None or staged.report is not None:  # previewed (or imported) already: nothing to do
        return staged.token
    progress(0.0)
    dry_run = db.session.begin_nested()
    try:
        report = preview(staged, progress)
    except transfer.ImportRefused as exc:  # the file would import nothing: the row keeps the located errors
        report = exc.report
    finally:
        dry_run.rollback()  # a preview saves nothing but its report
    staged.preview = to_dict(report)
    db.session.flush()
    return staged.token


def to_dict(report: transfer.BankImport) -> dict:
    """Return an import report as JSON-ready data."""
    return dataclasses.asdict(report)


def from_dict(data: dict) -> transfer.BankImport:
    """Rebuild an import report stored by `to_dict`."""
    def located(items: list[dict]) -> list[FileError]:
        """Rebuild located errors, keeping the marker of a capped list."""
        return [MoreErrors(**e) if "more" in e else FileError(**e) for e in items]

    return transfer.BankImport(**{**data, "refused": located(data["refused"]), "errors": located(data["errors"])})
