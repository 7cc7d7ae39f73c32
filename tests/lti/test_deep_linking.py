"""Deep linking: an instructor picks quizzes; the tool posts back a response JWT signed with its published key."""

from __future__ import annotations

import re

import pytest

from quizapp.lti import claims as c
from tests.lti.conftest import register
from tests.lti.platform import DEPLOYMENT_ID, launch
from tests.lti.test_grades import verified
from tests.lti.test_launch import counts
from tests.support import csrf_token

INSTRUCTOR = ["http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"]


def deep_link(client, platform, roles=INSTRUCTOR, **asked):
    """Launch a deep-linking request as the platform's 'add activity' dialog does (`asked`: more settings)."""
    settings = {
        "deep_link_return_url": platform.url("/deep-link-return"),
        "data": "opaque-42",
        "accept_types": ["ltiResourceLink"],
        **asked,
    }
    overrides = {
        c.MESSAGE_TYPE: c.DEEP_LINKING,
        c.ROLES: roles,
        c.DL_SETTINGS: settings,
        c.RESOURCE_LINK: None,
        c.CUSTOM: None,
        c.AGS_ENDPOINT: None,
    }
    return launch(client, platform, **overrides)


def test_an_instructor_picks_quizzes_and_the_tool_returns_a_signed_response(client, registered):
    response = deep_link(client, registered)
    assert response.status_code == 303 and response.headers["Location"].endswith("/lti/pick")
    page = client.get("/lti/pick").get_data(as_text=True)
    assert "Demo exam" in page and "Demo practice" in page
    answer = client.post("/lti/pick", data={"quizzes": ["demo-exam", "demo-timed"]})
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    assert f'action="{registered.url("/deep-link-return")}"' in html
    assert f"form-action 'self' {registered.url('/deep-link-return')}" in answer.headers["Content-Security-Policy"]
    token = re.search(r'name="JWT" value="([^"]+)"', html).group(1)
    body = verified(client, token, audience=registered.issuer)
    assert body["iss"] == "quizapp-client" and body[c.MESSAGE_TYPE] == c.DEEP_LINKING_RESPONSE
    assert body[c.VERSION] == "1.3.0" and body[c.DEPLOYMENT_ID] == DEPLOYMENT_ID and body[c.DL + "data"] == "opaque-42"
    items = body[c.DL + "content_items"]
    assert [i["custom"] for i in items] == [{"quiz": "demo-exam"}, {"quiz": "demo-timed"}]
    assert items[0]["type"] == "ltiResourceLink" and items[0]["url"] == "http://localhost/lti/launch"
    assert items[0]["lineItem"] == {"scoreMaximum": 100, "label": "Demo exam", "resourceId": "demo-exam"}


def test_picking_nothing_is_asked_again(client, registered):
    deep_link(client, registered)
    response = client.post("/lti/pick", data={})
    assert response.status_code == 422 and "Pick at least one quiz" in response.get_data(as_text=True)


def test_a_platform_that_accepts_one_item_gets_one(client, registered):
    deep_link(client, registered, accept_multiple=False)  # e.g. Canvas's Assignment Selection
    assert "Pick one quiz" in client.get("/lti/pick").get_data(as_text=True)
    two = client.post("/lti/pick", data={"quizzes": ["demo-exam", "demo-timed"]})
    assert two.status_code == 422 and 'name="JWT"' not in two.get_data(as_text=True)
    one = client.post("/lti/pick", data={"quizzes": ["demo-timed"]}).get_data(as_text=True)
    body = verified(client, re.search(r'name="JWT" value="([^"]+)"', one).group(1), audience=registered.issuer)
    assert [i["custom"] for i in body[c.DL + "content_items"]] == [{"quiz": "demo-timed"}]


def test_a_learner_cannot_open_the_picker(client, registered):
    response = deep_link(client, registered, roles=["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"])
    assert response.status_code == 400 and "Only instructors" in response.get_data(as_text=True)
    assert client.get("/lti/pick").status_code == 403


def test_the_picker_keeps_csrf_on(csrf_app, demo, platform):
    register(csrf_app, platform)
    client = csrf_app.test_client()
    deep_link(client, platform)
    refused = client.post("/lti/pick", data={"quizzes": ["demo-exam"]})
    assert refused.status_code == 303 and b'name="JWT"' not in refused.data  # sent back to the page, nothing signed
    token = csrf_token(client, "/lti/pick")
    answer = client.post("/lti/pick", data={"quizzes": ["demo-exam"], "csrf_token": token})
    assert answer.status_code == 200 and 'name="JWT"' in answer.get_data(as_text=True)


@pytest.mark.parametrize(
    ("asked", "reason"),
    [
        ({"accept_types": ["file", "html"]}, "does not take activity links"),
        ({"accept_types": None}, "does not take activity links"),
        ({"deep_link_return_url": None}, "does not say where to return"),
        ({"deep_link_return_url": "javascript:alert(1)"}, "does not say where to return"),
    ],
)
def test_a_request_the_tool_cannot_answer_is_refused_and_creates_nothing(app, client, registered, asked, reason):
    before = counts(app)
    response = deep_link(client, registered, **asked)
    assert response.status_code == 400 and reason in response.get_data(as_text=True)
    assert counts(app) == before and client.get("/lti/pick").status_code == 403
