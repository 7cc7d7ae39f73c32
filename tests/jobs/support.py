"""Helpers for the job tests: queue a recompute of a quiz's item statistics as the web page does."""

from __future__ import annotations

from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.jobs import queue
from quizapp.models import Job, Quiz, ReportSnapshot
from quizapp.reporting import item_report


def queue_recompute(app, slug: str = "demo-exam", mode: str = "first", send: bool = True) -> int:
    """Ask for a recompute of a quiz's item statistics, commit, send it when new; return the job id."""
    with app.app_context():
        quiz_id = db.session.scalar(select(Quiz.id).where(Quiz.slug == slug)) or 0
        job, new = queue.request("items", item_report.recompute_key(quiz_id, mode), {"quiz_id": quiz_id, "mode": mode},
                                 None)
        db.session.commit()
        if new and send:
            queue.send(job)
        return job.id


def job_row(app, job_id: int) -> dict:
    """Return a job's columns as a dict, read fresh."""
    with app.app_context():
        job = db.session.get(Job, job_id)
        return {c.name: getattr(job, c.name) for c in Job.__table__.columns}


def snapshots(app) -> list[tuple]:
    """Return every stored report as (quiz_id, kind, mode, finished, computed_at)."""
    with app.app_context():
        stmt = select(ReportSnapshot.quiz_id, ReportSnapshot.kind, ReportSnapshot.mode, ReportSnapshot.finished,
                      ReportSnapshot.computed_at)
        return [tuple(row) for row in db.session.execute(stmt)]


def count_jobs(app) -> int:
    """Return how many job rows exist."""
    with app.app_context():
        return db.session.scalar(select(func.count(Job.id)))
