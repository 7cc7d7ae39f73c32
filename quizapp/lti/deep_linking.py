"""Deep linking: the signed response that puts the quizzes an instructor picked into the course."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from quizapp import clock
from quizapp.lti import claims as c
from quizapp.lti import keys
from quizapp.models import LtiLaunch, Quiz

RESPONSE_FOR = timedelta(minutes=5)
SCORE_MAXIMUM = 100


def content_item(quiz: Quiz, launch_url: str) -> dict:
    """Return the resource link for one quiz, with a line item so the platform makes a grade column."""
    return {
        "type": "ltiResourceLink",
        "title": quiz.title,
        "url": launch_url,
        "custom": {"quiz": quiz.slug},
        "lineItem": {"scoreMaximum": SCORE_MAXIMUM, "label": quiz.title, "resourceId": quiz.slug},
    }


def response_claims(launch: LtiLaunch, quizzes: list[Quiz], launch_url: str) -> dict:
    """Return the claims of the deep-linking response for a deep-linking launch (pure but for the clock)."""
    issued = clock.now()
    body = {
        "iss": launch.registration.client_id,
        "aud": launch.registration.issuer,
        "iat": seconds(issued),
        "exp": seconds(issued + RESPONSE_FOR),
        "nonce": secrets.token_urlsafe(16),
        c.MESSAGE_TYPE: c.DEEP_LINKING_RESPONSE,
        c.VERSION: "1.3.0",
        c.DEPLOYMENT_ID: launch.deployment_id,
        c.DL + "content_items": [content_item(q, launch_url) for q in quizzes],
    }
    if launch.deep_link_data is not None:
        body[c.DL + "data"] = launch.deep_link_data
    return body


def response_jwt(launch: LtiLaunch, quizzes: list[Quiz], launch_url: str) -> str:
    """Sign the deep-linking response with the tool's current key."""
    return keys.sign(response_claims(launch, quizzes, launch_url))


def seconds(moment: datetime) -> int:
    """Return a naive UTC time as seconds since the epoch, as JWT times are."""
    return int(moment.replace(tzinfo=UTC).timestamp())
