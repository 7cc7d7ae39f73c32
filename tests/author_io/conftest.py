"""Fixtures for the import, export, quiz builder and preview tests: a signed-in instructor and helpers."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from tests.conftest import SHARED

HERE = Path(__file__).resolve().parent
OWN = HERE / "data"
MOODLE = SHARED / "fixtures" / "moodle-formats"
TEACHER = "teacher@example.org"


@pytest.fixture
def instructor(auth, demo):
    """A signed-in instructor, with the demo bank and quizzes imported; returns the client."""
    return auth.sign_in("instructor", TEACHER, "Tess Teacher")


@pytest.fixture
def csrf_teacher(auth, csrf_app, demo):
    """An instructor signed in to a second app on the same database with CSRF protection on (as in production)."""
    return auth.sign_in("instructor", TEACHER, client=csrf_app.test_client())


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
