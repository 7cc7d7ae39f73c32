"""Fixtures for score exports: attempts taken through the real quiz pages, and their copies."""

from __future__ import annotations

import secrets
from datetime import datetime

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Attempt, Response, User
from tests.conftest import signed_in
from tests.taking.helpers import answer_all, start

NAMES = {
    "ada@example.org": "Ada Lovelace",
    "evil@example.org": '=HYPERLINK("http://x")',
    "plus@example.org": "+1",
    "minus@example.org": "-2",
    "at@example.org": "@cmd",
}
NEUTRALISED = {'\'=HYPERLINK("http://x")', "'+1", "'-2", "'@cmd"}


@pytest.fixture(autouse=True)
def export_dir(app, tmp_path):
    """Write background export files into the test's own folder, never the instance folder."""
    app.config["EXPORT_DIR"] = str(tmp_path / "exports")
    return tmp_path / "exports"


def take(app, email: str, name: str | None = None, slug: str = "demo-exam", correct: bool = True, submit: bool = True):
    """Have a learner take a quiz through the pages (answering all right or all wrong); return the attempt id."""
    client = signed_in(app, email, name)
    public_id = start(client, slug)
    answer_all(client, app, public_id, correct)
    if submit:
        assert client.post(f"/attempts/{public_id}/submit").status_code == 303
    return public_id


def set_attempt(app, public_id: str, **values) -> None:
    """Overwrite columns of an attempt (dates, stored recommendation) for filter tests."""
    with app.app_context():
        attempt = db.session.execute(select(Attempt).where(Attempt.public_id == public_id)).scalar_one()
        for name, value in values.items():
            setattr(attempt, name, value)
        db.session.commit()


def clone_attempts(app, public_id: str, count: int) -> None:
    """Copy a finished attempt and its responses `count` times, for different new learners (fast, no HTTP)."""
    with app.app_context():
        source = db.session.execute(select(Attempt).where(Attempt.public_id == public_id)).scalar_one()
        responses = db.session.execute(select(Response).where(Response.attempt_id == source.id)).scalars().all()
        skip = {"id", "public_id", "user_id"}
        columns = [c.key for c in Attempt.__table__.columns if c.key not in skip]
        for _ in range(count):
            tag = secrets.token_hex(4)
            user = User(email=f"clone-{tag}@example.org", display_name=f"Clone {tag}", password_hash="x")
            db.session.add(user)
            db.session.flush()
            copy = Attempt(public_id=secrets.token_urlsafe(16), user_id=user.id)
            for column in columns:
                setattr(copy, column, getattr(source, column))
            db.session.add(copy)
            db.session.flush()
            for r in responses:
                db.session.add(
                    Response(
                        attempt_id=copy.id,
                        slot=r.slot,
                        version_id=r.version_id,
                        answer=r.answer,
                        correct=r.correct,
                        score=r.score,
                        saved_at=r.saved_at,
                    )
                )
        db.session.commit()


@pytest.fixture
def scores(app, admin) -> dict[str, str]:
    """Five learners' submitted demo-exam attempts (Ada all right, the others all wrong) and one open attempt."""
    ids = {}
    for day, (email, name) in enumerate(NAMES.items(), start=1):
        ids[email] = take(app, email, name, correct=email == "ada@example.org")
        set_attempt(app, ids[email], started_at=datetime(2026, 3, day, 9), submitted_at=datetime(2026, 3, day, 9, 5))
    set_attempt(app, ids["ada@example.org"], recommendation={"track": "bls-provider", "readiness": "ready"})
    ids["open"] = take(app, "ian@example.org", "Ian Open", slug="demo-timed", submit=False)
    set_attempt(app, ids["open"], started_at=datetime(2026, 3, 10, 12))
    return ids
