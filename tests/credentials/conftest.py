"""Fixtures: the shipped quizzes and track rules, a learner with a ready readiness check, and its certificate."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Certificate
from tests.conftest import PROJECT, import_paths
from tests.taking.test_result_page import COACH, NURSE, take

__all__ = ["COACH", "NURSE", "take"]


@pytest.fixture
def shipped(app, auth):
    """The shipped banks, quizzes and track rules, and a signed-in learner; returns the client."""
    import_paths(app, PROJECT / "questions")
    return auth.sign_in("learner", name="Zoë Learner")


@pytest.fixture
def ready(app, shipped) -> str:
    """The public id of the learner's BLS readiness check, every answer right: the result page says "Ready"."""
    return take(shipped, app, "bls-readiness", NURSE)


def issue(client, pid: str, name: str = "Zoë Łukasz-Learner") -> str:
    """Issue the certificate of attempt `pid` through the form; return its code."""
    response = client.post(f"/attempts/{pid}/certificate", data={"name": name})
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[1]


def stored(app, code: str) -> Certificate:
    """Return the certificate as stored."""
    with app.app_context():
        return db.session.execute(select(Certificate).where(Certificate.code == code)).scalar_one()
