"""The learner's real CPR card: recording it, its expiry (the provider's rule or the learner's date), its standing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from quizapp import clock
from quizapp.accounts import profiles
from quizapp.credentials import expiry, ics
from quizapp.extensions import db
from quizapp.models import LearnerCard, User
from quizapp.recommendation import stored


@dataclass(frozen=True)
class CardInput:
    """What the card form sends: the course and provider (with a name when "other"), the dates."""

    course: str
    course_other: str
    provider: str
    provider_other: str
    issued_on: date
    expires_on: date | None


def of(user: User) -> LearnerCard | None:
    """Return the learner's recorded card, or None."""
    return db.session.get(LearnerCard, user.id)


def today_for(user: User) -> date:
    """Return today's date in the learner's time zone (UTC when unknown)."""
    return expiry.local_date(clock.now(), profiles.time_zone_of(user))


def record(user: User, data: CardInput) -> LearnerCard:
    """Store the learner's card, replacing the one before; the expiry is the provider's unless given. Flushes."""
    card = of(user)
    if card is None:
        card = LearnerCard(user_id=user.id)
        db.session.add(card)
    card.course, card.provider = data.course, data.provider
    card.course_other = data.course_other.strip() if data.course == "other" else ""
    card.provider_other = data.provider_other.strip() if data.provider == "other" else ""
    card.issued_on = data.issued_on
    card.expires_on = data.expires_on or expiry.computed_expiry(data.provider, data.issued_on)
    card.expiry_overridden = data.expires_on is not None
    card.updated_at = clock.now().replace(microsecond=0)
    db.session.flush()
    return card


def remove(user: User) -> bool:
    """Forget the learner's card; return whether there was one. Flushes."""
    card = of(user)
    if card is None:
        return False
    db.session.delete(card)
    db.session.flush()
    return True


def course_name(card: LearnerCard) -> str:
    """Return the course as the learner named it."""
    return card.course_other if card.course == "other" else expiry.COURSES[card.course]


def provider_name(card: LearnerCard) -> str:
    """Return the provider as the learner named it."""
    return card.provider_other if card.provider == "other" else expiry.PROVIDERS[card.provider]


CARD_FIELDS = ("course", "course_other", "provider", "provider_other", "issued_on", "expires_on")
# Which course track (questions/tracks.yaml) a card renews, for the readiness check linked from its reminders.
TRACK_OF_COURSE = {
    "bls-provider": "bls-provider",
    "heartsaver-cpr-aed": "cpr-aed-adult",
    "heartsaver-first-aid-cpr-aed": "cpr-aed-adult",
}


@dataclass(frozen=True)
class Summary:
    """The card as the home and credentials pages show it."""

    course: str
    provider: str
    expires_on: date
    standing: expiry.Standing
    overridden: bool


def summary(user: User, card: LearnerCard | None = None) -> Summary | None:
    """Return the learner's card with its days left today in their zone, or None without a card."""
    card = card or of(user)
    if card is None:
        return None
    today = today_for(user)
    shown = expiry.standing(card.expires_on, today)
    return Summary(course_name(card), provider_name(card), card.expires_on, shown, card.expiry_overridden)


def readiness_quiz(card: LearnerCard) -> str | None:
    """Return the slug of the readiness check for the card's course (from the track rules), or None."""
    track = stored.rules().tracks.get(TRACK_OF_COURSE.get(card.course, ""))
    return track.readiness.quiz if track is not None else None


def renewal(card: LearnerCard, link: str, host: str) -> ics.Renewal:
    """Return the calendar event of the card's renewal (its UID is stable for this card and expiry)."""
    return ics.Renewal(
        seed=f"user-{card.user_id}|{card.issued_on.isoformat()}",
        course=course_name(card),
        provider=provider_name(card),
        expires_on=card.expires_on,
        stamp=card.updated_at,
        link=link,
        host=host,
    )
