"""Fuzzing: generated form payloads to every POST route never produce a server error."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import login, make_user
from tests.web.helpers import start

FIELDS = [
    "answer", "go", "flag", "item_0", "item_1", "item_2", "email", "password", "confirm", "current", "display_name",
    "role", "title", "stem", "type", "explanation", "reference", "tags", "difficulty", "points", "feedback",
    "choices-0-text", "choices-0-correct", "choices-1-text", "answer_value", "tolerance", "min", "max", "format",
    "slug", "description", "draw-0-bank", "draw-0-count", "draw-0-tags", "pass_percent", "time_limit_minutes",
    "attempts_allowed", "grading", "feedback_mode", "review", "intake", "published", "alt", "version", "q",
    "employer_requires", "cares_for", "regulatory", "current_card", "clinical_setting", "base_version", "action",
]
NASTY = ["", " ", "0", "-1", "99999999999999999999", "NaN", "1e309", "true", "<script>alert(1)</script>",
         "' OR 1=1 --", "\x00", "é" * 300, "../../etc/passwd", "=cmd|' /C calc'!A0", "[]", "{}", "next", "prev"]
payloads = st.dictionaries(
    st.sampled_from(FIELDS) | st.text(max_size=12),
    st.lists(st.sampled_from(NASTY) | st.text(max_size=60), min_size=1, max_size=3),
    max_size=8,
)
SKIP = {"auth.logout"}  # would end the fuzzing client's own session


def post_routes(app):
    """Return (endpoint, url template) for every POST route."""
    return sorted(
        (rule.endpoint, rule.rule) for rule in app.url_map.iter_rules()
        if "POST" in rule.methods and rule.endpoint not in SKIP
    )


def fill(template: str, values: dict) -> str:
    """Put real object identifiers into a URL template."""
    url = template.replace("banks/<slug>", f"banks/{values['bank']}")
    url = re.sub(r"<int:\w+>", "1", url)
    for name, value in values.items():
        url = url.replace(f"<{name}>", str(value))
    return re.sub(r"<(?:\w+:)?\w+>", "x", url)


@pytest.fixture
def fuzz_client(app, client, demo):
    """An admin with an open attempt, and the values that fill route placeholders."""
    make_user(app, "fuzz@example.org", role="admin")
    login(client, "fuzz@example.org")
    values = {"public_id": start(client), "slug": "demo-exam", "bank": "demo", "key": "demo-single", "number": 1}
    return client, values


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_post_routes_never_500(app, fuzz_client, data):
    client, values = fuzz_client
    for endpoint, template in post_routes(app):
        payload = data.draw(payloads, label=endpoint)
        response = client.post(fill(template, values), data=payload)
        assert response.status_code < 500, (endpoint, payload, response.status_code)
