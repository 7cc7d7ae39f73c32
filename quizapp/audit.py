"""Recording consequential actions in the audit log."""

from __future__ import annotations

from quizapp.extensions import db
from quizapp.models import AuditEvent, User


def record(actor: User | None, action: str, target: str = "", **details) -> AuditEvent:
    """Append an audit event (flushed with the caller's transaction, so it commits or rolls back with it)."""
    event = AuditEvent(actor_id=actor.id if actor else None, action=action, target=target, details=details)
    db.session.add(event)
    db.session.flush()
    return event
