"""Fixtures for the import, export, quiz builder and preview tests: a signed-in instructor and helpers."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from quizapp import create_app
from quizapp.extensions import db
from tests.conftest import PASSWORD, SHARED, base_config, login, make_user

HERE = Path(__file__).resolve().parent
OWN = HERE / "data"
MOODLE = SHARED / "fixtures" / "moodle-formats"
TEACHER = "teacher@example.org"


@pytest.fixture
def instructor(app, client, demo):
    """A signed-in instructor, with the demo bank and quizzes imported; returns the client."""
    make_user(app, TEACHER, role="instructor", name="Tess Teacher")
    login(client, TEACHER)
    return client


def token(client, url: str) -> str:
    """Return the CSRF token of the form on a page."""
    page = client.get(url).get_data(as_text=True)
    return page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]


@pytest.fixture
def csrf_teacher(app, database_url, demo):
    """An instructor signed in to a second app on the same database with CSRF protection on (as in production)."""
    make_user(app, TEACHER, role="instructor")
    csrf_app = create_app({**base_config(database_url), "WTF_CSRF_ENABLED": True})
    client = csrf_app.test_client()
    credentials = {"email": TEACHER, "password": PASSWORD}
    client.post("/auth/login", data={**credentials, "csrf_token": token(client, "/auth/login")})
    yield client
    with csrf_app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def moodle() -> Path:
    """The shared Moodle format fixtures, or a skip when ../shared is absent (a fresh clone)."""
    if not MOODLE.is_dir():
        pytest.skip("../shared fixtures not present")
    return MOODLE


def count(app, model, *where) -> int:
    """Count rows of a model, optionally filtered."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))
