"""Walk every route: anonymous users are sent to sign in; each area refuses the wrong role with 403."""

import re

import pytest

PUBLIC = {
    "static", "health.check", "catalog.index", "quiz.show", "auth.login", "auth.register", "recommend.start",
    "auth.reset_request", "auth.reset_password",  # a reset link is for someone who cannot sign in (tests/accounts)
    "recommend.courses", "auth.logout",  # logout without a session changes nothing: 303, no cookie (test_auth)
    # LTI: the platform's protocol endpoints and the published key set; the picker needs a launch (tests/lti).
    "lti.login", "lti.launch", "lti.jwks", "lti.pick",
    "credentials.lookup", "credentials.verify",  # anyone checks a certificate (tests/credentials/test_verify.py)
    # Mailed links: the token is the authority, no sign-in (tests/accounts/test_email_verification.py,
    # tests/reminders/test_unsubscribe.py).
    "auth.verify_email", "profile.unsubscribe", "profile.unsubscribe_confirm", "profile.unsubscribe_one_click",
}
AREAS = {"author.": ("learner",), "report.": ("learner",), "admin.": ("learner", "instructor")}


def routes(app):
    """Yield (endpoint, method, url) for every route, with placeholder values in the URL."""
    for rule in app.url_map.iter_rules():
        url = re.sub(r"<int:\w+>", "1", rule.rule)
        url = re.sub(r"<(?:\w+:)?\w+>", "x", url)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, url


def call(client, method, url):
    """Send one request without following redirects."""
    return client.open(url, method=method, data={})


def test_every_non_public_route_sends_anonymous_users_to_sign_in(app, client):
    checked = 0
    for endpoint, method, url in routes(app):
        if endpoint in PUBLIC:
            continue
        response = call(client, method, url)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"], (endpoint, method)
        checked += 1
    assert checked > 40


@pytest.mark.parametrize("role", ["learner", "instructor"])
def test_areas_refuse_the_wrong_role(app, auth, role):
    client = auth.sign_in(role)
    for endpoint, method, url in routes(app):
        refused_for = next((roles for prefix, roles in AREAS.items() if endpoint.startswith(prefix)), ())
        if role in refused_for:
            assert call(client, method, url).status_code == 403, (endpoint, method)


def test_admins_reach_every_area(auth):
    client = auth.sign_in("admin")
    for path in ("/author/", "/reports/", "/admin/", "/admin/users", "/admin/exports", "/author/quizzes"):
        assert client.get(path).status_code == 200, path
