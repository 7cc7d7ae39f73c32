"""Platform registrations by admins (browser pages, audited) and by CLI; the tool's key set and its rotation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import AuditEvent, LtiKey, LtiRegistration
from tests.conftest import make_user
from tests.support import csrf_token, login_with_token

FORM = {
    "name": "Moodle",
    "issuer": "https://moodle.example.org",
    "client_id": "abc123",
    "deployment_ids": "1\n2\n",
    "key_set_url": "https://moodle.example.org/mod/lti/certs.php",
    "auth_login_url": "https://moodle.example.org/mod/lti/auth.php",
    "auth_token_url": "https://moodle.example.org/mod/lti/token.php",
}


def registration_count(app) -> int:
    """Count registrations."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(LtiRegistration))


def test_an_admin_registers_a_platform_and_it_is_audited(app, auth):
    admin = auth.sign_in("admin")
    page = admin.get("/admin/lti").get_data(as_text=True)
    assert "http://localhost/lti/login" in page and "http://localhost/lti/jwks" in page
    response = admin.post("/admin/lti/new", data=FORM)
    assert response.status_code == 303
    with app.app_context():
        saved = db.session.execute(select(LtiRegistration)).scalar_one()
        assert saved.deployment_ids == ["1", "2"] and saved.active
        event = db.session.execute(
            select(AuditEvent).where(AuditEvent.action == "lti.registration.create")
        ).scalar_one()
        assert event.details["client_id"] == "abc123"
        registration_id = saved.id
    assert admin.post(f"/admin/lti/{registration_id}", data={**FORM, "name": "Moodle prod"}).status_code == 303
    assert admin.post(f"/admin/lti/{registration_id}/active").status_code == 303
    with app.app_context():
        saved = db.session.get(LtiRegistration, registration_id)
        assert (saved.name, saved.active) == ("Moodle prod", False)
        actions = db.session.execute(select(AuditEvent.action).order_by(AuditEvent.id)).scalars().all()
        assert actions[-2:] == ["lti.registration.update", "lti.registration.disable"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"key_set_url": "http://moodle.example.org/certs"}, "must use https"),
        ({"auth_token_url": "moodle/token"}, "is not a web address"),
        ({"deployment_ids": " \n "}, "at least one deployment"),
    ],
)
def test_a_bad_registration_is_refused_with_a_message(app, auth, change, message):
    admin = auth.sign_in("admin")
    response = admin.post("/admin/lti/new", data={**FORM, **change})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert registration_count(app) == 0


def test_the_same_issuer_and_client_cannot_be_registered_twice(app, auth):
    admin = auth.sign_in("admin")
    admin.post("/admin/lti/new", data=FORM)
    response = admin.post("/admin/lti/new", data=FORM)
    assert response.status_code == 422 and "already registered" in response.get_data(as_text=True)
    assert registration_count(app) == 1


@pytest.mark.parametrize("role", ["learner", "instructor"])
def test_only_admins_manage_platforms(app, auth, role):
    client = auth.sign_in(role)
    assert client.get("/admin/lti").status_code == 403
    assert client.post("/admin/lti/new", data=FORM).status_code == 403
    assert registration_count(app) == 0


def test_registration_needs_csrf(app, csrf_app):
    make_user(csrf_app, "root@example.org", role="admin")
    client = csrf_app.test_client()
    login_with_token(client, "root@example.org")
    assert client.post("/admin/lti/new", data=FORM).status_code == 303  # sent back by the CSRF handler
    assert registration_count(app) == 0
    token = csrf_token(client, "/admin/lti/new")
    assert client.post("/admin/lti/new", data={**FORM, "csrf_token": token}).status_code == 303
    assert registration_count(app) == 1


def test_cli_registers_and_updates_a_platform(app, runner):
    args = [
        "lti",
        "register",
        "--name",
        "Canvas",
        "--issuer",
        "https://canvas.instructure.com",
        "--client-id",
        "10000000000001",
        "--deployment-id",
        "7:abc",
        "--deployment-id",
        "8:def",
        "--key-set-url",
        "https://sso.canvaslms.com/api/lti/security/jwks",
        "--auth-login-url",
        "https://sso.canvaslms.com/api/lti/authorize_redirect",
        "--auth-token-url",
        "https://sso.canvaslms.com/login/oauth2/token",
    ]
    result = runner.invoke(args=args)
    assert result.exit_code == 0 and "registered Canvas" in result.output
    result = runner.invoke(args=[*args[:-2], "--auth-token-url", "https://sso.canvaslms.com/token2"])
    assert result.exit_code == 0 and "updated Canvas" in result.output
    with app.app_context():
        saved = db.session.execute(select(LtiRegistration)).scalar_one()
        assert saved.deployment_ids == ["7:abc", "8:def"] and saved.auth_token_url.endswith("/token2")
    bad = runner.invoke(args=[*args[:-2], "--auth-token-url", "http://canvas.example/token"])
    assert bad.exit_code != 0 and "must use https" in bad.output


def test_rotating_the_key_publishes_the_new_one_and_keeps_the_old_for_a_while(app, client, runner):
    assert client.get("/lti/jwks").get_json() == {"keys": []}
    first = runner.invoke(args=["lti", "rotate-key"])
    second = runner.invoke(args=["lti", "rotate-key"])
    assert first.exit_code == second.exit_code == 0
    published = client.get("/lti/jwks").get_json()["keys"]
    assert [k["kid"] for k in published] == [first.output.split()[-1], second.output.split()[-1]]
    assert all(k["kty"] == "RSA" and k["alg"] == "RS256" and "d" not in k for k in published)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LtiKey).where(LtiKey.retired_at.is_(None))) == 1


def test_cli_updates_a_platform_that_is_turned_off_and_says_so(app, runner):
    args = ["lti", "register", "--name", "Moodle", "--issuer", FORM["issuer"], "--client-id", FORM["client_id"]]
    args += ["--deployment-id", "1", "--key-set-url", FORM["key_set_url"], "--auth-login-url", FORM["auth_login_url"]]
    assert runner.invoke(args=[*args, "--auth-token-url", FORM["auth_token_url"]]).exit_code == 0
    with app.app_context():
        db.session.execute(select(LtiRegistration)).scalar_one().active = False
        db.session.commit()
    again = runner.invoke(args=[*args, "--auth-token-url", "https://moodle.example.org/token2"])
    assert again.exit_code == 0 and "updated Moodle" in again.output and "turned off" in again.output
    with app.app_context():
        saved = db.session.execute(select(LtiRegistration)).scalar_one()
        assert saved.auth_token_url.endswith("/token2") and not saved.active


def test_a_key_retired_past_the_grace_period_leaves_the_key_set_then_the_database(app, client, runner):
    first, second = (runner.invoke(args=["lti", "rotate-key"]).output.split()[-1] for _ in range(2))
    with app.app_context():
        old = db.session.execute(select(LtiKey).where(LtiKey.kid == first)).scalar_one()
        old.retired_at -= timedelta(days=2, minutes=1)
        db.session.commit()
    assert [k["kid"] for k in client.get("/lti/jwks").get_json()["keys"]] == [second]
    third = runner.invoke(args=["lti", "rotate-key"]).output.split()[-1]
    assert [k["kid"] for k in client.get("/lti/jwks").get_json()["keys"]] == [second, third]
    with app.app_context():
        assert db.session.scalars(select(LtiKey.kid).order_by(LtiKey.id)).all() == [second, third]
