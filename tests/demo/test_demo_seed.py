"""`flask demo seed`: realistic, deterministic, within the constraints, scored exactly as the app scores."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import pytest
from sqlalchemy import delete, func, select

from quizapp.demo import seeding as demo_data
from quizapp.errors import DomainError
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptStatus, QuestionVersion, Quiz, Response, Role, User
from quizapp.recommendation import recommender, stored
from quizapp.taking import grading
from tests.conftest import PROJECT, import_paths

NOW = datetime(2026, 3, 1, 12, 0, 0)
INTAKE_QUIZZES = {"bls-readiness", "lay-rescuer-essentials"}


@pytest.fixture
def real(app):
    """The shipped banks, quizzes and track rules."""
    app.config["QUESTIONS_DIR"] = str(PROJECT / "questions")
    import_paths(app, PROJECT / "questions")


def seed(app, learners: int, attempts: int, seed: int = 1, slugs=(), now=NOW) -> None:
    """Run the seeder as the CLI does, committing per batch."""
    with app.app_context():
        for _ in demo_data.run(demo_data.prepare(learners, attempts, seed, slugs, now=now)):
            db.session.commit()


def snapshot(app) -> tuple[list, list]:
    """Return every seeded attempt and response as plain tuples, by identity rather than row id."""
    with app.app_context():
        attempts = db.session.execute(
            select(
                User.email,
                User.display_name,
                Quiz.slug,
                Attempt.number,
                Attempt.public_id,
                Attempt.status,
                Attempt.seed,
                Attempt.started_at,
                Attempt.submitted_at,
                Attempt.layout,
                Attempt.score,
                Attempt.percent,
                Attempt.passed,
                Attempt.topic_scores,
                Attempt.intake,
                Attempt.recommendation,
            )
            .join(User, Attempt.user_id == User.id)
            .join(Quiz, Attempt.quiz_id == Quiz.id)
            .order_by(Attempt.id)
        ).all()
        responses = db.session.execute(
            select(
                Attempt.public_id,
                Response.slot,
                Response.version_id,
                Response.answer,
                Response.score,
                Response.correct,
                Response.flagged,
                Response.locked,
                Response.saved_at,
            )
            .join(Attempt, Response.attempt_id == Attempt.id)
            .order_by(Attempt.id, Response.slot)
        ).all()
    return [tuple(a) for a in attempts], [tuple(r) for r in responses]


def wipe_seeded(app) -> None:
    """Delete seeded learners with their attempts and responses."""
    with app.app_context():
        db.session.execute(delete(Response))
        db.session.execute(delete(Attempt))
        db.session.execute(delete(User))
        db.session.commit()


def test_same_seed_same_data_other_seed_other_data(app, real):
    seed(app, 12, 60, seed=5)
    first = snapshot(app)
    wipe_seeded(app)
    seed(app, 12, 60, seed=5)
    assert snapshot(app) == first
    wipe_seeded(app)
    seed(app, 12, 60, seed=6)
    assert snapshot(app)[0] != first[0]
    assert len(first[0]) == 60 and len(first[1]) > 60 * 10


def test_learners_look_real_and_share_one_password_hash(app, real):
    seed(app, 30, 10)
    with app.app_context():
        people = db.session.execute(select(User.email, User.display_name, User.password_hash, User.role)).all()
    assert len(people) == 30
    assert all(p.email.endswith("@example.org") and " " in p.display_name for p in people)
    assert all(p.role == Role.LEARNER for p in people)
    assert len({p.password_hash for p in people}) == 1 and people[0].password_hash.startswith("scrypt:")
    assert len({p.email for p in people}) == 30


def test_attempts_respect_the_constraints(app, real):
    seed(app, 15, 120)
    with app.app_context():
        rows = db.session.execute(
            select(
                Attempt.quiz_id,
                Attempt.user_id,
                Attempt.number,
                Attempt.status,
                Attempt.started_at,
                Attempt.submitted_at,
                Attempt.deadline,
            ).order_by(Attempt.id)
        ).all()
        published = set(db.session.scalars(select(Quiz.id).where(Quiz.published.is_(True))))
    assert len(rows) == 120 and {r.quiz_id for r in rows} == published
    assert all(r.status in (AttemptStatus.SUBMITTED, AttemptStatus.EXPIRED) for r in rows)
    assert len({(r.quiz_id, r.user_id, r.number) for r in rows}) == len(rows)
    numbers: dict[tuple[int, int], list] = {}
    for r in rows:
        numbers.setdefault((r.quiz_id, r.user_id), []).append((r.started_at, r.number))
    for seq in numbers.values():
        assert [n for _, n in seq] == list(range(1, len(seq) + 1))  # numbered 1.. in time order
        assert sorted(seq) == seq
    for r in rows:
        assert NOW - timedelta(days=90) <= r.started_at < r.submitted_at <= NOW
        assert r.deadline is None or r.submitted_at <= r.deadline
    assert max(Counter(r.user_id for r in rows).values()) > 120 / 15  # some learners are busier than others


def test_attempt_limits_are_respected(app, demo):
    seed(app, 3, 6, slugs=["demo-timed"])  # two attempts allowed each
    with app.app_context():
        per_user = Counter(db.session.scalars(select(Attempt.user_id)))
    assert sorted(per_user.values()) == [2, 2, 2]
    with app.app_context(), pytest.raises(DomainError, match="at most 2 attempts"):
        demo_data.prepare(1, 3, seed=9, slugs=["demo-timed"])


def test_scores_equal_a_regrade_of_the_responses(app, real):
    seed(app, 20, 80)
    with app.app_context():
        versions = {v.id: v.spec() for v in db.session.scalars(select(QuestionVersion))}
        saved = {(r.attempt_id, r.slot): r for r in db.session.scalars(select(Response))}
        attempts = list(db.session.scalars(select(Attempt).order_by(Attempt.id)))
        blanks = 0
        for a in attempts:
            slots = []
            for i, entry in enumerate(a.layout):
                q = versions[entry["v"]]
                r = saved.get((a.id, i))
                answer = r.answer if r is not None else None
                blanks += answer is None
                if r is not None:
                    assert r.version_id == entry["v"]
                    assert r.score == grading.score(q, answer) and r.correct == grading.is_correct(q, answer)
                    assert answer is None or grading.normalise(q, answer) == answer
                slots.append(grading.SlotScore(entry["topic"], grading.score(q, answer), q.points))
            totals = grading.summarise(slots)
            assert (a.score, a.max_score, a.percent) == (totals.score, totals.max_score, totals.percent)
            assert a.topic_scores == totals.topics
            assert a.passed == (a.percent >= a.quiz.spec().pass_percent)
        percents = [a.percent for a in attempts]
    assert blanks > 0 and min(percents) < 60 < max(percents)  # varied ability, some blanks


def test_intake_quizzes_store_the_recommendation(app, real):
    seed(app, 20, 100)
    with app.app_context():
        rules = stored.rules()
        rows = db.session.execute(
            select(Quiz.slug, Attempt.intake, Attempt.recommendation, Attempt.topic_scores, Attempt.percent).join(Quiz)
        ).all()
    with_intake = [r for r in rows if r.slug in INTAKE_QUIZZES]
    assert with_intake and all(r.intake is None and r.recommendation is None for r in rows if r not in with_intake)
    for r in with_intake:
        scores = {**r.topic_scores, "overall": r.percent}
        assert r.recommendation == recommender.recommend(r.intake, scores, rules, r.slug)
    assert len({r.recommendation["track"] for r in with_intake}) > 1


def test_seeding_twice_with_one_seed_is_refused(app, real):
    seed(app, 3, 5, seed=8)
    with app.app_context(), pytest.raises(DomainError, match="already exist"):
        demo_data.prepare(3, 5, seed=8)


def test_cli_seeds_and_reports(app, runner, real):
    result = runner.invoke(
        args=[
            "demo",
            "seed",
            "--learners",
            "6",
            "--attempts",
            "25",
            "--seed",
            "4",
            "--quiz",
            "airway-practice",
            "--quiz",
            "bls-readiness",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "created 6 learners and 25 attempts (airway-practice, bls-readiness)" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Attempt.id))) == 25
        assert db.session.scalar(select(func.count(User.id))) == 6


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--quiz", "nope"], "No quiz called nope"),
        (["--learners", "0"], "Invalid value for '--learners'"),
    ],
)
def test_cli_refuses_bad_input(runner, real, args, message):
    result = runner.invoke(args=["demo", "seed", "--attempts", "3", *args])
    assert result.exit_code != 0 and message in result.output
