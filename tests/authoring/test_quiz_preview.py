"""Quiz preview: taken as a learner would, graded at the end, and nothing written to attempts or responses."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from quizapp.authoring import preview
from quizapp.extensions import db
from quizapp.models import Attempt, AuditEvent, Quiz, Response
from tests.conftest import count
from tests.taking.helpers import form_for, preview_layout

BASE = "/author/quizzes/demo-exam/preview"


def begin(client, slug: str = "demo-exam") -> str:
    """Start a preview and return the first question's URL."""
    response = client.post(f"/author/quizzes/{slug}/preview")
    assert response.status_code == 303, response.data
    return response.headers["Location"]


def test_start_page_says_nothing_is_recorded(app, instructor):
    html = instructor.get(BASE).get_data(as_text=True)
    assert "Preview: nothing is recorded." in html and "Start the preview" in html
    assert instructor.get("/author/quizzes/nowhere/preview").status_code == 404


def test_a_whole_preview_is_graded_and_nothing_is_written(app, instructor):
    audit_before = count(app, AuditEvent)
    first = begin(instructor)
    assert first.endswith(f"{BASE}/1")
    page = instructor.get(first).get_data(as_text=True)
    assert "Preview: nothing is recorded." in page and "Question 1 of 5" in page and 'class="navigator"' in page
    assert "data-autosave" not in page
    for n, (slot, version) in enumerate(preview_layout(instructor, app), start=1):
        response = instructor.post(f"{BASE}/{n}", data={**form_for(slot, version, correct=n != 2), "go": "next"})
        assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{BASE}/review")
    review = instructor.get(f"{BASE}/review").get_data(as_text=True)
    assert "Not answered (0)" in review and "Submit the preview" in review
    assert instructor.post(f"{BASE}/submit").headers["Location"].endswith(f"{BASE}/result")
    result = instructor.get(f"{BASE}/result").get_data(as_text=True)
    assert "Preview result: 80%" in result and "Passed" in result and "4 of 5 points" in result
    assert "Score by topic" in result and 'class="chart"' in result and "Demo bank" in result
    assert "Not correct" in result and "Why" in result
    assert count(app, Attempt) == 0 and count(app, Response) == 0 and count(app, AuditEvent) == audit_before
    assert instructor.get(f"{BASE}/1").headers["Location"].endswith(f"{BASE}/result")


def test_the_session_holds_only_ids_orders_and_answers(app, instructor):
    begin(instructor)
    [(slot, version), *_] = preview_layout(instructor, app)
    instructor.post(f"{BASE}/1", data={**form_for(slot, version), "flag": "y", "go": "next"})
    with instructor.session_transaction() as session:
        state = session[preview.SESSION_KEY]
    assert set(state) == {"quiz", "slots", "answers", "flags", "locked", "done"}
    assert all(isinstance(v, int) and (o is None or all(isinstance(i, int) for i in o)) for v, o in state["slots"])
    assert state["answers"] == {"0": {"choice": 0}} and state["flags"] == [0] and state["locked"] == []
    page = instructor.get(f"{BASE}/1").get_data(as_text=True)
    assert re.search(r'<input[^>]*checked[^>]*name="flag"|<input[^>]*name="flag"[^>]*checked', page)


def test_immediate_feedback_locks_the_checked_answer(app, instructor):
    base = "/author/quizzes/demo-practice/preview"
    begin(instructor, "demo-practice")
    [(slot, version), *_] = preview_layout(instructor, app)
    checked = instructor.post(f"{base}/1", data={**form_for(slot, version, correct=False), "go": "check"})
    assert checked.headers["Location"].endswith(f"{base}/1")
    page = instructor.get(f"{base}/1").get_data(as_text=True)
    assert "Not correct" in page and "Check answer" not in page and "disabled" in page
    changed = instructor.post(f"{base}/1", data={**form_for(slot, version, correct=True), "go": "next"})
    assert changed.status_code == 422 and "already checked" in changed.get_data(as_text=True)
    assert count(app, Response) == 0


@pytest.mark.parametrize(
    ("review", "shown", "hidden"),
    [
        ("full", ["Not correct", "Correct answer"], []),
        ("correctness", ["Not correct"], ["Correct answer", "Why"]),
        ("score_only", ["checked and can no longer change"], ["Not correct", "Correct answer", "Why"]),
    ],
)
def test_a_checked_preview_answer_shows_what_the_review_setting_allows(app, instructor, review, shown, hidden):
    with app.app_context():
        quiz = db.session.execute(select(Quiz).where(Quiz.slug == "demo-practice")).scalar_one()
        quiz.settings = {**quiz.settings, "review": review}
        db.session.commit()
    base = "/author/quizzes/demo-practice/preview"
    begin(instructor, "demo-practice")
    [(slot, version), *_] = preview_layout(instructor, app)
    instructor.post(f"{base}/1", data={**form_for(slot, version, correct=False), "go": "check"})
    page = instructor.get(f"{base}/1").get_data(as_text=True)
    assert all(text in page for text in shown) and not [text for text in hidden if text in page]


def test_an_invalid_answer_is_refused_with_a_message(app, instructor):
    begin(instructor)
    response = instructor.post(f"{BASE}/1", data={"answer": "9", "go": "next"})
    assert response.status_code == 422 and "Not a valid choice" in response.get_data(as_text=True)
    assert instructor.get(f"{BASE}/99").status_code == 404


def test_pages_without_a_preview_lead_to_its_start(app, instructor):
    for url in (f"{BASE}/1", f"{BASE}/review", f"{BASE}/result"):
        response = instructor.get(url)
        assert response.status_code == 303 and response.headers["Location"].endswith(BASE)
    begin(instructor)
    assert instructor.get(f"{BASE}/result").headers["Location"].endswith(f"{BASE}/review")
    assert (
        instructor.get("/author/quizzes/demo-practice/preview/1")
        .headers["Location"]
        .endswith("/author/quizzes/demo-practice/preview")
    )


def test_unpublished_quizzes_can_be_previewed_and_undrawable_ones_explain_why(app, instructor):
    with app.app_context():
        quiz = db.session.execute(select(Quiz).where(Quiz.slug == "demo-timed")).scalar_one()
        quiz.published = False
        db.session.commit()
    assert begin(instructor, "demo-timed").endswith("/author/quizzes/demo-timed/preview/1")
    page = instructor.get("/author/quizzes/demo-timed/preview/1").get_data(as_text=True)
    assert "10-minute time limit is not enforced" in page and "Time left" not in page
    with app.app_context():
        quiz = db.session.execute(select(Quiz).where(Quiz.slug == "demo-timed")).scalar_one()
        quiz.settings = {**quiz.settings, "draw": [{"bank": "demo", "count": 9}]}
        db.session.commit()
    response = instructor.post("/author/quizzes/demo-timed/preview")
    assert response.status_code == 303
    html = instructor.get(response.headers["Location"]).get_data(as_text=True)
    assert "cannot be drawn right now" in html and count(app, Attempt) == 0


def test_learners_cannot_preview(app, learner):
    assert learner.get(BASE).status_code == 403
    assert learner.post(BASE).status_code == 403


def test_a_long_quiz_is_previewed_by_its_first_questions(app, instructor, monkeypatch):
    monkeypatch.setattr(preview, "MAX_SLOTS", 3)
    begin(instructor)
    page = instructor.get(f"{BASE}/1").get_data(as_text=True)
    assert "This preview shows the first 3 of the quiz&#39;s 5 questions." in page and "Question 1 of 3" in page
