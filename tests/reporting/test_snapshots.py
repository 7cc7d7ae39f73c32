"""reporting.snapshots: computed reports stored in the database, reloaded exactly, recomputed when out of date."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from quizapp import audit
from quizapp.extensions import db
from quizapp.models import ReportSnapshot
from quizapp.reporting import itemstats, snapshots
from tests.taking.support import person, quiz, sit

# Marks of five attempts at three questions: awkward floats (thirds, square roots) in every statistic.
MARKS = [[1, 0, 0.5], [1, 1, 1], [0, 0, 0.25], [1, 0, 1], [0, 1, 0.75]]


class Computations:
    """A report computation that counts its calls and returns real item statistics."""

    def __init__(self):
        """No calls yet."""
        self.finished: list[int] = []

    def __call__(self, finished: int) -> dict:
        """Return the item statistics of MARKS, with the finished-attempt count it was asked for."""
        self.finished.append(finished)
        return {"finished": finished, **itemstats.compute(MARKS, [1, 1, 1])}


def _rows() -> int:
    """Return how many snapshots are stored."""
    return db.session.scalar(select(func.count(ReportSnapshot.id)))


def _refuse(finished: int) -> dict:
    """A computation that must not run."""
    raise AssertionError("the stored report should have been used")


@pytest.fixture
def exam_id(app, demo) -> int:
    """The demo exam, with one finished attempt."""
    with app.app_context():
        sit("demo-exam", person("lee@example.org"), [True, False, True, False, True])
        db.session.commit()
        return quiz("demo-exam").id


def test_a_report_is_stored_and_reloaded_exactly_by_another_worker(app, make_app, exam_id):
    compute = Computations()
    with app.app_context():
        first = snapshots.get(exam_id, "items", "first", compute)
        db.session.commit()
        assert compute.finished == [1] and not first.outdated and _rows() == 1
        assert snapshots.get(exam_id, "items", "first", _refuse) == first  # this worker's memory
    with make_app().app_context():  # another worker: nothing in memory, the stored row is read
        again = snapshots.get(exam_id, "items", "first", _refuse)
        assert again.data == {"finished": 1, **itemstats.compute(MARKS, [1, 1, 1])}
        assert again.data["test"]["cic"] == first.data["test"]["cic"]  # floats come back bit for bit
        assert again.computed_at == first.computed_at and not again.outdated


def test_kinds_and_modes_are_stored_apart(app, exam_id):
    with app.app_context():
        for kind, mode in [("items", "first"), ("items", "all"), ("summary", "first")]:
            snapshots.get(exam_id, kind, mode, Computations())
        assert _rows() == 3


def test_a_small_quiz_is_recomputed_at_once_when_an_attempt_finishes(app, exam_id):
    compute = Computations()
    with app.app_context():
        snapshots.get(exam_id, "items", "first", compute)
        sit("demo-exam", person("kim@example.org"), [True] * 5)
        fresh = snapshots.get(exam_id, "items", "first", compute)
        assert compute.finished == [1, 2] and fresh.data["finished"] == 2 and not fresh.outdated
        assert _rows() == 1  # replaced, not added
        stored = db.session.scalar(select(ReportSnapshot))
        assert stored.finished == 2 and stored.data == fresh.data


def test_a_large_quiz_shows_the_stored_report_with_how_far_behind_until_recomputed(app, exam_id):
    app.config["REPORT_INLINE_ATTEMPTS"] = 0  # every quiz counts as large
    compute = Computations()
    with app.app_context():
        assert snapshots.get(exam_id, "items", "first", _refuse) is None  # never computed in a request
        stored = snapshots.recompute(exam_id, "items", "first", compute)
        sit("demo-exam", person("kim@example.org"), [True] * 5)
        sit("demo-exam", person("ann@example.org"), [True] * 5)
        stale = snapshots.get(exam_id, "items", "first", _refuse)
        assert (stale.data, stale.outdated, stale.behind) == (stored.data, True, 2) and compute.finished == [1]
        fresh = snapshots.recompute(exam_id, "items", "first", compute)
        assert not fresh.outdated and fresh.data["finished"] == 3 and compute.finished == [1, 3]
        assert snapshots.get(exam_id, "items", "first", _refuse) == fresh


def test_a_regrade_makes_the_stored_report_out_of_date(app, exam_id):
    app.config["REPORT_INLINE_ATTEMPTS"] = 0
    with app.app_context():
        snapshots.recompute(exam_id, "items", "first", Computations())
        audit.record(None, "regrade", "question:1")
        stale = snapshots.get(exam_id, "items", "first", _refuse)
        assert stale.outdated and stale.behind == 0  # nothing finished since: answers were regraded
