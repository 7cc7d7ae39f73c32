"""Large score exports as files: a worker writes them under EXPORT_DIR, the admin who asked downloads them until expiry.

The job row is the record: its parameters hold the dataset, filters, format and the file's unguessable name; it is
`done` once the file is in place (written under a temporary name, then renamed, so a half-written file is never
served). A file lives EXPORT_TTL_HOURS after its job finished; `sweep` deletes the older ones.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from quizapp.clock import now
from quizapp.errors import DomainError
from quizapp.exports import datasets
from quizapp.exports.formats import FORMATS
from quizapp.extensions import db
from quizapp.models import Job, JobState, User

KIND = "export"
LISTED = 20
PROGRESS_ROWS = 1000


class Expired(DomainError):
    """The export file is past its expiry (or was swept): it can no longer be downloaded."""


def in_background(fmt: str, total: int) -> bool:
    """Whether an export is written to a file by a worker: every XLSX, and any export above EXPORT_INLINE_ROWS."""
    return fmt == "xlsx" or total > current_app.config["EXPORT_INLINE_ROWS"]


def job_key(export: datasets.Export, fmt: str, user: User) -> str:
    """Return the job key of an export: one identical export (dataset, filters, format) per admin at a time."""
    choice = json.dumps([export.dataset, export.filters.as_dict(), fmt], sort_keys=True)
    return f"{KIND}:{user.id}:{hashlib.sha256(choice.encode()).hexdigest()[:32]}"


def job_params(export: datasets.Export, fmt: str) -> dict:
    """Return a background export's parameters, with the unguessable name of the file it will write."""
    extension = FORMATS[fmt].extension
    return {
        "dataset": export.dataset,
        "filters": export.filters.as_dict(),
        "format": fmt,
        "rows": export.total,
        "file": f"{secrets.token_urlsafe(24)}.{extension}",
        "filename": datasets.filename(export.dataset, extension),
    }


def folder() -> Path:
    """Return EXPORT_DIR, created if missing."""
    path = Path(current_app.config["EXPORT_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def _counted(rows: Iterable, total: int, progress: Callable[[float], None]) -> Iterator:
    """Pass rows through, reporting the fraction written every thousand rows."""
    for done, row in enumerate(rows, start=1):
        if done % PROGRESS_ROWS == 0:
            progress(done / max(total, 1))
        yield row


def make(params: dict, progress: Callable[[float], None]) -> str:
    """The `export` job: write the export to its file (temporary name, then renamed) and return the file's name."""
    export = datasets.prepare(params["dataset"], datasets.Filters.from_dict(params["filters"]))
    fmt = FORMATS[params["format"]]
    path = folder() / params["file"]
    partial = path.with_name(f".{path.name}.partial")
    try:
        with partial.open("wb") as handle:
            for chunk in fmt.write(export.columns, _counted(export.rows, export.total, progress), export.dataset):
                handle.write(chunk)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return params["file"]


def expiry(job: Job) -> datetime | None:
    """Return when a finished export's file expires (None while it is not done)."""
    if job.state != JobState.DONE or job.finished_at is None:
        return None
    return job.finished_at + timedelta(hours=current_app.config["EXPORT_TTL_HOURS"])


def size(job: Job) -> int | None:
    """Return the size in bytes of a done export's file, or None if it is not there."""
    path = folder() / job.result if job.result else None
    return path.stat().st_size if path and path.is_file() else None


def recent(user: User) -> list[Job]:
    """Return this admin's newest export jobs, whatever their state."""
    stmt = select(Job).where(Job.kind == KIND, Job.user_id == user.id).order_by(Job.id.desc()).limit(LISTED)
    return list(db.session.scalars(stmt))


def owned(name: str, user: User) -> Job | None:
    """Return the done export job whose file has this name, if this admin asked for it."""
    stmt = select(Job).where(Job.kind == KIND, Job.state == JobState.DONE, Job.result == name, Job.user_id == user.id)
    return db.session.scalar(stmt)


def path_to_serve(job: Job) -> Path:
    """Return the path of a done export's file, or raise Expired past its expiry or once swept."""
    path = folder() / job.result
    if expiry(job) <= now() or not path.is_file():
        raise Expired("This export has expired and its file was deleted. Ask for the export again.")
    return path


def _modified(path: Path) -> datetime:
    """Return when a file was last written, as a naive UTC datetime."""
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(tzinfo=None)


def sweep() -> int:
    """Delete the files of expired exports (and leftovers of interrupted ones past the expiry); return how many."""
    cutoff = now() - timedelta(hours=current_app.config["EXPORT_TTL_HOURS"])
    stmt = select(Job.result).where(Job.kind == KIND, Job.state == JobState.DONE, Job.finished_at <= cutoff)
    expired = {name for name in db.session.scalars(stmt) if name}
    deleted = 0
    for path in folder().iterdir():
        stale = path.name.endswith(".partial") and _modified(path) <= cutoff
        if path.is_file() and (path.name in expired or stale):
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted
