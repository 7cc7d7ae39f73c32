"""quizapp.signed: a session cookie verified once per worker stays bound by its lifetime; CSRF signatures reused."""

import time

from flask import request

from quizapp import signed
from tests.conftest import DATA, import_paths, make_user
from tests.support import csrf_token, login_with_token


def later(monkeypatch, seconds: float) -> None:
    """Move the clock `signed` and itsdangerous read forward."""
    now = time.time() + seconds
    monkeypatch.setattr(time, "time", lambda: now)


def test_a_cookie_verified_once_is_refused_past_the_session_lifetime(app, auth, monkeypatch):
    client = auth.sign_in("learner")
    assert client.get("/profile").status_code == 200
    assert client.get("/profile").status_code == 200  # the same cookie string again: from this worker's cache
    assert app.extensions["quizapp.signed.sessions"]
    later(monkeypatch, app.permanent_session_lifetime.total_seconds() + 1)
    response = client.get("/profile")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_a_changed_cookie_is_refused_beside_the_cached_one(app, auth):
    client = auth.sign_in("learner")
    assert client.get("/profile").status_code == 200
    cookie = client.get_cookie("session").value
    client.set_cookie("session", cookie[:-2] + ("AA" if not cookie.endswith("AA") else "BB"))
    response = client.get("/profile")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    client.set_cookie("session", cookie)
    assert client.get("/profile").status_code == 200


def test_requests_with_one_cookie_never_share_nested_values(app):
    cookie = app.session_interface.get_signing_serializer(app).dumps({"kept": {"values": [1]}})
    opened = []
    for _ in range(3):
        with app.test_request_context("/", headers={"Cookie": f"session={cookie}"}):
            session = signed.open_session(app.session_interface, app, request)
            opened.append(session["kept"]["values"][:])
            session["kept"]["values"].append(2)  # in place, as flash() appends to its list
    assert opened == [[1], [1], [1]]


def start_page(csrf_app, app, email: str) -> tuple:
    """Sign `email` in on a CSRF-protected client, start the demo exam; return (client, first question's URL)."""
    make_user(app, email)
    client = csrf_app.test_client()
    login_with_token(client, email)
    started = client.post("/quizzes/demo-exam/start", data={"csrf_token": csrf_token(client, "/quizzes/demo-exam")})
    return client, started.headers["Location"]


def test_a_sessions_csrf_signature_is_reused_and_accepted(csrf_app, app):
    import_paths(app, DATA / "demo-bank.yaml", DATA / "demo-quizzes.yaml")
    client, question = start_page(csrf_app, app, "lee@example.org")
    first, again = csrf_token(client, question), csrf_token(client, question)
    assert first == again  # signed once, then reused
    assert client.post(question + "/autosave", data={"answer": "1", "csrf_token": first}).status_code == 200
    other, other_question = start_page(csrf_app, app, "kim@example.org")
    theirs = csrf_token(other, other_question)
    assert theirs != first  # each session's own token
    assert other.post(other_question + "/autosave", data={"answer": "1", "csrf_token": first}).status_code == 303


def test_with_a_time_limit_a_signature_is_reused_for_a_sixtieth_of_it(csrf_app, app, monkeypatch):
    import_paths(app, DATA / "demo-bank.yaml", DATA / "demo-quizzes.yaml")
    csrf_app.config["WTF_CSRF_TIME_LIMIT"] = 3600
    client, question = start_page(csrf_app, app, "lee@example.org")
    first = csrf_token(client, question)
    later(monkeypatch, 30)
    assert csrf_token(client, question) == first
    later(monkeypatch, 61)
    renewed = csrf_token(client, question)
    assert renewed != first  # signed again: the page's token keeps its whole hour
    for token in (first, renewed):
        assert client.post(question + "/autosave", data={"answer": "1", "csrf_token": token}).status_code == 200
