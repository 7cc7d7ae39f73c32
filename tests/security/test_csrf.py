"""With CSRF on (as in production): writes without a token are refused without losing the learner's place."""

import re

from quizapp.models import Response
from tests.conftest import DATA, count, import_paths, make_user
from tests.support import csrf_token, login_with_token

# RFC 8058 one-click unsubscribe: mail readers post without a token; a signed token stands in (an unsigned one is a
# 404, tests/reminders/test_unsubscribe.py).
SIGNED_INSTEAD = {"profile.unsubscribe_one_click"}


def test_every_post_route_requires_a_token(csrf_app):
    client = csrf_app.test_client()
    for rule in csrf_app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        url = re.sub(r"<int:\w+>", "1", rule.rule)
        url = re.sub(r"<(?:\w+:)?\w+>", "x", url)
        response = client.post(url, data={"a": "b"})
        expected = (404,) if rule.endpoint in SIGNED_INSTEAD else (303, 400)
        assert response.status_code in expected, (url, response.status_code)


def test_expired_token_on_a_question_redirects_back_with_a_message(csrf_app, app):
    import_paths(app, DATA / "demo-bank.yaml", DATA / "demo-quizzes.yaml")
    make_user(app)
    client = csrf_app.test_client()
    login_with_token(client, "learner@example.org")
    response = client.post("/attempts/unknown/questions/1", data={"answer": "0"})
    assert response.status_code == 303
    assert "/attempts/unknown/questions/1" in response.headers["Location"]
    assert "session expired" in client.get("/").get_data(as_text=True)


def test_answer_survives_an_expired_session_and_the_learner_returns_to_the_attempt(csrf_app, app):
    import_paths(app, DATA / "demo-bank.yaml", DATA / "demo-quizzes.yaml")
    make_user(app)
    client = csrf_app.test_client()
    credentials = {"email": "learner@example.org", "password": "correct horse battery"}
    login_with_token(client, credentials["email"])
    started = client.post("/quizzes/demo-exam/start", data={"csrf_token": csrf_token(client, "/quizzes/demo-exam")})
    question = started.headers["Location"]
    client.delete_cookie("session")  # the session (and its CSRF token) expired while the learner was answering
    response = client.post(question, data={"answer": "1", "csrf_token": "stale", "go": "next"})
    assert response.status_code == 303 and response.headers["Location"] == question
    to_login = client.get(question)
    assert to_login.status_code == 302 and "/auth/login" in to_login.headers["Location"]
    login_url = to_login.headers["Location"]
    back = client.post(login_url, data={**credentials, "csrf_token": csrf_token(client, login_url)})
    assert back.headers["Location"] == question
    page = client.get(question).get_data(as_text=True)
    assert re.search(r'<input[^>]*checked[^>]*value="1"', page)
    assert "This answer is not saved yet" in page


def test_a_signed_in_learners_answer_with_a_wrong_token_is_not_saved(csrf_app, app):
    import_paths(app, DATA / "demo-bank.yaml", DATA / "demo-quizzes.yaml")
    make_user(app)
    client = csrf_app.test_client()
    login_with_token(client, "learner@example.org")
    started = client.post("/quizzes/demo-exam/start", data={"csrf_token": csrf_token(client, "/quizzes/demo-exam")})
    question = started.headers["Location"]
    # The answer form itself checks no token (CSRFProtect checks every POST before the view): both routes refuse.
    assert client.post(question, data={"answer": "1", "csrf_token": "forged", "go": "next"}).status_code == 303
    assert client.post(question + "/autosave", data={"answer": "1", "csrf_token": "forged"}).status_code == 303
    assert count(app, Response) == 0
    token = csrf_token(client, question)
    assert client.post(question + "/autosave", data={"answer": "1", "csrf_token": token}).status_code == 200
    assert count(app, Response) == 1
