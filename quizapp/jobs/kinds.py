"""What each kind of job does: a function of the job's parameters and a progress callback, returning a reference."""

from __future__ import annotations

from collections.abc import Callable

from quizapp.reporting import item_report

Handler = Callable[[dict, Callable[[float], None]], str]

HANDLERS: dict[str, Handler] = {
    "items": item_report.recompute,
}

LABELS = {
    "items": "Item statistics",
}
