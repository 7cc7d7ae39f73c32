"""The items page never computes a large quiz in the request: it queues a job and shows its status as it runs."""

from __future__ import annotations

import re

from quizapp.extensions import db
from quizapp.models import Job, JobState
from tests.conftest import login
from tests.jobs.support import count_jobs, queue_recompute
from tests.reporting.support import staff_client, stat, take, text_of
from tests.reporting.test_item_stats_page import sat  # noqa: F401 - the six-learner fixture

URL = "/reports/demo-exam/items"


def live_region(page: str) -> str:
    """Return the polite live region holding the job status, with its opening tag."""
    match = re.search(r'(<div class="job-status" aria-live="polite"[^>]*>.*?</div>)', page, re.S)
    assert match, "no job status region"
    return match.group(1)


def test_a_queued_recompute_is_shown_and_followed_not_queued_twice(app, sat):  # noqa: F811
    app.config["REPORT_INLINE_ATTEMPTS"] = 0
    boss = staff_client(app, "instructor")
    job_id = queue_recompute(app, send=False)  # waiting for a worker
    page = boss.get(URL).get_data(as_text=True)
    region = live_region(page)
    assert 'data-job-poll="/reports/demo-exam/items/job"' in region
    assert "Recalculation queued just now: waiting for a worker." in text_of(region)
    assert "Calculate the item statistics" not in page  # one recompute per quiz and mode at a time
    assert boss.post(f"{URL}/recalculate", data={"attempts": "first"}).status_code == 303
    assert count_jobs(app) == 1
    with app.app_context():
        job = db.session.get(Job, job_id)
        job.state, job.progress = JobState.RUNNING, 42
        db.session.commit()
    fragment = boss.get(f"{URL}/job").get_data(as_text=True)
    assert 'data-job-state="running"' in fragment and "Recalculating: 42% done" in text_of(fragment)
    assert '<progress max="100" value="42"' in fragment


def test_the_status_shows_the_new_statistics_link_when_done_and_the_page_their_age(app, sat):  # noqa: F811
    app.config["REPORT_INLINE_ATTEMPTS"] = 0
    boss = staff_client(app, "instructor")
    assert "Calculate the item statistics" in boss.get(URL).get_data(as_text=True)
    queue_recompute(app)  # runs in-process: no broker in tests
    fragment = boss.get(f"{URL}/job").get_data(as_text=True)
    assert 'data-job-state="done"' in fragment and 'href="/reports/demo-exam/items">Show the new statistics' in fragment
    page = boss.get(URL).get_data(as_text=True)
    assert stat(page, "n") == "6" and "Computed just now" in text_of(page)
    assert "data-job-poll" not in live_region(page) and "Recalculated" not in live_region(page)


def test_a_failed_recompute_says_why_on_the_page(app, sat):  # noqa: F811
    app.config["REPORT_INLINE_ATTEMPTS"] = 0
    boss = staff_client(app, "instructor")
    job_id = queue_recompute(app, send=False)
    with app.app_context():
        job = db.session.get(Job, job_id)
        job.state, job.active_key, job.error, job.retries = JobState.FAILED, None, "OperationalError: gone", 3
        db.session.commit()
    region = text_of(live_region(boss.get(URL).get_data(as_text=True)))
    assert "The last recalculation failed after 3 retries: OperationalError: gone" in region


def test_the_status_fragment_is_for_authors_only(app, sat):  # noqa: F811
    take(app, "learner@example.org", [True] * 5)
    learner = app.test_client()
    login(learner, "learner@example.org")
    assert learner.get(f"{URL}/job").status_code == 403
    assert app.test_client().get(f"{URL}/job").status_code == 302
