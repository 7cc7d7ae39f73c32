"""Launches: a valid one signs the platform's user in and opens the quiz; invalid ones are refused, changing nothing."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import LtiLaunch, LtiLogin, LtiUser, User
from tests.conftest import login as conftest_login
from tests.conftest import make_user
from tests.lti.platform import launch, login

COUNTED = (User, LtiUser, LtiLaunch)


def counts(app) -> dict:
    """Count the rows a launch creates."""
    with app.app_context():
        return {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in COUNTED}


def post_launch(client, state: str, token: str):
    """Post a launch form as the platform's auto-submitted page does."""
    return client.post(
        "/lti/launch", data={"id_token": token, "state": state}, headers={"Origin": "https://lms.example"}
    )


def test_launch_signs_in_the_platform_user_and_opens_the_quiz(app, client, registered):
    state, nonce = login(client, registered)
    response = post_launch(client, state, registered.sign(registered.claims(nonce)))
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/quizzes/demo-exam")
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "SameSite=None" in cookie and "Secure" in cookie and "Partitioned" in cookie
    page = client.get("/quizzes/demo-exam")
    assert f"frame-ancestors {registered.issuer} https://lms.example;" in page.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in page.headers
    with app.app_context():
        link = db.session.execute(select(LtiUser)).scalar_one()
        assert (link.issuer, link.subject) == (registered.issuer, "platform-user-42")
        assert link.user.display_name == "Pat Platform"
        assert "pat@hospital.example" not in link.user.email  # the email claim is not stored
        assert not link.user.check_password("")
        stored = db.session.execute(select(LtiLaunch)).scalar_one()
        assert stored.lineitem_url == registered.url("/lineitems/1") and stored.resource_link_id == "link-1"


def test_the_same_platform_user_is_matched_not_created_again(app, client, registered):
    for _ in range(2):
        state, nonce = login(client, registered)
        assert post_launch(client, state, registered.sign(registered.claims(nonce))).status_code == 303
    assert counts(app) == {"User": 1, "LtiUser": 1, "LtiLaunch": 2}


def forged(platform, nonce: str) -> str:
    """Sign valid claims with a key that is not the platform's (same kid)."""
    return platform.sign(platform.claims(nonce), key=rsa.generate_private_key(65537, 2048))


INVALID = {
    "wrong issuer": (lambda p, n: p.sign(p.claims(n, iss="https://other.example")), "another platform"),
    "wrong audience": (lambda p, n: p.sign(p.claims(n, aud="someone-else")), "another tool"),
    "expired": (lambda p, n: p.sign(p.claims(n, exp=int(time.time()) - 600, iat=int(time.time()) - 900)), "expired"),
    "unknown deployment": (lambda p, n: p.sign(p.claims(n, **{DEPLOYMENT: "deployment-9"})), "unknown deployment"),
    "bad signature": (forged, "signature does not match"),
    "other nonce": (lambda p, n: p.sign(p.claims("not-the-nonce")), "nonce mismatch"),
    "not a token": (lambda p, n: "not.a.jwt", "not a valid signed token"),
    "no quiz": (lambda p, n: p.sign(p.claims(n, **{CUSTOM: None})), "does not point at a published quiz"),
}
DEPLOYMENT = "https://purl.imsglobal.org/spec/lti/claim/deployment_id"
CUSTOM = "https://purl.imsglobal.org/spec/lti/claim/custom"


@pytest.mark.parametrize("case", INVALID, ids=list(INVALID))
def test_invalid_launches_are_refused_and_create_nothing(app, client, registered, case):
    make, reason = INVALID[case]
    state, nonce = login(client, registered)
    before = counts(app)
    response = post_launch(client, state, make(registered, nonce))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "was refused" in page and reason in page
    assert counts(app) == before
    assert "_user_id" not in (client.get_cookie("session").value if client.get_cookie("session") else "")


def test_a_replayed_launch_is_refused(app, client, registered):
    state, nonce = login(client, registered)
    token = registered.sign(registered.claims(nonce))
    assert post_launch(client, state, token).status_code == 303
    client.set_cookie("lti_state", state, path="/lti/launch")
    before = counts(app)
    replay = post_launch(client, state, token)
    assert replay.status_code == 400 and "already used" in replay.get_data(as_text=True)
    assert counts(app) == before


def test_missing_state_is_refused(app, client, registered):
    _, nonce = login(client, registered)
    before = counts(app)
    response = post_launch(client, "", registered.sign(registered.claims(nonce)))
    assert response.status_code == 400 and "has no state" in response.get_data(as_text=True)
    assert counts(app) == before


def test_a_launch_from_another_browser_is_refused(app, client, registered):
    state, nonce = login(client, registered)
    client.delete_cookie("lti_state", path="/lti/launch")
    response = post_launch(client, state, registered.sign(registered.claims(nonce)))
    assert response.status_code == 400 and "did not start in this browser" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(LtiLogin, state) is not None  # still unused: the refusal changed nothing


def test_an_unknown_platform_cannot_start_a_login(app, client, registered):
    response = client.get("/lti/login?iss=https://unknown.example&login_hint=x")
    assert response.status_code == 400 and "not registered" in response.get_data(as_text=True)
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LtiLogin)) == 0


def test_login_sends_the_oidc_parameters_and_a_cross_site_state_cookie(client, registered):
    response = client.post("/lti/login", data={"iss": registered.issuer, "login_hint": "h", "lti_message_hint": "m"})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(registered.url("/auth?"))
    for part in (
        "scope=openid",
        "response_type=id_token",
        "response_mode=form_post",
        "prompt=none",
        "client_id=quizapp-client",
        "lti_message_hint=m",
        "login_hint=h",
    ):
        assert part in location
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("lti_state=") and "SameSite=None" in cookie and "Secure" in cookie


def test_the_rest_of_the_app_keeps_its_cookie_policy(app, client):
    make_user(app)
    response = conftest_login(client)
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "SameSite=Lax" in cookie and "Partitioned" not in cookie and "Secure" not in cookie
    page = client.get("/")
    assert page.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]


def test_a_login_older_than_ten_minutes_is_refused_then_cleared(app, client, registered):
    state, nonce = login(client, registered)
    with app.app_context():
        db.session.get(LtiLogin, state).created_at -= timedelta(minutes=11)
        db.session.commit()
    response = post_launch(client, state, registered.sign(registered.claims(nonce)))
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)
    login(client, registered)
    with app.app_context():
        assert db.session.get(LtiLogin, state) is None


def test_a_launched_learner_has_no_password_link_or_page(app, client, learner, registered):
    assert "/auth/password" in learner.get("/quizzes/").get_data(as_text=True)  # a password account sees the link
    state, nonce = login(client, registered)
    post_launch(client, state, registered.sign(registered.claims(nonce)))
    assert "/auth/password" not in client.get("/quizzes/").get_data(as_text=True)
    response = client.get("/auth/password", follow_redirects=True)
    assert "signs in through your learning platform" in response.get_data(as_text=True)
    assert client.post("/auth/password", data={"current": "x", "password": "y" * 20}).status_code == 303


def test_the_platform_keys_are_cached_and_fetched_again_for_a_new_kid_or_once_stale(app, registered):
    def launched() -> int:
        """Launch from a new browser; return how often the platform's key set has been fetched."""
        assert launch(app.test_client(), registered).status_code == 303
        return len(registered.requests_to("/jwks"))

    assert [launched(), launched()] == [1, 1]
    registered.key, registered.kid = rsa.generate_private_key(65537, 2048), "platform-key-2"  # the platform rotates
    assert launched() == 2
    cache = app.extensions["lti_key_sets"]
    cache.update({k: (until - timedelta(minutes=6), keys) for k, (until, keys) in cache.items()})  # 6 minutes on
    assert [launched(), launched()] == [3, 3]
