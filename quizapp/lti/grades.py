"""Grade return (LTI Assignment and Grade Services): the outbox row a finished attempt leaves, and its sending.

`queue` runs in the request that finishes an attempt; `send` is for background work only (it calls the platform).
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

import requests
from sqlalchemy import select

from quizapp import audit, clock
from quizapp.errors import DomainError, Transient
from quizapp.extensions import db
from quizapp.lti import claims as c
from quizapp.lti import keys, launches
from quizapp.lti.deep_linking import SCORE_MAXIMUM, seconds
from quizapp.models import Attempt, GradeStatus, LtiGrade, LtiLaunch, LtiRegistration

MAX_TRIES = 8
HTTP_TIMEOUT = 10
ASSERTION_FOR = timedelta(minutes=5)
SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"
LINEITEM_TYPE = "application/vnd.ims.lis.v2.lineitem+json"
LINEITEMS_TYPE = "application/vnd.ims.lis.v2.lineitemcontainer+json"


class SendFailed(Exception):
    """The platform refused or could not be reached; the message is kept as the row's last error."""


def can_return_grades(launch: LtiLaunch) -> bool:
    """Whether the launch granted score posting to a known line item, or a container the tool may add one to."""
    scopes = launch.ags_scopes or []
    if c.SCORE_SCOPE not in scopes:
        return False
    return bool(launch.lineitem_url or (launch.lineitems_url and c.LINEITEM_SCOPE in scopes))


def comment_for(attempt: Attempt) -> str | None:
    """Return the grade comment: the recommended track, when the attempt has one."""
    title = (attempt.recommendation or {}).get("track_title")
    return f"Recommended track: {title}"[:500] if title else None


def queue(attempt: Attempt) -> LtiGrade | None:
    """Record the grade to send for a finished attempt launched from a platform (once; flushed, caller commits)."""
    if attempt.percent is None:
        return None
    launch = launches.latest_for(attempt.user_id, attempt.quiz_id)
    if launch is None or not can_return_grades(launch):
        return None
    stmt = select(LtiGrade).where(LtiGrade.attempt_id == attempt.id, LtiGrade.launch_id == launch.id)
    existing = db.session.execute(stmt).scalar_one_or_none()
    if existing is not None:
        return existing
    grade = LtiGrade(
        attempt_id=attempt.id,
        launch_id=launch.id,
        lineitem_url=launch.lineitem_url,
        score_given=round(attempt.percent, 2),
        score_maximum=SCORE_MAXIMUM,
        comment=comment_for(attempt),
        created_at=clock.now(),
    )
    db.session.add(grade)
    db.session.flush()
    return grade


def score_json(subject: str, score_given: float, score_maximum: float, comment: str | None, at: datetime) -> dict:
    """Return the AGS score body: a completed, fully graded attempt for the platform's user (pure)."""
    body = {
        "userId": subject,
        "scoreGiven": score_given,
        "scoreMaximum": score_maximum,
        "activityProgress": "Completed",
        "gradingProgress": "FullyGraded",
        "timestamp": at.replace(tzinfo=UTC).isoformat(timespec="milliseconds"),
    }
    if comment:
        body["comment"] = comment
    return body


def service_url(url: str, suffix: str) -> str:
    """Append a path segment to a service URL, keeping its query (line item URLs may carry one)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + suffix))


def client_assertion(registration: LtiRegistration) -> str:
    """Return the signed JWT that authenticates the tool at the platform's token endpoint."""
    issued = clock.now()
    return keys.sign(
        {
            "iss": registration.client_id,
            "sub": registration.client_id,
            "aud": registration.auth_token_url,
            "iat": seconds(issued),
            "exp": seconds(issued + ASSERTION_FOR),
            "jti": secrets.token_urlsafe(16),
        }
    )


def access_token(registration: LtiRegistration, scopes: list[str], http) -> str:
    """Obtain an access token by the client-credentials grant with a JWT client assertion."""
    form = {
        "grant_type": "client_credentials",
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "client_assertion": client_assertion(registration),
        "scope": " ".join(scopes),
    }
    response = _call(http.post, registration.auth_token_url, data=form)
    token = response.json().get("access_token")
    if not token:
        raise SendFailed("the token endpoint answered without an access_token")
    return token


def _call(method, url: str, **kwargs):
    """Make one HTTP call with a timeout; raise SendFailed on a network error or an error status."""
    try:
        response = method(url, timeout=HTTP_TIMEOUT, **kwargs)
    except Exception as exc:  # any transport error is a failed try, retried later
        raise SendFailed(f"{url}: {exc.__class__.__name__}: {exc}") from exc
    if response.status_code >= 400:
        raise SendFailed(f"{url} answered {response.status_code}: {response.text[:200]}")
    return response


def lineitem_for(grade: LtiGrade, token: str, http) -> str:
    """Return the line item to score: the launch's, or the container's item for this link, added if missing."""
    if grade.lineitem_url:
        return grade.lineitem_url
    launch = grade.launch
    headers = {"Authorization": f"Bearer {token}"}
    found = _call(
        http.get,
        launch.lineitems_url,
        params={"resource_link_id": launch.resource_link_id},
        headers={**headers, "Accept": LINEITEMS_TYPE},
    ).json()
    for item in found:
        if item.get("resourceLinkId") == launch.resource_link_id and item.get("id"):
            return item["id"]
    item = {
        "scoreMaximum": SCORE_MAXIMUM,
        "label": grade.attempt.quiz.title,
        "resourceId": grade.attempt.quiz.slug,
        "resourceLinkId": launch.resource_link_id,
    }
    made = _call(http.post, launch.lineitems_url, json=item, headers={**headers, "Content-Type": LINEITEM_TYPE})
    return made.json()["id"]


def post_score(grade: LtiGrade, http) -> dict:
    """Post the row's score to its line item; return the JSON sent."""
    registration = grade.launch.registration
    scopes = [c.SCORE_SCOPE] + ([] if grade.lineitem_url else [c.LINEITEM_SCOPE])
    token = access_token(registration, scopes, http)
    grade.lineitem_url = lineitem_for(grade, token, http)
    at = grade.attempt.submitted_at or grade.created_at
    body = score_json(grade.launch.subject, grade.score_given, grade.score_maximum, grade.comment, at)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": SCORE_TYPE}
    _call(http.post, service_url(grade.lineitem_url, "/scores"), json=body, headers=headers)
    return body


def send(grade: LtiGrade, http) -> bool:
    """Send one pending grade (background work only); record the try, audit a sent score; return whether sent."""
    if grade.status != GradeStatus.PENDING:
        return grade.status == GradeStatus.SENT
    grade.tries += 1
    try:
        body = post_score(grade, http)
    except (SendFailed, ValueError, KeyError, TypeError) as exc:
        grade.last_error = str(exc)[:500]
        grade.status = GradeStatus.FAILED if grade.tries >= MAX_TRIES else GradeStatus.PENDING
        db.session.flush()
        return False
    grade.status, grade.sent_at, grade.last_error = GradeStatus.SENT, clock.now(), None
    db.session.flush()
    audit.record(None, "lti.grade.sent", f"attempt:{grade.attempt_id}", lineitem=grade.lineitem_url, score=body)
    return True


def send_job(params: dict, progress) -> str:
    """Send one grade (the `lti.grade` job): a refused try is kept and retried later; the last one fails the job."""
    grade = db.session.get(LtiGrade, params["grade_id"])
    if grade is None:
        raise DomainError("The grade to send no longer exists.")
    if send(grade, requests.Session()):
        return f"lti_grade:{grade.id}"
    db.session.commit()  # keep the try and its error, whatever happens to the job
    if grade.status == GradeStatus.FAILED:
        raise DomainError(f"The platform refused the grade {grade.tries} times: {grade.last_error}")
    raise Transient(grade.last_error)


def pending() -> list[LtiGrade]:
    """Return the grades still to send, oldest first (for the background worker)."""
    stmt = select(LtiGrade).where(LtiGrade.status == GradeStatus.PENDING).order_by(LtiGrade.id)
    return list(db.session.execute(stmt).scalars())
