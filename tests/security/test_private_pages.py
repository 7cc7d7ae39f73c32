"""Personal pages are never stored by browsers or proxies; production pins HTTPS with HSTS."""

import secrets

import pytest


@pytest.mark.parametrize("path", ["/", "/attempts", "/auth/password", "/recommend"])
def test_signed_in_pages_are_no_store(learner, path):
    response = learner.get(path)
    assert response.headers["Cache-Control"] == "no-store", path


def test_result_and_review_are_no_store(learner, demo):
    page = learner.post("/quizzes/demo-practice/start")
    assert page.headers["Cache-Control"] == "no-store"
    attempt = page.headers["Location"]
    assert learner.get(attempt).headers["Cache-Control"] == "no-store"


def test_anonymous_pages_and_static_files_may_be_cached(app, learner):
    assert "no-store" not in app.test_client().get("/auth/login").headers.get("Cache-Control", "")
    with learner.get("/static/css/app.css") as static:
        assert "no-store" not in static.headers.get("Cache-Control", "")


def test_hsts_only_in_production(client, make_app):
    assert "Strict-Transport-Security" not in client.get("/auth/login").headers
    production = make_app(QUIZAPP_ENV="production", SECRET_KEY=secrets.token_hex(32), BROKER_URL="redis://127.0.0.1:6379/5",
                          MAIL_URL="smtp://127.0.0.1:2525", PUBLIC_URL="https://quiz.example.org")
    header = production.test_client().get("/healthz").headers["Strict-Transport-Security"]
    assert header.startswith("max-age=63072000")
