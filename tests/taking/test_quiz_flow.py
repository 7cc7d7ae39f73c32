"""A learner takes a quiz end to end: start, answer, leave and resume, review, submit, result, history."""

from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Attempt, Quiz, Response
from tests.conftest import make_user
from tests.taking.helpers import answer_all, form_for, layout, start


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_catalog_lists_published_quizzes(client, demo):
    page = client.get("/").get_data(as_text=True)
    assert "Demo exam" in page and 'href="/quizzes/demo-exam"' in page


def test_intro_page(client, demo):
    page = client.get("/quizzes/demo-timed").get_data(as_text=True)
    assert "10 minutes" in page and "Sign in to start" in page


def test_start_requires_login(client, demo):
    response = client.post("/quizzes/demo-exam/start")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_full_attempt_scores_100(app, learner):
    pid = start(learner)
    answer_all(learner, app, pid)
    review = learner.get(f"/attempts/{pid}/review").get_data(as_text=True)
    assert "You have answered every question." in review
    response = learner.post(f"/attempts/{pid}/submit")
    assert response.status_code == 303
    page = learner.get(f"/attempts/{pid}/result").get_data(as_text=True)
    assert "Your result: 100%" in page and "Passed" in page
    assert "One second, just enough for visible chest rise." in page  # rationale shown after submit
    assert "Test reference." in page


def test_wrong_answers_fail_with_feedback(app, learner):
    pid = start(learner)
    answer_all(learner, app, pid, correct=False)
    learner.post(f"/attempts/{pid}/submit")
    page = learner.get(f"/attempts/{pid}/result").get_data(as_text=True)
    assert "Your result: 0%" in page and "Not passed yet" in page
    assert "Far too long." in page or "Too long." in page  # feedback for the picked distractor


def test_resume_keeps_answers_and_catalog_offers_resume(app, learner):
    pid = start(learner)
    slot, version = layout(app, pid)[0]
    learner.post(f"/attempts/{pid}/questions/1", data={**form_for(slot, version), "go": "next"})
    assert start(learner) == pid  # starting again resumes
    assert "Resume" in learner.get("/").get_data(as_text=True)
    page = learner.get(f"/attempts/{pid}/questions/1").get_data(as_text=True)
    assert "checked" in page and "1 of 5 answered" in page


def test_saving_again_replaces(app, learner):
    pid = start(learner)
    slot, version = layout(app, pid)[0]
    for correct in (True, False, True):
        learner.post(f"/attempts/{pid}/questions/1", data={**form_for(slot, version, correct), "go": "stay"})
    with app.app_context():
        assert db.session.scalar(select(func.count(Response.id))) == 1


def test_flag_shows_on_review(app, learner):
    pid = start(learner)
    learner.post(f"/attempts/{pid}/questions/2", data={"flag": "y", "go": "stay"})
    review = learner.get(f"/attempts/{pid}/review").get_data(as_text=True)
    assert "Flagged for review (1)" in review and "Not answered (5)" in review


def test_double_submit_same_result(app, learner):
    pid = start(learner)
    answer_all(learner, app, pid)
    first = learner.post(f"/attempts/{pid}/submit")
    second = learner.post(f"/attempts/{pid}/submit")
    assert first.status_code == second.status_code == 303
    with app.app_context():
        attempt = db.session.execute(select(Attempt).where(Attempt.public_id == pid)).scalar_one()
        assert attempt.percent == 100 and attempt.status == "submitted"


def test_answers_after_submit_are_refused(app, learner):
    pid = start(learner)
    learner.post(f"/attempts/{pid}/submit")
    response = learner.post(f"/attempts/{pid}/questions/1", data={"answer": "0", "go": "next"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/result")
    autosave = learner.post(f"/attempts/{pid}/questions/1/autosave", data={"answer": "0"})
    assert autosave.status_code == 409 and autosave.json["saved"] is False


def test_history_lists_attempts(app, learner):
    pid = start(learner)
    answer_all(learner, app, pid)
    learner.post(f"/attempts/{pid}/submit")
    page = learner.get("/history").get_data(as_text=True)
    assert "Demo exam" in page and "100% (passed)" in page and "highest attempt counts" in page


def test_invalid_answers_get_a_message_not_a_500(app, learner):
    pid = start(learner)
    rows = layout(app, pid)
    numeric = next(n for n, (_, v) in enumerate(rows, 1) if v.type == "numeric")
    response = learner.post(f"/attempts/{pid}/questions/{numeric}", data={"answer": "six", "go": "next"})
    assert response.status_code == 422 and "Enter a number" in response.get_data(as_text=True)
    ordering = next(n for n, (_, v) in enumerate(rows, 1) if v.type == "ordering")
    response = learner.post(f"/attempts/{pid}/questions/{ordering}", data={"item_0": "1", "item_1": "1", "item_2": "2"})
    assert response.status_code == 422 and "different position" in response.get_data(as_text=True)
    single = next(n for n, (_, v) in enumerate(rows, 1) if v.type == "single")
    response = learner.post(f"/attempts/{pid}/questions/{single}", data={"answer": "99"})
    assert response.status_code == 422
    assert learner.get(f"/attempts/{pid}/questions/99").status_code == 404


def test_autosave_json(app, learner):
    pid = start(learner)
    slot, version = layout(app, pid)[0]
    response = learner.post(f"/attempts/{pid}/questions/1/autosave", data=form_for(slot, version))
    assert response.status_code == 200 and response.json["saved"] is True


def test_immediate_feedback_locks_answer(app, learner):
    pid = start(learner, "demo-practice")
    slot, version = layout(app, pid)[0]
    learner.post(f"/attempts/{pid}/questions/1", data={**form_for(slot, version, False), "go": "check"})
    page = learner.get(f"/attempts/{pid}/questions/1").get_data(as_text=True)
    assert "Not correct" in page and version.spec().explanation in page
    response = learner.post(f"/attempts/{pid}/questions/1", data={**form_for(slot, version, True), "go": "check"})
    assert response.status_code == 422 and "already checked" in response.get_data(as_text=True)
    # The autosave refuses the change too, with the message (its upsert changes nothing; the refusal is read after).
    autosave = learner.post(f"/attempts/{pid}/questions/1/autosave", data=form_for(slot, version, True))
    assert autosave.status_code == 409 and "already checked" in autosave.json["error"]
    assert autosave.json["closed"] is False
    # Only the flag may still change: the checked answer kept, the flag saved.
    kept = {**form_for(slot, version, False), "flag": "y"}
    flagged = learner.post(f"/attempts/{pid}/questions/1/autosave", data=kept)
    assert flagged.status_code == 200 and flagged.json["saved"] is True
    page = learner.get(f"/attempts/{pid}/questions/1").get_data(as_text=True)
    assert "Not correct" in page and "nav-flagged" in page


def test_other_learner_gets_404_everywhere(app, learner, client):
    pid = start(learner)
    learner.post("/auth/logout")
    make_user(app, "other@example.org")
    client.post("/auth/login", data={"email": "other@example.org", "password": "correct horse battery"})
    for url in (f"/attempts/{pid}/questions/1", f"/attempts/{pid}/review", f"/attempts/{pid}/result"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/attempts/{pid}/questions/1", data={"answer": "0"}).status_code == 404
    assert client.post(f"/attempts/{pid}/questions/1/autosave", data={"answer": "0"}).status_code == 404
    assert client.post(f"/attempts/{pid}/submit").status_code == 404


def test_editing_a_quiz_never_changes_an_attempt_in_progress(app, learner):
    pid = start(learner)
    with app.app_context():
        quiz = db.session.execute(select(Quiz).where(Quiz.slug == "demo-exam")).scalar_one()
        quiz.settings = {**quiz.settings, "pass_percent": 100, "review": "score_only"}
        db.session.commit()
    answer_all(learner, app, pid, correct=False)
    slot, version = layout(app, pid)[0]
    learner.post(f"/attempts/{pid}/questions/1", data={**form_for(slot, version), "go": "next"})
    learner.post(f"/attempts/{pid}/submit")
    page = learner.get(f"/attempts/{pid}/result").get_data(as_text=True)
    assert "the quiz pass mark is 60%" in page and "Question by question" in page
