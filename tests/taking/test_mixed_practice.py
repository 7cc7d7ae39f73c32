"""The shipped mixed practice quiz: each learner's draw leans toward their weakest topics, and every page says so."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Attempt, Question, Quiz, User
from quizapp.taking import attempts
from tests.conftest import PROJECT, count, import_paths
from tests.taking.helpers import layout, start
from tests.taking.result_html import text_of
from tests.taking.test_result_page import NURSE, stored, take

TEAM = "Team CPR and high-quality compressions"


@pytest.fixture
def shipped(app, auth):
    """The shipped banks and quizzes, and a signed-in learner; returns the client."""
    import_paths(app, PROJECT / "questions")
    return auth.sign_in("learner")


def topics(app, pid: str) -> Counter:
    """Return how many of an attempt's questions each topic has."""
    return Counter(slot["topic"] for slot, _version in layout(app, pid))


def test_a_learner_weak_in_team_cpr_gets_mostly_team_cpr(app, shipped):
    take(shipped, app, "bls-readiness", NURSE, wrong_topics={"team-cpr"})  # team CPR 0 %, the rest 100 %
    page = text_of(shipped.get("/quizzes/mixed-practice").get_data(as_text=True))
    assert f"Your weakest topic last time: {TEAM} (0%). More of the questions come from it." in page
    pid = take(shipped, app, "mixed-practice", None, wrong_topics={"airway"})
    assert topics(app, pid) == {"team-cpr": 8, "airway": 1, "bvm": 1}
    attempt = stored(app, pid)
    # Scored and kept as any attempt: the quiz's own settings, its 10 pinned questions.
    assert attempt.topic_scores == {"team-cpr": 100.0, "airway": 0.0, "bvm": 100.0} and attempt.percent == 90.0
    assert attempt.settings["focus_weakest"] is True and attempt.question_count == 10
    result = shipped.get(f"/attempts/{pid}/result")
    assert result.status_code == 200 and "90%" in text_of(result.get_data(as_text=True))


def test_the_next_draw_follows_the_latest_score_of_each_topic(app, shipped):
    take(shipped, app, "bls-readiness", NURSE, wrong_topics={"team-cpr"})
    take(shipped, app, "mixed-practice", None, wrong_topics={"airway"})  # airway now 0 %, team CPR now 100 %
    with app.app_context():
        user = db.session.scalars(select(User).where(User.email == "learner@example.org")).one()
        assert attempts.latest_topic_scores(user) == {"airway": 0.0, "team-cpr": 100.0, "bvm": 100.0}
    assert topics(app, start(shipped, "mixed-practice")) == {"airway": 8, "team-cpr": 1, "bvm": 1}


def test_without_a_result_the_mix_is_even_and_the_page_says_so(app, shipped):
    page = text_of(shipped.get("/quizzes/mixed-practice").get_data(as_text=True))
    assert "10, chosen when you start: more from the topics where your latest score is lowest" in page
    assert "No topic stands out in your results yet, so the questions are an even mix of topics." in page
    assert topics(app, start(shipped, "mixed-practice")) == {"airway": 4, "team-cpr": 3, "bvm": 3}
    resumed = text_of(shipped.get("/quizzes/mixed-practice").get_data(as_text=True))
    assert "Resume your attempt" in resumed and "No topic stands out" not in resumed  # the open one keeps its draw


def test_the_catalog_and_home_page_offer_the_mix(app, shipped):
    listed = text_of(app.test_client().get("/").get_data(as_text=True))
    assert "Practice: your weakest topics" in listed and "More from your weakest topics" in listed
    take(shipped, app, "bls-readiness", NURSE, wrong_topics={"bvm"})
    home = text_of(shipped.get("/").get_data(as_text=True))
    practice = home[home.index("Suggested practice"):]
    assert "Your weakest topic in your last result: Bag-valve-mask ventilation" in practice
    assert "Or a short mix of topics, with more questions from those where your latest scores are lowest" in practice


def test_the_quiz_page_of_a_signed_out_visitor_only_describes_the_draw(app, client):
    import_paths(app, PROJECT / "questions")
    page = text_of(client.get("/quizzes/mixed-practice").get_data(as_text=True))
    assert "chosen when you start" in page and "No topic stands out" not in page and "last time" not in page


def test_a_pool_that_cannot_give_the_quiz_its_total_refuses_the_start_as_any_quiz(app, learner):
    with app.app_context():
        spec = {"slug": "demo-focus", "title": "Demo focus", "draw": [{"bank": "demo", "count": 5}],
                "feedback": "immediate", "focus_weakest": True}
        db.session.add(Quiz(slug="demo-focus", title="Demo focus", settings=spec, published=True))
        db.session.scalars(select(Question)).first().retired = True  # 4 questions left for 5
        db.session.commit()
    response = learner.post("/quizzes/demo-focus/start")
    assert response.status_code == 303 and response.headers["Location"].endswith("/quizzes/demo-focus")
    assert "cannot be started right now" in learner.get("/quizzes/demo-focus").get_data(as_text=True)
    assert count(app, Attempt) == 0
