"""What each kind of job does: a function of the job's parameters and a progress callback, returning a reference."""

from __future__ import annotations

from collections.abc import Callable

from quizapp.banks import staging
from quizapp.exports import files
from quizapp.lti import grades
from quizapp.mail import sending
from quizapp.reporting import item_report
from quizapp.xapi import sending as xapi

Handler = Callable[[dict, Callable[[float], None]], str]

HANDLERS: dict[str, Handler] = {
    "items": item_report.recompute,
    "lti.grade": grades.send_job,
    "mail.send": sending.send_job,
    files.KIND: files.make,
    xapi.KIND: xapi.send_job,
    staging.KIND: staging.run_job,
    staging.PREVIEW_KIND: staging.run_preview,
}

LABELS = {
    "items": "Item statistics",
    "lti.grade": "Grade to a learning platform",
    "mail.send": "E-mail",
    files.KIND: "Score export file",
    xapi.KIND: "Statements to a learning record store",
    staging.KIND: "Bank import",
    staging.PREVIEW_KIND: "Bank import preview",
}
