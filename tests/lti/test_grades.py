"""Grade return: a launched attempt leaves an outbox row; `send` posts its score to the platform on loopback."""

from __future__ import annotations

from datetime import datetime

import jwt
import requests
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.jobs.runner import TASK
from quizapp.lti import grades
from quizapp.models import AuditEvent, GradeStatus, Job, JobState, LtiGrade, LtiLaunch
from tests.exports.support import csv_rows, download
from tests.lti.platform import CLIENT_ID, TOKEN, launch
from tests.recommendation.test_recommendation_pages import NURSE, intake_quiz
from tests.taking.helpers import answer_all, start

SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"


def take_quiz(client, app, correct: bool = True) -> str:
    """Start the launched quiz, answer every question, submit; return the attempt's public id."""
    public_id = start(client, "demo-exam")
    answer_all(client, app, public_id, correct)
    assert client.post(f"/attempts/{public_id}/submit").status_code == 303
    return public_id


def only_grade() -> LtiGrade:
    """Return the one outbox row."""
    return db.session.execute(select(LtiGrade)).scalar_one()


def test_score_json_is_a_completed_fully_graded_score():
    body = grades.score_json("sub-1", 80.0, 100, "Recommended track: BLS", datetime(2026, 1, 2, 3, 4, 5))
    assert body == {
        "userId": "sub-1",
        "scoreGiven": 80.0,
        "scoreMaximum": 100,
        "comment": "Recommended track: BLS",
        "activityProgress": "Completed",
        "gradingProgress": "FullyGraded",
        "timestamp": "2026-01-02T03:04:05.000+00:00",
    }
    assert "comment" not in grades.score_json("sub-1", 0, 100, None, datetime(2026, 1, 2))


def test_service_url_keeps_the_line_items_query():
    assert grades.service_url("https://lms.example/li/7?type=x", "/scores") == "https://lms.example/li/7/scores?type=x"


def test_submitting_a_launched_attempt_queues_the_grade_and_a_worker_sends_it(queued, registered):
    client = queued.test_client()  # as in production: the request only queues the job
    assert launch(client, registered).status_code == 303
    take_quiz(client, queued)
    with queued.app_context():
        grade = only_grade()
        assert (grade.score_given, grade.score_maximum, grade.status, grade.tries) == (100.0, 100, "pending", 0)
        assert grade.lineitem_url == registered.url("/lineitems/1")
        job = db.session.execute(select(Job)).scalar_one()
        assert (job.kind, job.state, job.params) == ("lti.grade", JobState.QUEUED, {"grade_id": grade.id})
    assert registered.received == [r for r in registered.received if r.path == "/jwks"]  # nothing sent in a request
    queued.extensions["celery"].tasks[TASK].apply((job.id,))  # what the worker does with the message
    with queued.app_context():
        assert only_grade().status == GradeStatus.SENT and db.session.get(Job, job.id).state == JobState.DONE
    assert registered.requests_to("/lineitems/1/scores")[0].json()["scoreGiven"] == 100.0


def test_without_a_broker_the_grade_is_sent_at_once_as_in_development(app, client, registered):
    launch(client, registered)
    take_quiz(client, app)
    with app.app_context():
        assert only_grade().status == GradeStatus.SENT
        assert db.session.execute(select(Job.state)).scalar_one() == JobState.DONE
    assert len(registered.requests_to("/lineitems/1/scores")) == 1


def test_a_platform_that_stays_down_fails_the_job_and_keeps_the_grade_for_a_retry(app, client, registered):
    registered.score_status = 503
    launch(client, registered)
    take_quiz(client, app)
    with app.app_context():
        grade, job = only_grade(), db.session.execute(select(Job)).scalar_one()
        assert grade.status == GradeStatus.PENDING and "503" in grade.last_error
        assert grade.tries == app.config["JOBS_MAX_RETRIES"] + 1  # the first try and each retry of the job
        assert job.state == JobState.FAILED and "503" in job.error


def test_a_wrong_attempt_records_zero_and_submitting_again_adds_no_row(app, client, registered):
    launch(client, registered)
    public_id = take_quiz(client, app, correct=False)
    client.post(f"/attempts/{public_id}/submit")
    with app.app_context():
        assert [g.score_given for g in db.session.execute(select(LtiGrade)).scalars()] == [0.0]


def test_attempts_not_launched_from_a_platform_send_nothing(app, learner):
    take_quiz(learner, app)
    with app.app_context():
        assert db.session.execute(select(LtiGrade)).first() is None


def test_send_posts_the_score_with_a_token_from_a_signed_assertion(queued, registered):
    app, client = queued, queued.test_client()
    launch(client, registered)
    take_quiz(client, app)
    with app.app_context():
        grade = only_grade()
        assert grades.send(grade, requests.Session()) is True
        db.session.commit()
        assert (grade.status, grade.tries, grade.last_error) == (GradeStatus.SENT, 1, None)
        audited = db.session.execute(select(AuditEvent).where(AuditEvent.action == "lti.grade.sent")).scalar_one()
        assert audited.details["score"]["scoreGiven"] == 100.0
    token_request = registered.requests_to("/token")[0].form()
    assert token_request["grant_type"] == "client_credentials"
    assert token_request["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    assert token_request["scope"] == "https://purl.imsglobal.org/spec/lti-ags/scope/score"
    assertion = verified(client, token_request["client_assertion"], audience=registered.url("/token"))
    assert assertion["iss"] == assertion["sub"] == CLIENT_ID and assertion["jti"]
    [score] = registered.requests_to("/lineitems/1/scores")
    assert score.headers["Content-Type"] == SCORE_TYPE and score.headers["Authorization"] == f"Bearer {TOKEN}"
    body = score.json()
    assert body["userId"] == "platform-user-42" and body["scoreGiven"] == 100.0 and body["scoreMaximum"] == 100
    assert (body["activityProgress"], body["gradingProgress"]) == ("Completed", "FullyGraded")


def verified(client, token: str, audience: str) -> dict:
    """Verify a JWT the tool signed with the key set it publishes."""
    key_set = jwt.PyJWKSet.from_dict(client.get("/lti/jwks").get_json())
    kid = jwt.get_unverified_header(token)["kid"]
    key = next(k for k in key_set.keys if k.key_id == kid)
    return jwt.decode(token, key, algorithms=["RS256"], audience=audience)


def test_send_adds_a_line_item_when_the_launch_gave_only_the_container(queued, registered):
    app, client = queued, queued.test_client()
    ags = {"scope": [grades.c.SCORE_SCOPE, grades.c.LINEITEM_SCOPE], "lineitems": registered.url("/lineitems")}
    launch(client, registered, **{grades.c.AGS_ENDPOINT: ags})
    take_quiz(client, app)
    with app.app_context():
        grade = only_grade()
        assert grade.lineitem_url is None
        assert grades.send(grade, requests.Session()) is True
        db.session.commit()
        assert grade.lineitem_url == registered.url("/lineitems/100")
    looked, created = registered.requests_to("/lineitems")
    assert (looked.method, looked.query, created.method) == ("GET", {"resource_link_id": ["link-1"]}, "POST")
    assert created.json() == {
        "scoreMaximum": 100,
        "label": "Demo exam",
        "resourceId": "demo-exam",
        "resourceLinkId": "link-1",
    }
    assert registered.requests_to("/lineitems/100/scores")[0].json()["scoreGiven"] == 100.0


def test_a_platform_error_is_kept_for_a_retry_and_gives_up_after_max_tries(queued, registered):
    app, client = queued, queued.test_client()
    launch(client, registered)
    take_quiz(client, app)
    registered.score_status = 503
    with app.app_context():
        grade = only_grade()
        assert grades.send(grade, requests.Session()) is False
        assert (grade.status, grade.tries) == (GradeStatus.PENDING, 1) and "503" in grade.last_error
        assert grades.pending() == [grade]
        grade.tries = grades.MAX_TRIES - 1
        assert grades.send(grade, requests.Session()) is False
        assert grade.status == GradeStatus.FAILED and grades.pending() == []
        db.session.commit()


def test_a_launch_without_grade_services_records_no_grade(app, client, registered):
    launch(client, registered, **{grades.c.AGS_ENDPOINT: None})
    take_quiz(client, app)
    with app.app_context():
        assert db.session.execute(select(LtiLaunch)).scalar_one().lineitem_url is None
        assert db.session.execute(select(LtiGrade)).first() is None


def test_a_launched_learners_attempt_names_the_platform_in_the_export(app, client, auth, registered):
    launch(client, registered)
    take_quiz(client, app)
    take_quiz(auth.sign_in("learner", client=app.test_client()), app)
    admin = auth.sign_in("admin", "admin@example.org", client=app.test_client())
    rows = csv_rows(download(admin, dataset="attempts", format="csv").data)
    assert [(r["platform"], r["platform_user_id"]) for r in rows] == [(registered.issuer, "platform-user-42"), ("", "")]
    assert rows[0]["learner_email"].endswith("@lti.invalid") and rows[1]["learner_email"] == "learner@example.org"


def test_an_intake_quiz_sends_the_recommended_track_as_the_scores_comment(app, client, registered, tmp_path):
    intake_quiz(app, tmp_path)
    assert launch(client, registered, **{grades.c.CUSTOM: {"quiz": "intake-quiz"}}).status_code == 303
    public_id = client.post("/quizzes/intake-quiz/start", data=NURSE).headers["Location"].split("/")[2]
    answer_all(client, app, public_id)
    assert client.post(f"/attempts/{public_id}/submit").status_code == 303
    [score] = registered.requests_to("/lineitems/1/scores")
    assert score.json()["comment"] == "Recommended track: BLS for Healthcare Providers"
    with app.app_context():
        assert only_grade().comment == score.json()["comment"]
