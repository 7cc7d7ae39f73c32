"""accounts.admin_users: role changes, (de)activation and temporary passwords, each audited, never on oneself."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from quizapp import clock
from quizapp.accounts import admin_users, passwords
from quizapp.extensions import db
from quizapp.models import AuditEvent, OneTimeSecret, Role, User
from tests.taking.support import person


@pytest.fixture
def ctx(app):
    """An app context with an admin and a learner; yields (admin, learner)."""
    with app.app_context():
        yield person("ada@example.org", Role.ADMIN), person("lee@example.org")


def _events(user: User) -> list[tuple[str, dict]]:
    """Return the audit actions about a user, oldest first, with their details."""
    rows = db.session.scalars(select(AuditEvent).where(AuditEvent.target == f"user:{user.id}").order_by(AuditEvent.id))
    return [(event.action, event.details) for event in rows]


def test_a_role_change_is_audited_and_a_repeat_changes_nothing(ctx):
    ada, lee = ctx
    assert admin_users.change_role(ada, lee, Role.INSTRUCTOR) is True
    assert lee.role == Role.INSTRUCTOR
    assert admin_users.change_role(ada, lee, Role.INSTRUCTOR) is False
    assert _events(lee) == [("user.role", {"before": {"role": "learner"}, "after": {"role": "instructor"}})]


def test_an_admin_never_changes_their_own_role_so_the_last_admin_stays_one(ctx):
    ada, _ = ctx
    bob = person("bob@example.org", Role.ADMIN)
    assert admin_users.change_role(ada, bob, Role.LEARNER) is True  # another admin may be demoted
    with pytest.raises(admin_users.SelfChange) as refused:
        admin_users.change_role(ada, ada, Role.LEARNER)
    assert refused.value.message == "You cannot change your own role. Ask another admin to do it."
    assert ada.role == Role.ADMIN and _events(ada) == []
    assert db.session.scalar(select(func.count(User.id)).where(User.role == Role.ADMIN)) == 1


def test_deactivation_ends_sessions_for_good_and_is_refused_on_oneself(ctx):
    ada, lee = ctx
    version = lee.session_version
    assert admin_users.deactivate(ada, lee) is True
    assert lee.active is False and lee.session_version == version + 1
    assert admin_users.deactivate(ada, lee) is False
    assert admin_users.reactivate(ada, lee) is True and admin_users.reactivate(ada, lee) is False
    assert lee.active is True and lee.session_version == version + 1  # the old sessions stay ended
    assert [action for action, _ in _events(lee)] == ["user.deactivate", "user.reactivate"]
    with pytest.raises(admin_users.SelfChange, match="You cannot deactivate your own account"):
        admin_users.deactivate(ada, ada)
    assert ada.active is True


def test_a_temporary_password_works_expires_in_a_day_and_ends_sessions(ctx, monkeypatch):
    ada, lee = ctx
    now = clock.now()
    monkeypatch.setattr(clock, "now", lambda: now)
    version = lee.session_version
    password = admin_users.set_temporary_password(ada, lee)
    assert lee.check_password(password) and passwords.weakness(password, lee.email) is None
    assert lee.password_expires_at == now + timedelta(hours=24) and lee.session_version == version + 1
    assert _events(lee) == [
        ("user.password", {"before": {"session_version": version}, "after": {"session_version": version + 1}})
    ]
    assert password not in str(_events(lee))
    with pytest.raises(admin_users.SelfChange):
        admin_users.set_temporary_password(ada, ada)


def test_a_sealed_secret_is_shown_once_and_only_on_its_users_page(ctx):
    ada, lee = ctx
    ticket = admin_users.seal_to_show(lee, "Temp-Pass-123")
    row = db.session.get(OneTimeSecret, ticket["id"])
    assert b"Temp-Pass-123" not in row.sealed and "Temp-Pass-123" not in str(ticket)
    assert admin_users.take_to_show(ticket, lee) == "Temp-Pass-123"
    assert admin_users.take_to_show(ticket, lee) is None
    other = admin_users.seal_to_show(lee, "Another-Pass-456")
    assert admin_users.take_to_show(other, ada) is None  # shown on another user's page: gone, never shown
    assert db.session.scalar(select(func.count(OneTimeSecret.id))) == 0


def test_sealing_drops_the_users_older_secret_and_any_left_unshown_for_an_hour(ctx, monkeypatch):
    ada, lee = ctx
    start = clock.now()
    monkeypatch.setattr(clock, "now", lambda: start)
    older = admin_users.seal_to_show(lee, "first-secret")
    forgotten = admin_users.seal_to_show(ada, "admins-own")
    newer = admin_users.seal_to_show(lee, "second-secret")
    assert admin_users.take_to_show(older, lee) is None
    monkeypatch.setattr(clock, "now", lambda: start + admin_users.UNSHOWN_FOR + timedelta(seconds=1))
    admin_users.seal_to_show(person("kim@example.org"), "kims-secret")
    assert admin_users.take_to_show(forgotten, ada) is None and admin_users.take_to_show(newer, lee) is None


def test_search_matches_email_or_name_case_insensitively_and_takes_wildcards_literally(ctx):
    person("per_cent@example.org")
    person("percent@example.org")
    found = lambda term: [u.email for u in db.session.scalars(admin_users.search(term))]  # noqa: E731
    assert found("") == ["ada@example.org", "lee@example.org", "per_cent@example.org", "percent@example.org"]
    assert found("  LEE ") == ["lee@example.org"]
    assert found("Ada") == ["ada@example.org"]  # the display name "Ada" (and the email)
    assert found("r_c") == ["per_cent@example.org"]  # "_" is not "any character"
    assert found("%") == []


def test_history_lists_the_latest_events_about_a_user_with_the_admin_newest_first(ctx, monkeypatch):
    ada, lee = ctx
    monkeypatch.setattr(admin_users, "HISTORY_SIZE", 3)
    for role in (Role.INSTRUCTOR, Role.LEARNER, Role.ADMIN, Role.LEARNER):
        admin_users.change_role(ada, lee, role)
    events = admin_users.history(lee)
    assert [(e.details["after"]["role"], email) for e, email in events] == [
        ("learner", "ada@example.org"), ("admin", "ada@example.org"), ("learner", "ada@example.org")
    ]
    assert admin_users.history(ada) == []
    assert admin_users.get(lee.id) is lee and admin_users.get(lee.id, lock=True) is lee
    assert admin_users.get(10_000) is None
