"""Certificates of a readiness check: who may have one (the result page's own judgement), issuing, finding, revoking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from quizapp import audit, clock
from quizapp.accounts import profiles
from quizapp.credentials import codes, expiry, layout
from quizapp.errors import DomainError
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptStatus, Certificate, CredentialPrivacy, User
from quizapp.numfmt import number
from quizapp.recommendation import stored
from quizapp.taking import result_page, result_sources

NOT_READY = (
    "A certificate is issued only when the result page says you are ready for your recommended course: "
    "this result does not."
)


class NotEligible(DomainError):
    """The attempt's result does not meet the readiness marks of its recommended course."""


class AlreadyRevoked(DomainError):
    """The certificate was revoked before."""


@dataclass(frozen=True)
class Offer:
    """What the result page offers: the certificate already issued, or whether one can be issued."""

    certificate: Certificate | None
    eligible: bool


@dataclass(frozen=True)
class Public:
    """What the public verification page shows (never the e-mail)."""

    name: str | None
    quiz: str
    completed_on: date
    result: str
    code: str
    revoked_on: date | None


def eligible(view: result_page.ResultPage) -> bool:
    """Whether the result page says "Ready": readiness judged by the track's own quiz, every mark met."""
    return view.mark_kind == "readiness" and view.advice is not None and view.advice.readiness == "ready"


def offer(attempt: Attempt, view: result_page.ResultPage) -> Offer:
    """Return the certificate offer for the result page, from the very view-model the page shows."""
    ready = eligible(view)
    # Only a ready result has a certificate to look up (one regraded below its marks keeps it on the credentials page).
    return Offer(of_attempt(attempt) if ready else None, ready)


def of_attempt(attempt: Attempt) -> Certificate | None:
    """Return the certificate issued for this attempt, if any."""
    return db.session.execute(select(Certificate).where(Certificate.attempt_id == attempt.id)).scalar_one_or_none()


def issue(attempt: Attempt, user: User, name: str) -> Certificate:
    """Issue (once per attempt) the certificate of a ready result, with the name the learner chose. Flushes."""
    existing = of_attempt(attempt)
    if existing is not None:
        return existing
    view = result_sources.for_attempt(attempt, user, [])  # the result page's own view-model
    if not eligible(view):
        raise NotEligible(NOT_READY)
    certificate = Certificate(
        code=codes.new_code(),
        user_id=user.id,
        attempt_id=attempt.id,
        name=name.strip(),
        quiz_title=attempt.quiz.title,
        track_title=view.advice.title,
        completed_on=expiry.local_date(attempt.submitted_at or clock.now(), profiles.time_zone_of(user)),
        percent=view.facts.percent,
        score=view.facts.score,
        max_score=view.facts.max_score,
        topics=[[row.heading, row.percent] for row in view.topics],
        issued_at=clock.now().replace(microsecond=0),
    )
    db.session.add(certificate)
    db.session.flush()
    return certificate


def score_text(certificate: Certificate) -> str:
    """Return '90% (27 of 30 points)'."""
    return f"{number(certificate.percent)}% ({number(certificate.score)} of {number(certificate.max_score)} points)"


def content(certificate: Certificate, url: str) -> layout.Content:
    """Return what the PDF shows, from the stored certificate and its verification address."""
    return layout.Content(
        name=certificate.name,
        quiz=certificate.quiz_title,
        completed_on=certificate.completed_on,
        score=score_text(certificate),
        topics=tuple((label, f"{percent}%") for label, percent in certificate.topics),
        track=certificate.track_title,
        code=codes.grouped(certificate.code),
        url=url,
        issued_at=certificate.issued_at,
    )


def by_code(typed: str) -> Certificate | None:
    """Return the certificate with this code, typed in any case, with or without hyphens (always one query)."""
    stmt = select(Certificate).where(Certificate.code == codes.normalise(typed))
    return db.session.execute(stmt).scalar_one_or_none()


def of_owner(typed: str, user: User) -> Certificate | None:
    """Return the certificate with this code when `user` owns it, else None."""
    certificate = by_code(typed)
    return certificate if certificate is not None and certificate.user_id == user.id else None


def of_user(user: User) -> list[Certificate]:
    """Return the learner's certificates, newest first."""
    stmt = select(Certificate).where(Certificate.user_id == user.id).order_by(Certificate.issued_at.desc())
    return list(db.session.execute(stmt).scalars())


def public(certificate: Certificate) -> Public:
    """Return what anyone may see of a certificate: the name unless its owner hides it, never the e-mail."""
    privacy = db.session.get(CredentialPrivacy, certificate.user_id)
    return Public(
        name=None if privacy is not None and privacy.hide_name else certificate.name,
        quiz=certificate.quiz_title,
        completed_on=certificate.completed_on,
        result=f"Met the readiness marks for {certificate.track_title}, with a score of {score_text(certificate)}",
        code=codes.grouped(certificate.code),
        revoked_on=certificate.revoked_at.date() if certificate.revoked_at else None,
    )


def revoke(certificate: Certificate, admin: User, reason: str) -> None:
    """Revoke a certificate with the admin's reason, and audit it. Flushes."""
    if certificate.revoked_at is not None:
        raise AlreadyRevoked("This certificate was already revoked.")
    certificate.revoked_at = clock.now()
    certificate.revoked_reason = reason.strip()
    certificate.revoked_by_id = admin.id
    audit.record(
        admin, "certificate.revoke", certificate.code, reason=certificate.revoked_reason, learner_id=certificate.user_id
    )


def hides_name(user: User) -> bool:
    """Whether the learner hides their name on the verification page."""
    privacy = db.session.get(CredentialPrivacy, user.id)
    return privacy is not None and privacy.hide_name


def set_hide_name(user: User, hide: bool) -> None:
    """Store the learner's choice for the verification page. Flushes."""
    privacy = db.session.get(CredentialPrivacy, user.id)
    if privacy is None:
        privacy = CredentialPrivacy(user_id=user.id)
        db.session.add(privacy)
    privacy.hide_name = hide
    db.session.flush()


def by_attempt(user: User) -> dict[int, Certificate]:
    """Return the learner's certificates keyed by attempt id (for the history page)."""
    return {c.attempt_id: c for c in of_user(user)}


def ready_attempts(attempts: list[Attempt]) -> set[int]:
    """Return the ids of finished attempts whose result page says "Ready" (judged as the page judges; no query)."""
    rules = stored.rules()
    ready = set()
    for attempt in attempts:
        if attempt.recommendation and attempt.percent is not None and attempt.status != AttemptStatus.IN_PROGRESS:
            view = result_page.build(
                result_sources.facts_of(attempt, None), attempt.recommendation, rules, result_page.Names()
            )
            if eligible(view):
                ready.add(attempt.id)
    return ready
