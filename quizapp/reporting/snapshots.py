"""Computed reports kept in the database: one computation shared by every worker and restart.

A report whose stamp still matches is served from this worker's memory or from the database. When attempts have
finished since, a quiz with few counted attempts is recomputed at once; a large one (more finished attempts than
REPORT_INLINE_ATTEMPTS) is shown as computed, with how many attempts finished since, until someone asks for a
recalculation, which a background job does (quizapp.jobs): Moodle's answer to statistics that take seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from quizapp import clock
from quizapp.extensions import db
from quizapp.models import ReportSnapshot
from quizapp.reporting import report_cache
from quizapp.reporting.reports import stamp


@dataclass(frozen=True)
class Report:
    """A computed report, when it was computed, and whether (and by how many finished attempts) it is out of date."""

    data: dict
    computed_at: datetime
    outdated: bool = False
    behind: int = 0  # attempts finished since; 0 in an outdated report means answers were regraded since


def get(quiz_id: int, kind: str, mode: str, compute: Callable[[int], dict]) -> Report | None:
    """Return the report, computing it here only for a quiz small enough; None when a large one has none stored."""
    current = stamp(quiz_id)
    key = (kind, quiz_id, mode)
    found, report = report_cache.cache().get(key, current)
    if found:
        return report
    snapshot = db.session.scalar(
        select(ReportSnapshot).where(
            ReportSnapshot.quiz_id == quiz_id, ReportSnapshot.kind == kind, ReportSnapshot.mode == mode
        )
    )
    large = current[0] > current_app.config["REPORT_INLINE_ATTEMPTS"]
    if snapshot is not None and snapshot.stamp == current:
        report = Report(snapshot.data, snapshot.computed_at)
    elif snapshot is not None and large:
        return Report(snapshot.data, snapshot.computed_at, outdated=True, behind=max(0, current[0] - snapshot.finished))
    elif large:
        return None  # a recompute job makes it: a request never spends seconds on it
    else:
        report = _compute(quiz_id, kind, mode, current, compute)
    report_cache.cache().put(key, current, report)
    return report


def recompute(quiz_id: int, kind: str, mode: str, compute: Callable[[int], dict]) -> Report:
    """Compute the report with every attempt finished now and store it (what a recompute job does)."""
    current = stamp(quiz_id)
    report = _compute(quiz_id, kind, mode, current, compute)
    report_cache.cache().put((kind, quiz_id, mode), current, report)
    return report


def _compute(quiz_id: int, kind: str, mode: str, current: tuple, compute: Callable[[int], dict]) -> Report:
    """Compute the report under its stamp and store it, timing the computation."""
    began = time.perf_counter()
    report = Report(compute(current[0]), clock.now())
    _save(quiz_id, kind, mode, current, report, time.perf_counter() - began)
    return report


def _save(quiz_id: int, kind: str, mode: str, current: tuple, report: Report, seconds: float) -> None:
    """Insert or replace the stored report (one statement, whatever another worker stored meanwhile)."""
    finished, latest, regrade = current
    values = {"finished": finished, "latest": latest, "regrade": regrade, "computed_at": report.computed_at,
              "seconds": seconds, "data": report.data}
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.session.execute(
        insert(ReportSnapshot)
        .values(quiz_id=quiz_id, kind=kind, mode=mode, **values)
        .on_conflict_do_update(index_elements=["quiz_id", "kind", "mode"], set_=values)
    )
