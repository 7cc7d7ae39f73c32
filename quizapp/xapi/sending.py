"""The `xapi.send` job: the statements of one finished attempt, PUT to the site's learning record store.

Each statement goes by PUT with its deterministic id, so a job that runs again (a retry, a redelivered message)
sends the same statements and the LRS keeps each once. A 5xx answer, a 429 or a lost connection is retried by the
job runner; any other 4xx fails the job with the LRS's reason.
"""

from __future__ import annotations

import requests
from flask import current_app
from sqlalchemy import select

from quizapp import qtypes
from quizapp.errors import DomainError, Transient
from quizapp.extensions import db
from quizapp.lti.launches import EMAIL_DOMAIN
from quizapp.models import Attempt, LtiUser, QuestionVersion, Response
from quizapp.xapi import statements as st

KIND = "xapi.send"
HTTP_TIMEOUT = 10


def settings() -> dict:
    """Return the site's xAPI settings (endpoint, credentials, site IRI, actor mode) from the app's config."""
    config = current_app.config
    return {
        "endpoint": config.get("XAPI_ENDPOINT") or "",
        "auth": (config.get("XAPI_KEY") or "", config.get("XAPI_SECRET") or ""),
        "site": config.get("XAPI_SITE") or "",
        "mode": config.get("XAPI_ACTOR") or "account",
    }


def enabled() -> bool:
    """Whether this site sends statements to an LRS."""
    return bool(current_app.config.get("XAPI_ENDPOINT"))


def learner_of(attempt: Attempt) -> st.Learner:
    """Return who took the attempt: a launched learner by their platform identity, else the account."""
    link = db.session.execute(select(LtiUser).where(LtiUser.user_id == attempt.user_id)).scalar_one_or_none()
    platform = (link.issuer, link.subject) if link else None
    email = attempt.user.email if not attempt.user.email.endswith("@" + EMAIL_DOMAIN) else None
    return st.Learner(attempt.user_id, email, platform)


def answers_of(attempt: Attempt) -> tuple[st.Answer, ...]:
    """Return the answered questions of the attempt, in slot order, with their keys and marks."""
    responses = db.session.execute(select(Response).where(Response.attempt_id == attempt.id)).scalars()
    found = {r.slot: r for r in responses if r.answer is not None}
    made = []
    for slot, entry in enumerate(attempt.layout):
        if slot not in found:
            continue
        version, response = db.session.get(QuestionVersion, entry["v"]), found[slot]
        made.append(
            st.Answer(
                slot + 1,
                version.question.key,
                qtypes.get(version.type).interaction,
                version.points,
                response.score,
                response.correct,
                response.saved_at,
            )
        )
    return tuple(made)


def started(attempt: Attempt) -> st.Started:
    """Return the attempt as started."""
    return st.Started(attempt.public_id, attempt.quiz.slug, attempt.quiz.title, attempt.started_at)


def finished(attempt: Attempt) -> st.Finished:
    """Return the finished attempt as the statements describe it."""
    return st.Finished(
        public_id=attempt.public_id,
        quiz_slug=attempt.quiz.slug,
        quiz_title=attempt.quiz.title,
        started_at=attempt.started_at,
        submitted_at=attempt.submitted_at,
        score=attempt.score or 0.0,
        max_score=attempt.max_score or 0.0,
        passed=bool(attempt.passed),
        topics=dict(attempt.topic_scores or {}),
        recommendation=attempt.recommendation,
        answers=answers_of(attempt),
    )


def statements_for(attempt: Attempt) -> list[dict]:
    """Return the statements of an attempt as it stands (started, or finished) under this site's settings."""
    conf = settings()
    if attempt.submitted_at is None:
        return st.begun(conf["site"], learner_of(attempt), started(attempt), conf["mode"])
    return st.build(conf["site"], learner_of(attempt), finished(attempt), conf["mode"])


def put(http, conf: dict, statement: dict) -> None:
    """PUT one statement; raise Transient for a retryable failure, DomainError for a refusal."""
    url = conf["endpoint"].rstrip("/") + "/statements"
    headers = {"X-Experience-API-Version": st.VERSION, "Content-Type": "application/json"}
    try:
        answer = http.put(
            url,
            params={"statementId": statement["id"]},
            json=statement,
            headers=headers,
            auth=conf["auth"],
            timeout=HTTP_TIMEOUT,
        )
    except requests.RequestException as exc:
        raise Transient(f"The LRS could not be reached: {exc.__class__.__name__}") from exc
    if answer.status_code >= 500 or answer.status_code == 429:
        raise Transient(f"The LRS answered {answer.status_code}; the statements will be sent again.")
    if answer.status_code >= 400:
        verb = statement["verb"]["id"].rsplit("/", 1)[-1]
        raise DomainError(
            f"The LRS refused the '{verb}' statement {statement['id']}: {answer.status_code} {answer.text[:300]}"
        )


def send_job(params: dict, progress) -> str:
    """Send the statements of attempt `attempt_id` as it stands (the `xapi.send` job); return how many were sent."""
    attempt = db.session.get(Attempt, params["attempt_id"])
    if attempt is None:
        raise DomainError("The attempt to report no longer exists.")
    if not enabled():
        raise DomainError("xAPI is not configured on this site (XAPI_ENDPOINT is empty).")
    conf, made = settings(), statements_for(attempt)
    with requests.Session() as http:
        for done, statement in enumerate(made, start=1):
            put(http, conf, statement)
            progress(done / len(made))
    return f"xapi:attempt:{attempt.id}:{len(made)} statements"
