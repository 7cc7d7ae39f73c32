"""The statements of a finished attempt (pure) and the xAPI 1.0.3 check they must pass."""

from __future__ import annotations

import copy
import re
from datetime import datetime, timedelta

import pytest

from quizapp.config import ConfigError, check
from quizapp.xapi import statements as st
from tests.xapi import conformance

SITE = "https://quiz.example"
STARTED = datetime(2026, 3, 1, 9, 0, 0)
ADVICE = {
    "track": "bls",
    "track_title": "BLS Provider",
    "readiness": "ready",
    "review_topics": [],
    "reasons": [{"code": "x", "text": "You work in an ICU"}],
}


def finished(passed: bool = True, **changes) -> st.Finished:
    """Return a finished attempt of two questions, one right and one wrong."""
    answers = (
        st.Answer(1, "cpr-001", "choice", 1.0, 1.0, True, STARTED + timedelta(minutes=1)),
        st.Answer(2, "aed-002", "sequencing", 2.0, 0.0, False, STARTED + timedelta(minutes=2)),
    )
    values = {
        "public_id": "abc123",
        "quiz_slug": "bls-exam",
        "quiz_title": "BLS exam",
        "started_at": STARTED,
        "submitted_at": STARTED + timedelta(minutes=3, seconds=4.5),
        "score": 1.0,
        "max_score": 3.0,
        "passed": passed,
        "topics": {"cpr": 100.0, "aed": 0.0},
        "recommendation": ADVICE,
        "answers": answers,
    }
    return st.Finished(**{**values, **changes})


def test_the_statements_are_attempted_answered_completed_and_the_verdict():
    made = st.build(SITE, st.Learner(7), finished())
    assert [s["verb"]["id"].rsplit("/", 1)[-1] for s in made] == [
        "attempted",
        "answered",
        "answered",
        "completed",
        "passed",
    ]
    assert [conformance.problems(s) for s in made] == [[]] * 5
    assert made[0]["timestamp"] == "2026-03-01T09:00:00.000Z"
    assert made[2]["result"] == {
        "completion": True,
        "success": False,
        "score": {"scaled": 0.0, "raw": 0.0, "min": 0, "max": 2.0},
    }
    assert made[2]["object"]["definition"]["interactionType"] == "sequencing"
    verdict = made[-1]["result"]
    assert verdict["score"] == {"scaled": 0.3333, "raw": 1.0, "min": 0, "max": 3.0}
    assert verdict["duration"] == "PT3M4.5S" and verdict["success"] is True
    assert verdict["extensions"][f"{SITE}/xapi/extensions/topic-scores"] == {"aed": 0.0, "cpr": 100.0}
    kept = verdict["extensions"][f"{SITE}/xapi/extensions/recommendation"]
    assert kept == {"track": "bls", "track_title": "BLS Provider", "readiness": "ready", "review_topics": []}


def test_a_failed_attempt_ends_with_failed():
    assert st.build(SITE, st.Learner(7), finished(passed=False))[-1]["verb"]["id"].endswith("/failed")


def test_ids_are_the_same_for_the_same_attempt_and_differ_between_attempts():
    first, again = st.build(SITE, st.Learner(7), finished()), st.build(SITE, st.Learner(7), finished())
    other = st.build(SITE, st.Learner(7), finished(public_id="other"))
    assert first == again
    assert len({s["id"] for s in first}) == len(first)
    assert not {s["id"] for s in first} & {s["id"] for s in other}


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "PT0S"), (4.5, "PT4.5S"), (60, "PT1M"), (3723.25, "PT1H2M3.25S"), (7200, "PT2H"), (-3, "PT0S")],
)
def test_durations_are_iso_8601(seconds, text):
    assert st.duration(timedelta(seconds=seconds)) == text
    assert conformance.problems(broken("result.duration", text)) == []


def test_the_actor_is_an_account_unless_a_mailbox_is_configured():
    learner = st.Learner(7, "pat@example.org")
    assert st.actor(learner, SITE, "account") == {
        "objectType": "Agent",
        "account": {"homePage": SITE, "name": "user-7"},
    }
    assert st.actor(learner, SITE, "mbox") == {"objectType": "Agent", "mbox": "mailto:pat@example.org"}
    assert len(st.actor(learner, SITE, "mbox_sha1sum")["mbox_sha1sum"]) == 40
    launched = st.Learner(7, None, ("https://lms.example", "sub-9"))
    assert st.actor(launched, SITE, "mbox")["account"] == {"homePage": "https://lms.example", "name": "sub-9"}


def broken(path: str, value: object) -> dict:
    """Return a valid statement with one value replaced (or removed, for None)."""
    statement = copy.deepcopy(st.build(SITE, st.Learner(7), finished())[-1])
    *parents, last = path.split(".")
    target = statement
    for part in parents:
        target = target[part]
    if value is None:
        del target[last]
    else:
        target[last] = value
    return statement


@pytest.mark.parametrize(
    ("path", "value", "reason"),
    [
        ("actor", None, "actor: Field required"),
        ("verb.id", "passed", "verb.id: "),
        ("object.id", "not an iri", "object.BaseXapiActivity.id: "),
        ("id", "123", "id: "),
        ("actor.mbox", "mailto:a@b.example", "Extra inputs are not permitted"),
        ("actor.account", {"homePage": SITE}, "actor.BaseXapiAgentWithAccount.account.name: Field required"),
        ("timestamp", "2026-03-01T09:00:00", "timestamp: not an ISO 8601 date-time with a time zone"),
        ("result.duration", "PT", "result.duration: "),
        ("result.duration", "3 minutes", "result.duration: "),
        ("result.score", {"scaled": 1.5}, "result.score.scaled: "),
        ("result.score", {"raw": 5, "min": 0, "max": 3}, "result.score: "),
        ("result.success", "yes", "result.success: "),
        ("result.extensions", {"topics": {}}, "result.extensions.topics.[key]: "),
        ("context.registration", "r-1", "context.registration: "),
        ("context.contextActivities", {"parents": []}, "context.contextActivities.parents: "),
        ("verb.display", {"en us": "passed"}, "verb.display.en us.[key]: "),
        ("object.definition.interactionType", "essay", "interactionType: "),
        ("stored_by", "me", "stored_by: Extra inputs are not permitted"),
    ],
)
def test_the_check_refuses_what_the_specification_refuses(path, value, reason):
    found = conformance.problems(broken(path, value))
    assert any(reason in p for p in found), found


@pytest.mark.parametrize(
    ("settings", "reason"),
    [
        ({"XAPI_ENDPOINT": "https://lrs.example/xapi"}, "XAPI_SITE must be an http(s) URL"),
        ({"XAPI_ENDPOINT": "lrs.example", "XAPI_SITE": SITE}, "XAPI_ENDPOINT must be an http(s) URL"),
        ({"XAPI_ENDPOINT": "https://lrs.example", "XAPI_SITE": SITE, "XAPI_ACTOR": "email"}, "XAPI_ACTOR"),
    ],
)
def test_the_app_refuses_incomplete_xapi_settings(settings, reason):
    with pytest.raises(ConfigError, match=re.escape(reason)):
        check({"QUIZAPP_ENV": "testing", **settings})
    check({"QUIZAPP_ENV": "testing", "XAPI_ACTOR": "email"})  # without an endpoint nothing is sent or checked
