"""An attempt's statements reach a real LRS on loopback: sent by the `xapi.send` job, valid, idempotent, retried."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import requests
from sqlalchemy import select

from quizapp import clock
from quizapp.extensions import db
from quizapp.jobs.runner import TASK
from quizapp.models import Attempt, Job, JobState
from quizapp.xapi import sending, statements
from tests.conftest import signed_in
from tests.jobs.workers import BROKER, redis_or_skip
from tests.lti.conftest import register
from tests.lti.platform import launch
from tests.recommendation.test_recommendation_pages import NURSE, intake_quiz
from tests.taking.helpers import answer_all, start
from tests.xapi import conformance
from tests.xapi.conftest import SITE, xapi_settings
from tests.xapi.lrs import KEY, SECRET

VERBS = "http://adlnet.gov/expapi/verbs/"


def take_quiz(client, app, correct: bool = True) -> str:
    """Start the demo exam, answer every question, submit; return the attempt's public id."""
    public_id = start(client, "demo-exam")
    answer_all(client, app, public_id, correct)
    assert client.post(f"/attempts/{public_id}/submit").status_code == 303
    return public_id


def verbs(lrs) -> list[str]:
    """Return the stored statements' verbs, in the order stored."""
    return [s["verb"]["id"].removeprefix(VERBS) for s in lrs.statements.values()]


def only_job(app) -> Job:
    """Return the one xAPI job asked for at the end of an attempt."""
    with app.app_context():
        stmt = select(Job).where(Job.kind == sending.KIND, Job.key.not_like("%:started"))
        return db.session.execute(stmt).scalar_one()


def test_a_submitted_attempt_sends_valid_statements_with_score_topics_and_verdict(reporting, lrs):
    client = signed_in(reporting, "xapi.learner@example.org", "Xavier")
    public_id = take_quiz(client, reporting)
    with reporting.app_context():
        attempt = db.session.execute(select(Attempt).where(Attempt.public_id == public_id)).scalar_one()
        count, user_id = attempt.question_count, attempt.user_id
    assert verbs(lrs) == ["attempted"] + ["answered"] * count + ["completed", "passed"]
    stored = list(lrs.statements.values())
    assert [conformance.problems(s) for s in stored] == [[]] * len(stored)
    assert {s["actor"]["account"]["homePage"] for s in stored} == {SITE}
    assert {s["actor"]["account"]["name"] for s in stored} == {f"user-{user_id}"}
    assert "xapi.learner@example.org" not in str(stored)  # no mailbox unless configured
    passed = stored[-1]["result"]
    assert passed["success"] is True and passed["completion"] is True
    assert passed["score"] == {"scaled": 1.0, "raw": passed["score"]["max"], "min": 0, "max": passed["score"]["max"]}
    assert passed["duration"].startswith("PT")
    assert set(passed["extensions"][f"{SITE}/xapi/extensions/topic-scores"].values()) == {100.0}
    assert {s["context"]["registration"] for s in stored} == {stored[0]["context"]["registration"]}
    answered = stored[1]
    assert answered["object"]["id"].startswith(f"{SITE}/questions/") and answered["result"]["success"] is True
    assert answered["context"]["contextActivities"]["parent"][0]["id"] == f"{SITE}/quizzes/demo-exam"
    assert only_job(reporting).state == JobState.DONE


def test_starting_sends_attempted_at_once_and_resuming_sends_nothing_more(reporting, lrs):
    client = signed_in(reporting, "starter@example.org", "Stella")
    start(client, "demo-exam")
    [attempted] = lrs.statements.values()
    assert attempted["verb"]["id"] == VERBS + "attempted" and conformance.problems(attempted) == []
    start(client, "demo-exam")  # the open attempt resumes
    with reporting.app_context():
        keys = db.session.execute(select(Job.key).where(Job.kind == sending.KIND)).scalars().all()
    assert len(keys) == 1 and keys[0].endswith(":started") and len(lrs.writes) == 1


def test_a_failed_attempt_sends_failed_with_a_zero_score(reporting, lrs):
    take_quiz(signed_in(reporting, "wrong@example.org", "Wren"), reporting, correct=False)
    last = list(lrs.statements.values())[-1]
    assert verbs(lrs)[-2:] == ["completed", "failed"]
    assert last["result"]["success"] is False and last["result"]["score"]["scaled"] == 0.0


def test_sending_again_stores_nothing_twice_and_a_repeated_submit_queues_nothing(reporting, lrs):
    client = signed_in(reporting, "again@example.org", "Agnes")
    public_id = take_quiz(client, reporting)
    before = dict(lrs.statements)
    client.post(f"/attempts/{public_id}/submit")
    job = only_job(reporting)  # the repeated submit asked for no second job
    with reporting.app_context():
        attempt = db.session.execute(select(Attempt).where(Attempt.public_id == public_id)).scalar_one()
        sending.send_job({"attempt_id": attempt.id}, lambda fraction: None)  # as a redelivered message would
    assert lrs.statements == before and len(lrs.writes) == 1 + 2 * len(before)  # attempted at the start, then twice all
    assert job.result.endswith(f"{len(before)} statements")


def test_an_lrs_that_answers_503_is_retried_and_the_retry_stores_each_statement_once(make_app, demo, lrs):
    redis_or_skip()
    app = make_app(BROKER_URL=BROKER, **xapi_settings(lrs))
    take_quiz(signed_in(app, "retry@example.org", "Rita"), app)
    job = only_job(app)
    assert job.state == JobState.QUEUED and lrs.statements == {}  # the request only queued the job
    lrs.refuse = {3: 503}  # two statements land, then the LRS is down for one request
    outcome = app.extensions["celery"].tasks[TASK].apply((job.id,))
    with app.app_context():
        retried = db.session.get(Job, job.id)
        assert retried.state == JobState.DONE and retried.retries == 1, (outcome.result, retried.error)
    assert len(lrs.statements) == len(set(lrs.statements)) and verbs(lrs)[-1] == "passed"
    assert len(lrs.writes) == len(lrs.statements) + 1 + 2  # the refused write, and the first two sent again
    app.extensions["celery"].control.purge()


def test_a_refusal_fails_the_job_with_the_lrs_reason(make_app, demo, lrs):
    app = make_app(**xapi_settings(lrs, XAPI_SECRET="wrong-secret"))
    take_quiz(signed_in(app, "refused@example.org", "Rufus"), app)
    job = only_job(app)
    assert job.state == JobState.FAILED and "401" in job.error and "attempted" in job.error
    assert job.retries == 0 and lrs.statements == {}


def test_an_unreachable_lrs_is_retried_then_fails(make_app, demo, lrs):
    app = make_app(**xapi_settings(lrs, XAPI_ENDPOINT="http://127.0.0.1:9/xapi"))
    take_quiz(signed_in(app, "down@example.org", "Dawn"), app)
    job = only_job(app)
    assert job.state == JobState.FAILED and "could not be reached" in job.error
    assert job.retries == app.config["JOBS_MAX_RETRIES"]


def test_without_an_lrs_no_job_is_asked_for(app, learner):
    take_quiz(learner, app)
    with app.app_context():
        assert db.session.execute(select(Job).where(Job.kind == sending.KIND)).first() is None


def test_hashed_mailbox_when_configured(make_app, demo, lrs):
    app = make_app(**xapi_settings(lrs, XAPI_ACTOR="mbox_sha1sum"))
    take_quiz(signed_in(app, "hashed@example.org", "Hal"), app)
    digest = hashlib.sha1(b"mailto:hashed@example.org", usedforsecurity=False).hexdigest()
    assert [s["actor"] for s in lrs.statements.values()] == [{"objectType": "Agent", "mbox_sha1sum": digest}] * len(
        lrs.statements
    )


def test_a_launched_learner_is_their_platform_account(make_app, demo, platform, lrs):
    app = make_app(**xapi_settings(lrs))
    register(app, platform)
    client = app.test_client()
    assert launch(client, platform).status_code == 303
    take_quiz(client, app)
    assert {str(s["actor"]["account"]) for s in lrs.statements.values()} == {
        str({"homePage": platform.issuer, "name": "platform-user-42"})
    }
    assert "pat@hospital.example" not in str(list(lrs.statements.values()))


def test_the_lrs_is_called_with_basic_credentials_and_the_version_header(lrs):
    statement = {
        "actor": {"mbox": "mailto:a@b.example"},
        "verb": {"id": VERBS + "answered"},
        "object": {"id": "https://x.example/q"},
    }
    url = lrs.base + "/statements"
    assert requests.post(url, json=statement, auth=(KEY, "nope"), timeout=5).status_code == 401
    assert requests.post(url, json=statement, auth=(KEY, SECRET), timeout=5).status_code == 400  # no header
    headers = {"X-Experience-API-Version": "1.0.3"}
    made = requests.post(url, json=statement, auth=(KEY, SECRET), headers=headers, timeout=5)
    assert made.status_code == 200 and made.headers["X-Experience-API-Version"] == "1.0.3"
    [statement_id] = made.json()
    same = requests.put(
        url, params={"statementId": statement_id}, json=statement, auth=(KEY, SECRET), headers=headers, timeout=5
    )
    assert same.status_code == 204
    other = {**statement, "verb": {"id": VERBS + "attempted"}}
    clash = requests.put(
        url, params={"statementId": statement_id}, json=other, auth=(KEY, SECRET), headers=headers, timeout=5
    )
    assert clash.status_code == 409 and len(lrs.statements) == 1


def test_an_attempt_that_runs_out_of_time_is_reported_too(reporting, lrs, monkeypatch):
    client = signed_in(reporting, "timed@example.org", "Tim")
    public_id = start(client, "demo-timed")
    later = clock.now() + timedelta(minutes=11)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert client.get(f"/attempts/{public_id}/questions/1").status_code == 303  # time is up: finalised, reported
    assert verbs(lrs) == ["attempted", "completed", "failed"]  # nothing was answered
    assert list(lrs.statements.values())[-1]["timestamp"] == statements.timestamp(later)


def test_an_intake_quizs_recommendation_reaches_the_lrs_without_the_intakes_reasons(reporting, lrs, tmp_path):
    intake_quiz(reporting, tmp_path)
    client = signed_in(reporting, "nurse@example.org", "Nora")
    public_id = client.post("/quizzes/intake-quiz/start", data=NURSE).headers["Location"].split("/")[2]
    answer_all(client, reporting, public_id)
    assert client.post(f"/attempts/{public_id}/submit").status_code == 303
    completed, verdict = list(lrs.statements.values())[-2:]
    for stored in (completed, verdict):
        advice = stored["result"]["extensions"][f"{SITE}/xapi/extensions/recommendation"]
        assert (advice["track"], advice["track_title"]) == ("bls-provider", "BLS for Healthcare Providers")
        assert "reasons" not in advice and conformance.problems(stored) == []
