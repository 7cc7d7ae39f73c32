"""Platform registrations: checked, saved and audited; found by issuer (and client id) when a platform calls."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

from sqlalchemy import select

from quizapp import audit
from quizapp.config import LOOPBACK
from quizapp.errors import DomainError
from quizapp.extensions import db
from quizapp.models import LtiRegistration, User

URL_FIELDS = ("key_set_url", "auth_login_url", "auth_token_url")


class RegistrationError(DomainError):
    """A registration that cannot be saved as given."""


@dataclass(frozen=True)
class Details:
    """What an admin types to register a platform."""

    name: str
    issuer: str
    client_id: str
    deployment_ids: tuple[str, ...]
    key_set_url: str
    auth_login_url: str
    auth_token_url: str


def url_problem(url: str) -> str | None:
    """Say why a platform URL is refused: only https, or http to this machine (a platform played by tests)."""
    parts = urlsplit(url)
    if not parts.netloc or parts.scheme not in ("https", "http"):
        return "is not a web address"
    if parts.scheme == "http" and parts.hostname not in LOOPBACK:
        return "must use https"
    return None


def check(details: Details) -> None:
    """Refuse empty fields, duplicate or blank deployment ids, and URLs that are not https."""
    for field in ("name", "issuer", "client_id"):
        if not getattr(details, field).strip():
            raise RegistrationError(f"The {field.replace('_', ' ')} is required.")
    if not details.deployment_ids:
        raise RegistrationError("Give at least one deployment id, one per line.")
    for field in ("issuer", *URL_FIELDS):
        problem = url_problem(getattr(details, field))
        if problem:
            raise RegistrationError(f"The {field.replace('_', ' ')} {problem}.")


def normalised(details: Details) -> Details:
    """Return the details with surrounding spaces trimmed, and blank deployment lines dropped."""
    fields = {k: v.strip() for k, v in asdict(details).items() if isinstance(v, str)}
    return Details(**fields, deployment_ids=tuple(d.strip() for d in details.deployment_ids if d.strip()))


def find(issuer: str, client_id: str | None = None) -> LtiRegistration | None:
    """Return the active registration for an issuer (and client id, needed when the issuer has several)."""
    stmt = select(LtiRegistration).where(LtiRegistration.issuer == issuer, LtiRegistration.active.is_(True))
    if client_id:
        stmt = stmt.where(LtiRegistration.client_id == client_id)
    found = db.session.execute(stmt.limit(2)).scalars().all()
    return found[0] if len(found) == 1 else None


def with_client(issuer: str, client_id: str) -> LtiRegistration | None:
    """Return the registration with this issuer and client id, turned on or off (the pair is unique)."""
    stmt = select(LtiRegistration).where(LtiRegistration.issuer == issuer, LtiRegistration.client_id == client_id)
    return db.session.execute(stmt).scalar_one_or_none()


def all_registrations() -> list[LtiRegistration]:
    """Return every registration, by name."""
    return list(
        db.session.execute(select(LtiRegistration).order_by(LtiRegistration.name, LtiRegistration.id)).scalars()
    )


def _taken(details: Details, other_than: int | None) -> bool:
    """Whether another registration already has this issuer and client id."""
    stmt = select(LtiRegistration.id).where(
        LtiRegistration.issuer == details.issuer, LtiRegistration.client_id == details.client_id
    )
    return any(found != other_than for found in db.session.execute(stmt).scalars())


def save(actor: User | None, details: Details, registration: LtiRegistration | None = None) -> LtiRegistration:
    """Create or update a registration and audit it (flushed; the caller commits)."""
    details = normalised(details)
    check(details)
    if _taken(details, registration.id if registration else None):
        raise RegistrationError("This issuer and client id are already registered.")
    created = registration is None
    registration = registration or LtiRegistration()
    for field, value in asdict(details).items():
        setattr(registration, field, list(value) if field == "deployment_ids" else value)
    db.session.add(registration)
    db.session.flush()
    action = "lti.registration.create" if created else "lti.registration.update"
    audit.record(actor, action, f"lti_registration:{registration.id}", **_audited(details))
    return registration


def _audited(details: Details) -> dict:
    """Return the registration's fields as the audit log keeps them (lists, not tuples)."""
    return {**asdict(details), "deployment_ids": list(details.deployment_ids)}


def set_active(actor: User | None, registration: LtiRegistration, active: bool) -> None:
    """Turn a registration off (launches refused, grades kept) or back on, audited."""
    registration.active = active
    db.session.flush()
    action = "lti.registration.enable" if active else "lti.registration.disable"
    audit.record(actor, action, f"lti_registration:{registration.id}", issuer=registration.issuer)
