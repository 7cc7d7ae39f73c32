"""/admin/: access, user search, role changes, (de)activation and temporary passwords, each audited."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import AuditEvent, User
from tests.conftest import ADMIN, PASSWORD, login, quick_user, signed_in
from tests.support import csrf_token

LEARNER = "learner@example.org"


def admin_urls(app, user_id: int) -> list[tuple[str, str]]:
    """Every /admin/ route as (method, url), with a real user id."""
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("admin."):
            url = re.sub(r"<int:\w+>", str(user_id), rule.rule)  # a user id, or any other record's id
            urls.extend((method, url) for method in ("GET", "POST") if method in rule.methods)
    return urls


def events(app, action: str) -> list[AuditEvent]:
    """Return the audit events with this action, oldest first."""
    with app.app_context():
        stmt = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        return list(db.session.execute(stmt).scalars())


def user(app, email: str) -> User:
    """Load a user (detached) by email."""
    with app.app_context():
        return db.session.execute(select(User).where(User.email == email)).scalar_one()


def page(client, url: str) -> str:
    """GET a page and return its text, asserting it is OK."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def test_every_admin_route_is_for_admins_only(app, client):
    uid = quick_user(app, LEARNER, "Lee Learner")
    quick_user(app, "teacher@example.org", "Ian Instructor", "instructor")
    urls = admin_urls(app, uid)
    assert len(urls) >= 9
    for method, url in urls:
        response = client.open(url, method=method)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"], (method, url)
    for email in (LEARNER, "teacher@example.org"):
        other = signed_in(app, email)
        for method, url in urls:
            assert other.open(url, method=method).status_code == 403, (email, method, url)
    assert user(app, LEARNER).role == "learner" and not events(app, "user.role")


def test_admin_pages_render(app, admin):
    uid = quick_user(app, LEARNER, "Lee Learner")
    home = page(admin, "/admin/")
    assert "/admin/users" in home and "/admin/exports" in home
    assert LEARNER in page(admin, "/admin/users")
    assert "Set a temporary password" in page(admin, f"/admin/users/{uid}")
    assert admin.get("/admin/users/999999").status_code == 404
    assert ">Admin</a>" in page(admin, "/")


def test_search_by_email_or_name_case_insensitive_and_paginated(app, admin):
    quick_user(app, "zelda@example.org", "Zelda Quist")
    for n in range(30):
        quick_user(app, f"user{n:02d}@example.org", f"Person {n:02d}")
    assert "zelda@example.org" in page(admin, "/admin/users?q=QUIST")
    found = page(admin, "/admin/users?q=ZELDA@")
    assert "zelda@example.org" in found and "user00@" not in found and "1 user matching" in found
    assert "No users match" in page(admin, "/admin/users?q=%25")  # LIKE wildcards are taken literally
    first, second = page(admin, "/admin/users?q=person"), page(admin, "/admin/users?q=person&page=2")
    assert "30 users" in first and "page 1 of 2" in first and "user00@" in first and "user29@" not in first
    assert "user29@" in second and "user00@" not in second and "page=1" in second
    assert 'href="/admin/users?page=2&amp;q=person" rel="next"' in first  # the pager keeps the search
    assert 'href="/admin/users?page=1&amp;q=person" rel="prev"' in second and 'aria-current="page"' in second
    assert "No users on page 9" in page(admin, "/admin/users?q=person&page=9")


def test_role_change_is_effective_and_audited(app, admin):
    uid = quick_user(app, LEARNER, "Lee Learner")
    learner = signed_in(app, LEARNER)
    assert learner.get("/admin/").status_code == 403
    response = admin.post(f"/admin/users/{uid}/role", data={"role": "admin"})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/admin/users/{uid}")
    assert "is now admin" in page(admin, f"/admin/users/{uid}")
    assert user(app, LEARNER).role == "admin"
    assert learner.get("/admin/").status_code == 200  # same session, new rights at once
    [event] = events(app, "user.role")
    admin_id = user(app, ADMIN).id
    assert (event.actor_id, event.target) == (admin_id, f"user:{uid}")
    assert event.details == {"before": {"role": "learner"}, "after": {"role": "admin"}}
    admin.post(f"/admin/users/{uid}/role", data={"role": "instructor"})
    assert learner.get("/admin/").status_code == 403
    admin.post(f"/admin/users/{uid}/role", data={"role": "instructor"})  # unchanged: not audited again
    assert len(events(app, "user.role")) == 2
    assert "Role changed" in page(admin, f"/admin/users/{uid}")


def test_bad_role_is_refused(app, admin):
    uid = quick_user(app, LEARNER, "Lee Learner")
    admin.post(f"/admin/users/{uid}/role", data={"role": "superuser"})
    assert "not valid" in page(admin, f"/admin/users/{uid}")
    assert user(app, LEARNER).role == "learner" and not events(app, "user.role")


@pytest.mark.parametrize(
    ("action", "data", "message"),
    [
        ("role", {"role": "learner"}, "cannot change your own role"),
        ("deactivate", {}, "cannot deactivate your own account"),
        ("password", {}, "cannot set a temporary password for your own account"),
    ],
)
def test_admin_cannot_demote_deactivate_or_reset_themselves(app, admin, action, data, message):
    me = user(app, ADMIN)
    response = admin.post(f"/admin/users/{me.id}/{action}", data=data)
    assert response.status_code == 303
    assert message in page(admin, f"/admin/users/{me.id}")  # still signed in, still an admin
    after = user(app, ADMIN)
    assert (after.role, after.active, after.session_version) == ("admin", True, me.session_version)
    assert not events(app, f"user.{action}")


def test_deactivate_ends_sessions_and_blocks_sign_in_until_reactivated(app, admin):
    uid = quick_user(app, LEARNER, "Lee Learner")
    learner = signed_in(app, LEARNER)
    assert learner.get("/history").status_code == 200
    assert admin.post(f"/admin/users/{uid}/deactivate").status_code == 303
    assert "is deactivated" in page(admin, f"/admin/users/{uid}")
    assert not user(app, LEARNER).active
    assert learner.get("/history").status_code == 302  # the open session is refused
    assert "not right" in login(app.test_client(), LEARNER).get_data(as_text=True)
    [event] = events(app, "user.deactivate")
    assert event.details == {"before": {"active": True}, "after": {"active": False}}

    admin.post(f"/admin/users/{uid}/deactivate")  # already inactive: nothing more recorded
    assert len(events(app, "user.deactivate")) == 1
    assert admin.post(f"/admin/users/{uid}/reactivate").status_code == 303
    assert "can sign in again" in page(admin, f"/admin/users/{uid}")
    [event] = events(app, "user.reactivate")
    assert event.details == {"before": {"active": False}, "after": {"active": True}}
    assert learner.get("/history").status_code == 302  # reactivation does not revive the old session
    assert signed_in(app, LEARNER).get("/history").status_code == 200


def test_temporary_password_is_shown_once_works_and_ends_sessions(app, admin):
    uid = quick_user(app, LEARNER, "Lee Learner")
    learner = signed_in(app, LEARNER)
    before = user(app, LEARNER).session_version
    response = admin.post(f"/admin/users/{uid}/password")
    assert response.status_code == 303
    shown = admin.get(f"/admin/users/{uid}")
    assert shown.headers["Cache-Control"] == "no-store"
    password = re.search(r'<code class="secret">([^<]+)</code>', shown.get_data(as_text=True)).group(1)
    assert 'class="secret"' not in page(admin, f"/admin/users/{uid}")  # shown once only
    assert learner.get("/history").status_code == 302  # the learner's other session has ended
    fresh = app.test_client()
    assert "not right" in login(fresh, LEARNER, PASSWORD).get_data(as_text=True)
    assert login(fresh, LEARNER, password).status_code == 303
    assert fresh.get("/history").headers["Location"] == "/auth/password"  # first, a password of their own
    [event] = events(app, "user.password")
    assert event.target == f"user:{uid}"
    assert event.details == {"before": {"session_version": before}, "after": {"session_version": before + 1}}
    assert password not in str(event.details)


def test_shown_password_belongs_to_its_user_only(app, admin):
    uid = quick_user(app, LEARNER, "Lee Learner")
    other = quick_user(app, "other@example.org", "Olga Other")
    admin.post(f"/admin/users/{uid}/password")
    assert 'class="secret"' not in page(admin, f"/admin/users/{other}")
    assert 'class="secret"' not in page(admin, f"/admin/users/{uid}")  # dropped, not kept for later


@pytest.fixture
def csrf_admin(auth, csrf_app, demo):
    """A client of the same database with CSRF protection on, signed in as an admin with a form token."""
    return auth.sign_in("admin", ADMIN, "Ada Admin", client=csrf_app.test_client())


def test_changes_need_the_form_token(app, csrf_admin):
    uid = quick_user(app, LEARNER, "Lee Learner")
    assert csrf_admin.post(f"/admin/users/{uid}/role", data={"role": "admin"}).status_code in (303, 400)
    assert user(app, LEARNER).role == "learner"
    token = csrf_token(csrf_admin, f"/admin/users/{uid}")
    response = csrf_admin.post(f"/admin/users/{uid}/role", data={"role": "admin", "csrf_token": token})
    assert response.status_code == 303 and user(app, LEARNER).role == "admin"
    assert csrf_admin.post(f"/admin/users/{uid}/deactivate").status_code in (303, 400)
    assert user(app, LEARNER).active
