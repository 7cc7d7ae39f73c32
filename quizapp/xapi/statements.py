"""The xAPI 1.0.3 statements of one finished attempt, built from plain values (pure: no app, no database).

Every statement id is a UUID derived from the site, the attempt and the statement's role, and every field comes from
stored values (never the clock), so a retried job sends byte-identical statements and the LRS keeps each once.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

VERSION = "1.0.3"
VERBS = "http://adlnet.gov/expapi/verbs/"
ASSESSMENT = "http://adlnet.gov/expapi/activities/assessment"
INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
LANGUAGE = "en"
ACTOR_MODES = ("account", "mbox_sha1sum", "mbox")


@dataclass(frozen=True)
class Learner:
    """Who took the attempt: the account id, the e-mail (if real) and the platform identity (if launched)."""

    user_id: int
    email: str | None = None
    platform: tuple[str, str] | None = None  # (issuer, subject) of a learner a platform launched


@dataclass(frozen=True)
class Answer:
    """One question of the attempt as answered: its key, xAPI interaction type, points, score and when it was saved."""

    slot: int
    key: str
    interaction: str  # the question type's xAPI interactionType (choice, true-false, sequencing, numeric, other)
    points: float
    score: float | None
    correct: bool | None
    saved_at: datetime | None


@dataclass(frozen=True)
class Started:
    """An attempt as started: which quiz, when."""

    public_id: str
    quiz_slug: str
    quiz_title: str
    started_at: datetime


@dataclass(frozen=True)
class Finished(Started):
    """A finished attempt, as the statements describe it."""

    submitted_at: datetime
    score: float
    max_score: float
    passed: bool
    topics: dict[str, float] = field(default_factory=dict)
    recommendation: dict | None = None
    answers: tuple[Answer, ...] = ()


def statement_id(site: str, public_id: str, role: str) -> str:
    """Return the statement's deterministic id: the same attempt and role always give the same UUID."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{site.rstrip('/')}/xapi/{public_id}/{role}"))


def timestamp(moment: datetime) -> str:
    """Return an ISO 8601 UTC timestamp with milliseconds (stored times are naive UTC)."""
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return aware.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def duration(span: timedelta) -> str:
    """Return an ISO 8601 duration to the hundredth of a second (PT1H2M3.45S), never negative."""
    hundredths = max(0, round(span.total_seconds() * 100))
    hours, rest = divmod(hundredths, 360_000)
    minutes, rest = divmod(rest, 6_000)
    seconds = f"{rest // 100}.{rest % 100:02d}".rstrip("0").rstrip(".")
    clock = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    return "PT" + clock + (f"{seconds}S" if seconds != "0" or not clock else "")


def actor(learner: Learner, site: str, mode: str) -> dict:
    """Return the learner as an Agent: a platform account, the site's account, or (if configured) their mailbox."""
    if learner.platform is not None:
        issuer, subject = learner.platform
        return {"objectType": "Agent", "account": {"homePage": issuer, "name": subject}}
    if learner.email and mode == "mbox":
        return {"objectType": "Agent", "mbox": f"mailto:{learner.email}"}
    if learner.email and mode == "mbox_sha1sum":
        digest = hashlib.sha1(f"mailto:{learner.email}".encode(), usedforsecurity=False).hexdigest()
        return {"objectType": "Agent", "mbox_sha1sum": digest}
    return {"objectType": "Agent", "account": {"homePage": site, "name": f"user-{learner.user_id}"}}


def extension(site: str, name: str) -> str:
    """Return the IRI of one of quizapp's result extensions."""
    return f"{site.rstrip('/')}/xapi/extensions/{name}"


def quiz_activity(site: str, attempt: Started) -> dict:
    """Return the quiz as an assessment activity."""
    return {
        "objectType": "Activity",
        "id": f"{site.rstrip('/')}/quizzes/{attempt.quiz_slug}",
        "definition": {"type": ASSESSMENT, "name": {LANGUAGE: attempt.quiz_title}},
    }


def question_activity(site: str, answer: Answer) -> dict:
    """Return a question as an interaction activity, named by its stable key."""
    return {
        "objectType": "Activity",
        "id": f"{site.rstrip('/')}/questions/{answer.key}",
        "definition": {
            "type": INTERACTION,
            "name": {LANGUAGE: answer.key},
            "interactionType": answer.interaction,
        },
    }


def score(raw: float, maximum: float) -> dict:
    """Return an xAPI score: raw, min 0, max, and scaled in [0, 1]."""
    scaled = round(raw / maximum, 4) if maximum else 0.0
    return {"scaled": min(1.0, max(0.0, scaled)), "raw": round(raw, 4), "min": 0, "max": round(maximum, 4)}


def recommendation(advice: dict | None) -> dict | None:
    """Return the recommended track as an extension value (no free-text reasons: they may quote the intake)."""
    if not advice:
        return None
    keep = ("track", "track_title", "readiness", "review_topics", "add_ons")
    return {k: advice[k] for k in keep if k in advice}


def outcome(site: str, attempt: Finished, success: bool | None = None) -> dict:
    """Return the attempt's result: score, duration, topic percents and the recommendation as extensions."""
    result = {
        "score": score(attempt.score, attempt.max_score),
        "completion": True,
        "duration": duration(attempt.submitted_at - attempt.started_at),
        "extensions": {extension(site, "topic-scores"): {t: round(p, 2) for t, p in sorted(attempt.topics.items())}},
    }
    if success is not None:
        result["success"] = success
    advice = recommendation(attempt.recommendation)
    if advice:
        result["extensions"][extension(site, "recommendation")] = advice
    return result


def maker(site: str, learner: Learner, attempt: Started, mode: str):
    """Return a function making one of the attempt's statements, with the shared actor and context."""
    agent, context = (
        actor(learner, site, mode),
        {"registration": statement_id(site, attempt.public_id, "registration"), "platform": "quizapp"},
    )

    def statement(role: str, verb: str, obj: dict, at: datetime, **extra) -> dict:
        """Return one statement: its deterministic id, the actor, the verb, the object, the time, the context."""
        return {
            "id": statement_id(site, attempt.public_id, role),
            "actor": agent,
            "verb": {"id": VERBS + verb, "display": {LANGUAGE: verb}},
            "object": obj,
            "timestamp": timestamp(at),
            "context": context,
            **extra,
        }

    return statement


def begun(site: str, learner: Learner, attempt: Started, mode: str = "account") -> list[dict]:
    """Return the statement of a started attempt: attempted (the same one `build` repeats at the end)."""
    return [
        maker(site, learner, attempt, mode)("attempted", "attempted", quiz_activity(site, attempt), attempt.started_at)
    ]


def build(site: str, learner: Learner, attempt: Finished, mode: str = "account") -> list[dict]:
    """Return the attempt's statements: attempted, one answered per question, completed, then passed or failed."""
    statement, quiz = maker(site, learner, attempt, mode), quiz_activity(site, attempt)
    made = begun(site, learner, attempt, mode)
    for a in attempt.answers:
        result = {"completion": a.score is not None}
        if a.score is not None:
            result["score"] = score(a.score, a.points)
        if a.correct is not None:
            result["success"] = a.correct
        answered = statement(
            f"answered/{a.slot}",
            "answered",
            question_activity(site, a),
            a.saved_at or attempt.submitted_at,
            result=result,
        )
        parent = {"contextActivities": {"parent": [{"id": quiz["id"], "objectType": "Activity"}]}}
        made.append({**answered, "context": {**answered["context"], **parent}})
    made.append(statement("completed", "completed", quiz, attempt.submitted_at, result=outcome(site, attempt)))
    verdict = "passed" if attempt.passed else "failed"
    made.append(statement(verdict, verdict, quiz, attempt.submitted_at, result=outcome(site, attempt, attempt.passed)))
    return made
