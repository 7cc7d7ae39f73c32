"""Fixtures for the LTI tests: the platform on loopback and its registration."""

from __future__ import annotations

import pytest

from quizapp.extensions import db
from quizapp.lti import registrations
from quizapp.lti.registrations import Details
from tests.jobs.workers import BROKER, redis_or_skip
from tests.lti.platform import CLIENT_ID, DEPLOYMENT_ID, Platform, serve


@pytest.fixture
def platform():
    """A learning platform serving its JWKS, token, line-item and score endpoints on loopback."""
    played = Platform()
    server = serve(played)
    yield played
    server.shutdown()
    server.server_close()


def register(app, platform: Platform, **changes) -> int:
    """Register the platform with the tool and return the registration's id."""
    values = {
        "name": "Test LMS",
        "issuer": platform.issuer,
        "client_id": CLIENT_ID,
        "deployment_ids": (DEPLOYMENT_ID,),
        "key_set_url": platform.url("/jwks"),
        "auth_login_url": platform.url("/auth"),
        "auth_token_url": platform.url("/token"),
        **changes,
    }
    with app.app_context():
        saved = registrations.save(None, Details(**values))
        db.session.commit()
        return saved.id


@pytest.fixture
def registered(app, demo, platform) -> Platform:
    """The platform, registered with the tool, with the demo quizzes in place."""
    register(app, platform)
    return platform


@pytest.fixture
def queued(make_app, registered):
    """An app with a broker (as in production) and no worker: a submit only queues the grade's job."""
    redis_or_skip()
    app = make_app(BROKER_URL=BROKER)
    yield app
    app.extensions["celery"].control.purge()
