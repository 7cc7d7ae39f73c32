"""Stored item statistics: one computation shared by every worker; large quizzes recalculate on request."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import ReportSnapshot
from quizapp.reporting import item_report
from tests.conftest import login
from tests.reporting.support import staff_client, stat, take
from tests.reporting.test_item_stats_page import sat  # noqa: F401 - the six-learner fixture

URL = "/reports/demo-exam/items"


def test_a_computed_report_is_stored_and_another_worker_reads_it(app, sat, make_app, monkeypatch):  # noqa: F811
    first = staff_client(app, "instructor").get(URL).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(ReportSnapshot.id))) == 1
    other = make_app()  # a second worker: its memory holds nothing

    def refuse(*args):
        raise AssertionError("the stored report should have been used")

    monkeypatch.setattr(item_report, "_items", refuse)
    client = other.test_client()
    login(client, "instructor@example.org")
    again = client.get(URL).get_data(as_text=True)
    for name in ("n", "mean", "cic", "skewness"):
        assert stat(again, name) == stat(first, name)
    assert stat(again, "facility", "item-demo-order") == stat(first, "facility", "item-demo-order")
    assert "Recalculate" not in again


def test_a_large_quiz_shows_the_stored_report_until_recalculated(app, sat):  # noqa: F811
    app.config["REPORT_INLINE_ATTEMPTS"] = 0  # every quiz counts as large
    boss = staff_client(app, "instructor")
    first = boss.get(URL).get_data(as_text=True)
    assert "No item statistics are stored for this quiz yet" in first and 'data-stat="n"' not in first
    with app.app_context():  # a large quiz is never computed inside the request
        assert db.session.scalar(select(func.count(ReportSnapshot.id))) == 0
    assert boss.post(f"{URL}/recalculate", data={"attempts": "first"}).status_code == 303  # run eagerly here
    assert stat(boss.get(URL).get_data(as_text=True), "n") == "6"
    take(app, "late@example.org", [True] * 5)
    stale = boss.get(URL).get_data(as_text=True)
    assert stat(stale, "n") == "6"
    assert "1 more attempt finished since" in stale and 'action="/reports/demo-exam/items/recalculate"' in stale
    response = boss.post(f"{URL}/recalculate", data={"attempts": "first"})
    assert response.status_code == 303 and response.headers["Location"] == URL
    fresh = boss.get(URL).get_data(as_text=True)
    assert stat(fresh, "n") == "7" and "Recalculate" not in fresh
    assert "Computed just now" in fresh


def test_recalculating_needs_an_instructor_and_a_csrf_token(app, sat, make_app):  # noqa: F811
    take(app, "learner@example.org", [True] * 5)
    learner = app.test_client()
    login(learner, "learner@example.org")
    assert learner.post(f"{URL}/recalculate").status_code == 403
    guarded = make_app(WTF_CSRF_ENABLED=True).test_client()
    staff_client(app, "instructor")
    login(guarded, "instructor@example.org")
    refused = guarded.post(f"{URL}/recalculate", data={"attempts": "first"})
    assert refused.status_code == 303 and "/auth/login" not in refused.headers["Location"]  # the app's CSRF answer
    with app.app_context():
        assert db.session.scalar(select(func.count(ReportSnapshot.id))) == 0


@pytest.mark.parametrize("mode", ["first", "all"])
def test_each_mode_is_stored_once(app, sat, mode):  # noqa: F811
    boss = staff_client(app, "instructor")
    for _ in range(2):
        boss.get(f"{URL}?attempts={mode}")
    with app.app_context():
        assert db.session.execute(select(ReportSnapshot.mode)).scalars().all() == [mode]


def test_a_regrade_marks_a_large_quizs_stored_report_out_of_date(app, sat):  # noqa: F811
    from quizapp import audit
    from quizapp.reporting import reports

    app.config["REPORT_INLINE_ATTEMPTS"] = 0
    boss = staff_client(app, "instructor")
    boss.post(f"{URL}/recalculate", data={"attempts": "first"})
    with app.app_context():
        audit.record(None, reports.REGRADE_ACTION, target="demo-exam")
        db.session.commit()
    page = boss.get(URL).get_data(as_text=True)
    assert "Answers were regraded since" in page and "more attempt" not in page
