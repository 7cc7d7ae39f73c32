"""Account administration: search, role changes, (de)activation and temporary passwords, each audited."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import Select, delete, or_, select
from sqlalchemy.orm import aliased

from quizapp import audit, clock
from quizapp.accounts import users
from quizapp.errors import DomainError
from quizapp.extensions import db
from quizapp.models import AuditEvent, OneTimeSecret, Role, User

PAGE_SIZE = 25
HISTORY_SIZE = 20
TEMPORARY_FOR = timedelta(hours=24)
# A sealed password the admin's next page never came to take is useless after the admin's session; drop it sooner.
UNSHOWN_FOR = timedelta(hours=1)


class SelfChange(DomainError):
    """An admin tried to demote, deactivate or reset themselves."""


def target(user: User) -> str:
    """Return the audit target naming a user."""
    return f"user:{user.id}"


def _like(term: str) -> str:
    """Return a LIKE pattern matching `term` anywhere, with its wildcards taken literally."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search(term: str = "") -> Select:
    """Return the users whose email or name contains `term` (case-insensitive), by email, for `db.paginate`."""
    stmt = select(User).order_by(User.email, User.id)
    term = term.strip()
    if term:
        pattern = _like(term)
        stmt = stmt.where(or_(User.email.ilike(pattern, escape="\\"), User.display_name.ilike(pattern, escape="\\")))
    return stmt


def get(user_id: int, lock: bool = False) -> User | None:
    """Load a user; `lock` holds the row until commit where the database can (PostgreSQL), for a change."""
    return db.session.get(User, user_id, with_for_update=lock or None)


def history(user: User) -> list[tuple[AuditEvent, str | None]]:
    """Return the latest audit events about a user with the acting admin's email, newest first (one query)."""
    actor = aliased(User)
    stmt = (
        select(AuditEvent, actor.email)
        .outerjoin(actor, actor.id == AuditEvent.actor_id)
        .where(AuditEvent.target == target(user))
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(HISTORY_SIZE)
    )
    return list(db.session.execute(stmt).tuples())


def change_role(actor: User, user: User, role: Role) -> bool:
    """Give a user another role; return False when it already had it. Admins cannot demote themselves."""
    if user.role == role:
        return False
    if user.id == actor.id:
        raise SelfChange("You cannot change your own role. Ask another admin to do it.")
    before = user.role
    user.role = role
    audit.record(actor, "user.role", target(user), before={"role": str(before)}, after={"role": str(role)})
    return True


def deactivate(actor: User, user: User) -> bool:
    """Stop a user signing in and end their sessions; return False when already inactive."""
    if not user.active:
        return False
    if user.id == actor.id:
        raise SelfChange("You cannot deactivate your own account. Ask another admin to do it.")
    user.active = False
    # A later reactivation must not revive the sessions that were open now.
    users.end_other_sessions(user)
    audit.record(actor, "user.deactivate", target(user), before={"active": True}, after={"active": False})
    return True


def reactivate(actor: User, user: User) -> bool:
    """Let a deactivated user sign in again; return False when already active."""
    if user.active:
        return False
    user.active = True
    audit.record(actor, "user.reactivate", target(user), before={"active": False}, after={"active": True})
    return True


def set_temporary_password(actor: User, user: User) -> str:
    """Give a user a generated password, to be changed at sign-in and expiring in 24 hours; end their sessions."""
    if user.id == actor.id:
        # It would also end the admin's own session in the middle of the page.
        raise SelfChange("You cannot set a temporary password for your own account here.")
    password = users.generated_password()
    before = user.session_version
    user.set_password(password)
    user.password_expires_at = clock.now() + TEMPORARY_FOR
    audit.record(
        actor,
        "user.password",
        target(user),
        before={"session_version": before},
        after={"session_version": user.session_version},
    )
    # Returned once, never stored in clear.
    return password


def seal_to_show(user: User, secret: str) -> dict:
    """Keep a secret for the next view of this user's page, sealed with a one-time pad; return the admin's ticket."""
    data = secret.encode()
    # The pad goes only into the ticket for the admin's session: neither the row nor the session alone holds the secret.
    pad = secrets.token_bytes(len(data))
    stale = or_(OneTimeSecret.user_id == user.id, OneTimeSecret.created_at < clock.now() - UNSHOWN_FOR)
    db.session.execute(delete(OneTimeSecret).where(stale))
    row = OneTimeSecret(user_id=user.id, sealed=bytes(a ^ b for a, b in zip(data, pad, strict=True)))
    db.session.add(row)
    db.session.flush()
    return {"id": row.id, "user_id": user.id, "pad": pad.hex()}


def take_to_show(ticket: dict, user: User) -> str | None:
    """Return the secret a ticket seals when it is for this user's page; delete its row either way (shown once)."""
    row = db.session.get(OneTimeSecret, ticket["id"])
    if row is None:
        return None
    db.session.delete(row)
    db.session.flush()  # shown once within this transaction too, whether or not the caller commits at once
    if row.user_id != user.id or ticket["user_id"] != user.id:
        return None
    pad = bytes.fromhex(ticket["pad"])
    return bytes(a ^ b for a, b in zip(row.sealed, pad, strict=True)).decode()
