"""Practice mode ("check answer") shows only what the quiz's review setting allows; authors are told about banks
that a practice quiz shares with an exam."""

from __future__ import annotations

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Quiz
from tests.taking.helpers import form_for, layout, start

SECRETS = ("Correct answer", "One second, just enough", "Too long.", "Test reference.")


def set_quiz(app, slug: str, **settings) -> None:
    """Change a quiz's stored settings."""
    with app.app_context():
        quiz = db.session.execute(select(Quiz).where(Quiz.slug == slug)).scalar_one()
        quiz.settings = {**quiz.settings, **settings}
        db.session.commit()


def check_wrong_answer(app, learner) -> str:
    """Start the practice quiz, check a wrong answer to question 1, and return the question page afterwards."""
    pid = start(learner, "demo-practice")
    slot, version = layout(app, pid)[0]
    assert version.spec().key == "demo-single"
    response = learner.post(f"/attempts/{pid}/questions/1", data={**form_for(slot, version, False), "go": "check"})
    assert response.status_code == 303
    return learner.get(f"/attempts/{pid}/questions/1").get_data(as_text=True)


def test_full_review_shows_the_key_and_rationale_on_check(app, learner):
    page = check_wrong_answer(app, learner)
    assert "Not correct" in page and all(secret in page for secret in SECRETS)


def test_correctness_review_shows_only_the_verdict_on_check(app, learner):
    set_quiz(app, "demo-practice", review="correctness")
    page = check_wrong_answer(app, learner)
    assert "Not correct" in page and "(0 of 1 points)" in page
    assert [secret for secret in SECRETS if secret in page] == []


def test_score_only_review_shows_nothing_about_the_answer_on_check(app, learner):
    set_quiz(app, "demo-practice", review="score_only")
    page = check_wrong_answer(app, learner)
    assert "checked and can no longer change" in page
    assert [s for s in (*SECRETS, "Not correct", "feedback-incorrect", "points)") if s in page] == []


def warnings(client, slug: str) -> str:
    """Return the builder page of a quiz."""
    return client.get(f"/author/quizzes/{slug}/edit").get_data(as_text=True)


def test_the_builder_warns_on_both_sides_when_practice_shares_an_exams_bank(instructor):
    practice = warnings(instructor, "demo-practice")
    assert "\u201cDemo practice\u201d shows the correct answer and the rationale when an answer is checked" in practice
    assert "the bank demo, as the exam \u201cDemo exam\u201d does: learners can see the exam&#39;s answers" in practice
    exam = warnings(instructor, "demo-exam")
    assert "\u201cDemo practice\u201d shows the correct answer" in exam


def test_no_warning_when_practice_reveals_nothing_or_the_banks_differ(app, instructor):
    set_quiz(app, "demo-practice", review="score_only")
    assert "by practising" not in warnings(instructor, "demo-practice")
    assert "by practising" not in warnings(instructor, "demo-exam")
    set_quiz(app, "demo-practice", review="correctness")
    assert "shows whether the answer is right" in warnings(instructor, "demo-practice")
    set_quiz(app, "demo-exam", draw=[{"bank": "other", "tags": [], "count": 5}])
    set_quiz(app, "demo-timed", feedback="immediate")  # practice too: two practice quizzes are no concern
    assert "by practising" not in warnings(instructor, "demo-practice")
