"""Security headers on every response, error pages included; error pages show no traceback."""

import pytest

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


@pytest.mark.parametrize("url", ["/", "/auth/login", "/healthz", "/no-such-page", "/static/css/app.css", "/courses"])
def test_headers_everywhere(client, url):
    with client.get(url) as response:
        headers = response.headers
    for name, value in HEADERS.items():
        assert headers.get(name) == value, (url, name)
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp


def test_405_and_404_pages_are_friendly(client):
    assert "We could not find that page." in client.get("/nowhere").get_data(as_text=True)
    assert client.get("/auth/logout").status_code == 405


def test_500_shows_no_traceback(app, client):
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret detail")

    app.testing = False  # behave as in production: the handler renders, the exception does not propagate
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500 and "secret detail" not in body and "Traceback" not in body
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_no_inline_script_in_pages(client, demo):
    for url in ("/", "/auth/login", "/auth/register", "/quizzes/demo-exam", "/recommend", "/courses"):
        body = client.get(url).get_data(as_text=True)
        assert "<script>" not in body and " onclick=" not in body and "javascript:" not in body
