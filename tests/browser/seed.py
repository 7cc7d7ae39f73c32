"""Data for the browser tests' live server: the quizzes, accounts, demo attempts and the seeded learner's attempts."""

from __future__ import annotations

import itertools
from pathlib import Path

import yaml
from sqlalchemy import select

from quizapp.accounts import users
from quizapp.banks import sync
from quizapp.demo import seeding
from quizapp.extensions import db
from quizapp.models import Quiz, User
from quizapp.taking import attempts
from tests.browser import support
from tests.browser.support import ADMIN, INSTRUCTOR, LEARNER
from tests.conftest import PASSWORD, PROJECT

_emails = itertools.count(1)


def _quiz_file(directory: Path) -> Path:
    """Write the quizzes only these tests use: team CPR in bank order (one per group), short and timed quizzes."""
    team_cpr = yaml.safe_load((PROJECT / "questions" / "team-cpr.yaml").read_text(encoding="utf-8"))
    drawable = len({q.get("group") or q["key"] for q in team_cpr["questions"]})
    quizzes = [
        {
            "slug": "browser-all-types",
            "title": "Browser check: every question type",
            "draw": [{"bank": "team-cpr", "count": drawable}],
            "shuffle_questions": False,
        },
        {
            "slug": "browser-all-types-practice",
            "title": "Browser check: every question type, practice",
            "draw": [{"bank": "team-cpr", "count": drawable}],
            "shuffle_questions": False,
            "feedback": "immediate",
        },
        {
            "slug": "browser-short",
            "title": "Browser check: three questions",
            "draw": [{"bank": "team-cpr", "count": 3}],
            "pass_percent": 50,
        },
        {
            "slug": "browser-timed",
            "title": "Browser check: one minute",
            "draw": [{"bank": "bag-valve-mask", "count": 3}],
            "time_limit_minutes": 1,
        },
        {
            "slug": "browser-ten-minutes",
            "title": "Browser check: ten minutes",
            "draw": [{"bank": "bag-valve-mask", "count": 3}],
            "time_limit_minutes": 10,
        },
    ]
    path = directory / "browser-quizzes.yaml"
    path.write_text(yaml.safe_dump({"format": "quizapp-quizzes/1", "quizzes": quizzes}), encoding="utf-8")
    return path


def new_learner() -> str:
    """Register a new learner account with the users service; return its email."""
    email = f"learner{next(_emails)}@example.org"
    users.register(email, "Lee Learner", PASSWORD, "learner")
    db.session.commit()
    return email


def populate(folder: Path) -> None:
    """Import the real banks and the browser quizzes, add the staff and seeded accounts and some demo attempts."""
    sync.import_files(sync.load([PROJECT / "questions", _quiz_file(folder)]))
    users.register(INSTRUCTOR, "Ines Instructor", PASSWORD, "instructor")
    users.register(ADMIN, "Ada Admin", PASSWORD, "admin")
    users.register(LEARNER, "Sam Seeded", PASSWORD, "learner")
    db.session.commit()
    for _ in seeding.run(seeding.prepare(12, 40, seed=1, slugs=("bls-readiness", "browser-short"))):
        db.session.commit()
    db.session.commit()


INTAKE = {
    "role": "nurse",
    "employer_requires": "bls",
    "clinical_setting": True,
    "cares_for": ["adults", "children", "infants"],
    "regulatory": "none",
    "current_card": "none",
}


def _start(email: str, slug: str, intake: dict | None = None):
    """Start an attempt for a user through the attempts service (inside an app context)."""
    user = db.session.execute(select(User).where(User.email == email)).scalar_one()
    quiz = db.session.execute(select(Quiz).where(Quiz.slug == slug)).scalar_one()
    return attempts.start(quiz, user, intake=intake)


def learner_attempts() -> dict[str, str]:
    """Give the seeded learner a submitted readiness check, an open every-type attempt and a checked answer."""
    done = _start(LEARNER, "bls-readiness", INTAKE)
    for index, (slot, q) in enumerate(support.slots_of(done)):
        attempts.save(done, index, support.stored_answer(slot, q, correct=index % 4 != 0), flagged=False)
    attempts.submit(done)
    every = _start(LEARNER, "browser-all-types")
    attempts.save(every, 0, support.stored_answer(*support.slots_of(every)[0]), flagged=True)
    practice = _start(LEARNER, "airway-practice")
    slot, q = support.slots_of(practice)[0]
    attempts.save(practice, 0, support.stored_answer(slot, q, correct=False), flagged=False, check=True)
    db.session.commit()
    return {"result": done.public_id, "every": every.public_id, "practice": practice.public_id}
