"""With CSRF on (as in production): writes without a token are refused without losing the learner's place."""

import re

import pytest

from tests.conftest import DATA, import_paths, make_user


@pytest.fixture
def csrf_app(make_app):
    """The same database, with CSRF protection on."""
    return make_app(WTF_CSRF_ENABLED=True)


def test_every_post_route_requires_a_token(csrf_app):
    client = csrf_app.test_client()
    for rule in csrf_app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        url = re.sub(r"<int:\w+>", "1", rule.rule)
        url = re.sub(r"<(?:\w+:)?\w+>", "x", url)
        response = client.post(url, data={"a": "b"})
        assert response.status_code in (303, 400), (url, response.status_code)
        assert response.status_code != 200


def test_expired_token_on_a_question_redirects_back_with_a_message(csrf_app, app):
    import_paths(app, DATA / "demo-bank.yaml", DATA / "demo-quizzes.yaml")
    make_user(app)
    client = csrf_app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post(
        "/auth/login", data={"email": "learner@example.org", "password": "correct horse battery", "csrf_token": token}
    )
    response = client.post("/attempts/unknown/questions/1", data={"answer": "0"})
    assert response.status_code == 303
    assert "/attempts/unknown/questions/1" in response.headers["Location"]
    assert "session expired" in client.get("/").get_data(as_text=True)


def token_from(client, url: str) -> str:
    """Fetch a page and return its CSRF token."""
    page = client.get(url).get_data(as_text=True)
    return page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]


def test_answer_survives_an_expired_session_and_the_learner_returns_to_the_attempt(csrf_app, app):
    import_paths(app, DATA / "demo-bank.yaml", DATA / "demo-quizzes.yaml")
    make_user(app)
    client = csrf_app.test_client()
    credentials = {"email": "learner@example.org", "password": "correct horse battery"}
    client.post("/auth/login", data={**credentials, "csrf_token": token_from(client, "/auth/login")})
    started = client.post("/quizzes/demo-exam/start", data={"csrf_token": token_from(client, "/quizzes/demo-exam")})
    question = started.headers["Location"]
    client.delete_cookie("session")  # the session (and its CSRF token) expired while the learner was answering
    response = client.post(question, data={"answer": "1", "csrf_token": "stale", "go": "next"})
    assert response.status_code == 303 and response.headers["Location"] == question
    to_login = client.get(question)
    assert to_login.status_code == 302 and "/auth/login" in to_login.headers["Location"]
    login_url = to_login.headers["Location"]
    back = client.post(login_url, data={**credentials, "csrf_token": token_from(client, login_url)})
    assert back.headers["Location"] == question
    page = client.get(question).get_data(as_text=True)
    assert re.search(r'<input[^>]*checked[^>]*value="1"', page)
    assert "This answer is not saved yet" in page
