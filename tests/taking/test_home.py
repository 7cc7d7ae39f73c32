"""A signed-in learner's home page: the attempt in progress, the last result with its advice, suggested practice."""

import re

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Attempt
from tests.conftest import DATA, import_paths
from tests.taking.helpers import answer_all, start

NURSE = {"role": "nurse", "employer_requires": "bls", "clinical_setting": "y", "cares_for": ["adults"],
         "regulatory": "none", "current_card": "none"}


def finish(client, app, slug: str, correct: bool) -> str:
    """Take a quiz to the end, answering everything right or wrong; return the attempt's public id."""
    pid = start(client, slug)
    answer_all(client, app, pid, correct=correct)
    assert client.post(f"/attempts/{pid}/submit").status_code == 303
    return pid


def panel_of(client) -> str:
    """Return the home page above the catalog, with runs of white space made single spaces."""
    return re.sub(r"\s+", " ", client.get("/").get_data(as_text=True).split("<h2>Quizzes</h2>")[0])


def test_anonymous_visitors_see_the_catalog_only(client, demo):
    page = client.get("/").get_data(as_text=True)
    assert "Demo exam" in page and "Demo practice" in page
    assert "In progress" not in page and "Your last result" not in page


def test_a_new_learner_sees_where_to_begin_above_the_catalog(learner):
    page = learner.get("/").get_data(as_text=True)
    assert "Nothing in progress" in page and "No results yet" in page and 'href="/profile"' in page
    assert page.index("Your last result") < page.index("<h2>Quizzes</h2>"), "the catalog stays below"


def test_the_attempt_in_progress_has_a_resume_link(learner):
    pid = start(learner, "demo-timed")
    page = learner.get("/").get_data(as_text=True)
    panel = page[: page.index("<h2>Quizzes</h2>")]
    resume = f'href="/attempts/{pid}/questions/1">Resume<span class="visually-hidden"> your attempt at Demo timed'
    assert resume in panel
    assert "time runs out" in panel
    assert f'href="/attempts/{pid}/questions/1"' in page[page.index("<h2>Quizzes</h2>"):], "the catalog keeps its own"


def test_last_result_and_the_practice_quiz_for_the_weakest_topic(app, learner):
    finish(learner, app, "demo-practice", correct=True)
    pid = finish(learner, app, "demo-exam", correct=False)  # the latest: 0% in topic "demo", below the 60% mark
    panel = panel_of(learner)
    assert "<strong>Demo exam</strong>: 0% (not passed yet)" in panel
    assert f'href="/attempts/{pid}/result"' in panel
    practice = panel[panel.index("Suggested practice"):]
    assert "weakest topic in your last result: <strong>Demo bank" in practice
    assert re.search(r'<a class="button" href="/quizzes/demo-practice">Demo practice</a>', practice)


def test_no_practice_is_suggested_when_every_topic_meets_its_mark(app, learner):
    finish(learner, app, "demo-exam", correct=True)
    panel = panel_of(learner)
    assert "No topic in your last result is below its mark" in panel and "/quizzes/demo-practice" not in panel


def test_the_last_recommendation_stays_after_a_practice_quiz(app, learner, tmp_path):
    quizzes = tmp_path / "intake.yaml"
    quizzes.write_text("format: quizapp-quizzes/1\nquizzes:\n  - slug: intake-quiz\n    title: Intake quiz\n"
                       "    draw: [{bank: demo, count: 5}]\n    intake: true\n")
    import_paths(app, DATA / "demo-bank.yaml", quizzes)
    pid = learner.post("/quizzes/intake-quiz/start", data=NURSE).headers["Location"].split("/")[2]
    answer_all(learner, app, pid)
    learner.post(f"/attempts/{pid}/submit")
    page = learner.get("/").get_data(as_text=True)
    assert "Recommended course: <strong>BLS for Healthcare Providers</strong>" in page
    finish(learner, app, "demo-practice", correct=True)
    panel = panel_of(learner)
    assert "<strong>Demo practice</strong>: 100%" in panel
    assert "Recommended course: <strong>BLS for Healthcare Providers</strong>" in panel
    assert "from your Intake quiz result" in panel


def test_a_review_first_recommendation_names_the_weak_topic_it_found(app, learner):
    pid = finish(learner, app, "demo-exam", correct=True)
    with app.app_context():  # a stored recommendation that asks to review the topic, though it passed the quiz
        attempt = db.session.execute(select(Attempt).where(Attempt.public_id == pid)).scalar_one()
        attempt.topic_scores = {"demo": 70.0}
        attempt.recommendation = {"track": "bls-provider", "track_title": "BLS for Healthcare Providers",
                                  "readiness": "review", "review_topics": ["demo", "overall"]}
        db.session.commit()
    panel = panel_of(learner)
    assert "Review some topics first." in panel and "<strong>Demo bank" in panel and "70%" in panel


def test_a_ready_recommendation_judges_by_the_track_marks_not_the_quiz_pass_mark(app, learner):
    pid = finish(learner, app, "demo-exam", correct=False)
    with app.app_context():  # 0% in the topic, below the quiz's pass mark, yet the stored advice says ready
        attempt = db.session.execute(select(Attempt).where(Attempt.public_id == pid)).scalar_one()
        attempt.recommendation = {"track": "bls-provider", "track_title": "BLS for Healthcare Providers",
                                  "readiness": "ready", "review_topics": []}
        db.session.commit()
    panel = panel_of(learner)
    assert "Your scores show you are ready for it." in panel and "/quizzes/demo-practice" not in panel
