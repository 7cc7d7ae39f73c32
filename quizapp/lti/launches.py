"""Launched users (matched by platform issuer and subject, never by email) and the launches they made."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from sqlalchemy import select

from quizapp import clock
from quizapp.extensions import db
from quizapp.lti import claims as c
from quizapp.models import LtiLaunch, LtiRegistration, LtiUser, Quiz, Role, User
from quizapp.models.user import NO_PASSWORD_MARK

# Not a hash any password matches: a launched account signs in only through its platform ('!' marks it: has_password).
NO_PASSWORD = NO_PASSWORD_MARK + "lti-launch-only"
# A mailbox that cannot exist (RFC 2606), unique per account; the platform's email claim is never stored.
EMAIL_DOMAIN = "lti.invalid"


def match_user(registration: LtiRegistration, body: dict) -> User:
    """Return the account of the platform's user (issuer + subject), creating a learner without a password."""
    stmt = select(LtiUser).where(LtiUser.issuer == registration.issuer, LtiUser.subject == body["sub"])
    link = db.session.execute(stmt).scalar_one_or_none()
    if link is not None:
        link.user.display_name = c.display_name(body)
        return link.user
    user = User(
        email=f"lti-{secrets.token_hex(8)}@{EMAIL_DOMAIN}",
        display_name=c.display_name(body),
        password_hash=NO_PASSWORD,
        role=Role.LEARNER,
    )
    db.session.add(user)
    db.session.flush()
    db.session.add(
        LtiUser(issuer=registration.issuer, subject=body["sub"], user_id=user.id, registration_id=registration.id)
    )
    return user


def launched_quiz(body: dict) -> Quiz | None:
    """Return the published quiz a resource link launch points at, if any."""
    slug = c.quiz_slug(body)
    if slug is None:
        return None
    return db.session.execute(select(Quiz).where(Quiz.slug == slug, Quiz.published.is_(True))).scalar_one_or_none()


def record(registration: LtiRegistration, user: User, body: dict, quiz: Quiz | None) -> LtiLaunch:
    """Keep the few claims needed later: the quiz, the grade endpoints and the deep-linking return."""
    ags = body.get(c.AGS_ENDPOINT) or {}
    settings = body.get(c.DL_SETTINGS) or {}
    multiple = settings.get("accept_multiple")  # false: the platform takes one item
    launch = LtiLaunch(
        registration_id=registration.id,
        user_id=user.id,
        subject=body["sub"],
        deployment_id=body[c.DEPLOYMENT_ID],
        message_type=body[c.MESSAGE_TYPE],
        quiz_id=quiz.id if quiz else None,
        resource_link_id=(body.get(c.RESOURCE_LINK) or {}).get("id"),
        context_id=(body.get(c.CONTEXT) or {}).get("id"),
        lineitem_url=ags.get("lineitem"),
        lineitems_url=ags.get("lineitems"),
        ags_scopes=list(ags.get("scope") or []),
        deep_link_return_url=settings.get("deep_link_return_url"),
        deep_link_data=settings.get("data"),
        deep_link_multiple=multiple if isinstance(multiple, bool) else None,
        instructor=c.is_teacher(body.get(c.ROLES)),
        created_at=clock.now(),
    )
    db.session.add(launch)
    db.session.flush()
    return launch


def latest_for(user_id: int, quiz_id: int) -> LtiLaunch | None:
    """Return the learner's most recent resource launch into this quiz (where its grade goes)."""
    stmt = (
        select(LtiLaunch)
        .where(LtiLaunch.user_id == user_id, LtiLaunch.quiz_id == quiz_id, LtiLaunch.message_type == c.RESOURCE_LAUNCH)
        .order_by(LtiLaunch.created_at.desc(), LtiLaunch.id.desc())
        .limit(1)
    )
    return db.session.execute(stmt).scalar_one_or_none()


def frame_origins(registration: LtiRegistration, request_origin: str | None) -> str:
    """Return the origins that may frame the tool's pages: the platform's page that posted, and the issuer's."""
    origins = {_origin(registration.issuer)}
    if request_origin and request_origin != "null":
        origins.add(_origin(request_origin))
    return " ".join(sorted(o for o in origins if o))


def _origin(url: str) -> str:
    """Return scheme://host[:port] of a URL, or '' when it has none."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("https", "http") and parts.netloc else ""
