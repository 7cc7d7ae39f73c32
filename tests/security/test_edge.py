"""Control characters (a NUL byte above all, which PostgreSQL cannot store) are refused at the edge on every route."""

from __future__ import annotations

import io
import re

import pytest

from quizapp.edge import MESSAGE
from tests.taking.helpers import start

NUL = "a\x00b"
SHOWN = "control character"


def routes(app) -> list[tuple[str, str, str]]:
    """Return (endpoint, method, url template) for every route and method a person can send."""
    return sorted(
        (rule.endpoint, method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in ("GET", "POST")
        if method in rule.methods
    )


def fill(template: str, values: dict, text: str | None = None) -> str:
    """Put `text` (or, without it, real values) into every text placeholder of a URL template; 1 into numbers."""
    url = re.sub(r"<int:\w+>", "1", template)
    if text is None:
        url = url.replace("banks/<slug>", f"banks/{values['bank']}")
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: text or values.get(m.group(1), "x"), url)


def refused(response) -> bool:
    """Whether the edge refused the request with its message (a page, or JSON for scripts)."""
    return response.status_code == 400 and SHOWN in response.get_data(as_text=True)


@pytest.fixture
def values(auth, demo) -> dict:
    """An admin signed in with an open attempt: real values for every placeholder, so a route gets past lookups."""
    client = auth.sign_in("admin", "edge@example.org")
    return {"public_id": start(client), "slug": "demo-exam", "bank": "demo", "key": "demo-single", "name": "x.png"}


@pytest.mark.parametrize("signed_in", [True, False], ids=["admin", "anonymous"])
def test_every_route_refuses_nul_in_path_query_and_form(app, client, values, signed_in):
    if not signed_in:
        client.post("/auth/logout")
    checked = 0
    for endpoint, method, template in routes(app):
        if endpoint == "auth.logout" and signed_in:
            continue  # a clean logout would end the session this test walks with
        real = fill(template, values)
        if "<" in template.replace("<int:", ""):
            response = client.open(fill(template, values, "a%00b"), method=method)
            assert refused(response), (endpoint, method, "path", response.status_code)
        response = client.open(real, method=method, query_string={"q": NUL, "next": "/\x00"})
        assert refused(response), (endpoint, method, "query", response.status_code)
        response = client.open(real, method=method, query_string={NUL: "1"})
        assert refused(response), (endpoint, method, "query name", response.status_code)
        if method == "POST":
            form = {"email": "a\x00b@example.org", "display_name": NUL, "answer": "0", "stem": NUL, "title": NUL}
            response = client.post(real, data=form)
            assert refused(response), (endpoint, "form", response.status_code)
        checked += 1
    assert checked >= 50


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("GET", "/quizzes/a%00b", None),
        ("POST", "/quizzes/a%00b/start", None),
        ("GET", "/attempts/a%00b/questions/1", None),
        ("GET", "/no-such-page%00", None),
        ("GET", "/static/css/app.css%00", None),
        ("POST", "/auth/login", {"email": "a\x00b@example.org", "password": "whatever!"}),
        ("POST", "/auth/register", {"email": "a@example.org", "display_name": NUL, "password": "x", "confirm": "x"}),
        ("GET", "/admin/users?q=a%00b", None),
        ("GET", "/admin/users?q=a%1Bb", None),  # ESC, and every other C0 control, too
        ("POST", "/auth/login", {"email": "ok@example.org", "password": "pass\x1bword"}),
        ("POST", "/auth/login", {"email": "ok@example.org", "pass\x00word": "x"}),
    ],
)
def test_named_cases_from_the_attack(app, client, values, method, url, data):
    assert refused(client.open(url, method=method, data=data))


def test_nul_in_an_uploaded_file_name_is_refused(client, values):
    upload = {"file": (io.BytesIO(b"format: quizapp-bank/1\n"), "bank\x00.yaml")}
    response = client.post(f"/author/banks/{values['bank']}/import", data=upload, content_type="multipart/form-data")
    assert refused(response)


def test_scripts_get_the_message_as_json(client, values):
    url = f"/attempts/{values['public_id']}/questions/1/autosave"
    response = client.post(url, data={"answer": NUL}, headers={"Accept": "application/json"})
    assert response.status_code == 400 and response.get_json() == {"error": MESSAGE}


def test_tab_and_line_breaks_still_reach_text_fields(app, client, values):
    assert client.get("/admin/users?q=a%09b").status_code == 200
    client.post("/auth/logout")
    response = client.post("/auth/login", data={"email": "edge@example.org", "password": "line\r\nbreak\tand tab"})
    assert response.status_code == 200 and "not right" in response.get_data(as_text=True)
