"""Track recommendations: the rules file, and recommendations stored with attempts."""

from __future__ import annotations

from pathlib import Path

from flask import current_app
from sqlalchemy import select

from quizapp.banks.formats import yamlfile
from quizapp.banks.formats.file_errors import BankFileError, FileError
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptStatus, Quiz, User
from quizapp.recommendation import recommender
from quizapp.recommendation.tracks import TrackRules

_cache: dict[str, tuple[float, TrackRules]] = {}


def rules_path() -> Path:
    """Return where the track rules live (`QUESTIONS_DIR/tracks.yaml`)."""
    return Path(current_app.config["QUESTIONS_DIR"]) / "tracks.yaml"


def rules() -> TrackRules:
    """Return the validated rules, re-read whenever the file changes (so edits need no restart)."""
    path = rules_path()
    try:
        mtime = path.stat().st_mtime
    except OSError:
        raise BankFileError([FileError(str(path), "the track rules file is missing")]) from None
    cached = _cache.get(str(path))
    if cached is None or cached[0] != mtime:
        model = yamlfile.read(path)
        if not isinstance(model, TrackRules):
            raise BankFileError([FileError(str(path), "expected `format: quizapp-tracks/1`", 1, field="format")])
        cached = _cache[str(path)] = (mtime, model)
    return cached[1]


def scores_of(attempt: Attempt) -> dict[str, float]:
    """Return an attempt's topic percents plus `overall`, as the recommender reads them."""
    return {**(attempt.topic_scores or {}), "overall": attempt.percent}


def for_intake(intake: dict | None, scores: dict, source: str | None = None) -> dict | None:
    """Return the recommendation to store with a finished attempt of quiz `source` (None when it asked no intake)."""
    if not intake:
        return None
    # A broken rules file must never block a submission: it is logged and the attempt is scored without advice.
    try:
        return recommender.recommend(intake, scores, rules(), source)
    except (BankFileError, ValueError):
        current_app.logger.exception("track rules unavailable; attempt scored without a recommendation")
        return None


def for_learner(intake: dict, user: User | None) -> tuple[dict, Attempt | None]:
    """Return the recommendation for these answers, judged by the learner's latest result of the track's own quiz."""
    model = rules()
    advice = recommender.recommend(intake, None, model)
    # The track comes from the answers alone; readiness only from that track's readiness quiz (a provider exam
    # says nothing of a lay course), so an anonymous visitor or a learner without such a result gets "not assessed".
    attempt = latest_attempt(user, model.tracks[advice["track"]].readiness.quiz) if user else None
    if attempt is None:
        return advice, None
    return recommender.recommend(intake, scores_of(attempt), model, attempt.quiz.slug), attempt


def latest_attempt(user: User, quiz_slug: str | None) -> Attempt | None:
    """Return the learner's most recent finished attempt with a score (of quiz `quiz_slug`, when given)."""
    stmt = (
        select(Attempt)
        .join(Attempt.quiz)
        .where(Attempt.user_id == user.id, Attempt.status != AttemptStatus.IN_PROGRESS, Attempt.percent.is_not(None))
        .order_by(Attempt.submitted_at.desc(), Attempt.id.desc())
        .limit(1)
    )
    if quiz_slug is not None:
        stmt = stmt.where(Quiz.slug == quiz_slug)
    return db.session.execute(stmt).scalar_one_or_none()
