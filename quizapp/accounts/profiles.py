"""The learner profile: the track intake asked once, and the time zone the learner reads times in."""

from __future__ import annotations

from sqlalchemy import bindparam, select, text

from quizapp.clock import now
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
    """Store new intake answers and/or the browser's time zone; an unknown zone is ignored (one statement)."""
    answers = None if intake is None else dict(intake)
    params = {"user_id": user.id, "intake": answers, "time_zone": known_zone(time_zone), "updated_at": now()}
    return db.session.scalars(_REMEMBER, params, execution_options={"populate_existing": True}).one()


def _remember_statement():
    """Return the profile upsert: a missing answer (NULL) keeps the stored one; RETURNING reads the row."""
    # Written as SQL both databases share: SQLAlchemy compiles its ON CONFLICT constructs afresh on every execution.
    table = LearnerProfile.__table__
    return select(LearnerProfile).from_statement(
        text(
            "INSERT INTO learner_profile (user_id, intake, time_zone, updated_at) "
            "VALUES (:user_id, :intake, :time_zone, :updated_at) ON CONFLICT (user_id) DO UPDATE SET "
            "intake = COALESCE(excluded.intake, learner_profile.intake), "
            "time_zone = COALESCE(excluded.time_zone, learner_profile.time_zone), updated_at = excluded.updated_at "
            "RETURNING user_id, intake, time_zone, updated_at"  # the model's column order
        )
        .bindparams(*(bindparam(c.name, type_=c.type) for c in table.columns))
        .columns(*table.columns)
    )


_REMEMBER = _remember_statement()
