"""The learner profile: the track intake asked once, and the time zone the learner reads times in."""

from __future__ import annotations

from quizapp.extensions import db
from quizapp.models import LearnerProfile, User
from quizapp.recommendation.recommender import Intake
from quizapp.timefmt import known_zone


def of(user: User) -> LearnerProfile | None:
    """Return the user's profile, or None before they have told us anything."""
    return db.session.get(LearnerProfile, user.id)


def intake_of(user: User) -> dict | None:
    """Return the stored intake answers (to pre-fill a form), or None when there are none or they no longer fit."""
    profile = of(user)
    if profile is None or not profile.intake:
        return None
    try:
        return Intake.model_validate(profile.intake).model_dump()
    except ValueError:
        # The track rules no longer accept them: the learner is asked again.
        return None


def time_zone_of(user: User) -> str | None:
    """Return the stored time zone if zoneinfo still knows it, else None (times are then shown in UTC)."""
    profile = of(user)
    return known_zone(profile.time_zone) if profile is not None else None


def remember(user: User, intake: dict | None = None, time_zone: str | None = None) -> LearnerProfile:
    """Store new intake answers and/or the browser's time zone; an unknown zone is ignored. Flushes."""
    profile = of(user)
    if profile is None:
        profile = LearnerProfile(user_id=user.id)
        db.session.add(profile)
    if intake is not None:
        profile.intake = dict(intake)
    zone = known_zone(time_zone)
    if zone is not None:
        profile.time_zone = zone
    db.session.flush()
    return profile
