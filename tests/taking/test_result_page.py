"""The result page agrees with itself and leads on: one set of marks, the right quiz for each track, links."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Attempt
from quizapp.numfmt import number
from tests.conftest import PROJECT, import_paths, login, make_user
from tests.taking.helpers import form_for, layout
from tests.taking.result_html import next_step_links, places, table_rows, text_of, why_for, why_items

NURSE = {
    "role": "nurse",
    "employer_requires": "bls",
    "clinical_setting": "y",
    "cares_for": ["adults"],
    "regulatory": "none",
    "current_card": "none",
}
COACH = {
    "role": "coach",
    "employer_requires": "cpr",
    "cares_for": ["adults"],
    "regulatory": "none",
    "current_card": "none",
}


@pytest.fixture
def shipped(app, auth):
    """The shipped banks, quizzes and track rules, and a signed-in learner; returns the client."""
    import_paths(app, PROJECT / "questions")
    return auth.sign_in("learner")


def take(client, app, slug: str, intake: dict | None, wrong_topics=()) -> str:
    """Start quiz `slug`, answer every question (wrong in `wrong_topics`), submit; return the attempt id."""
    response = client.post(f"/quizzes/{slug}/start", data=intake or {})
    assert response.status_code == 303, response.get_data(as_text=True)
    pid = response.headers["Location"].split("/")[2]
    for n, (slot, version) in enumerate(layout(app, pid), start=1):
        data = {**form_for(slot, version, correct=slot["topic"] not in wrong_topics), "go": "next"}
        assert client.post(f"/attempts/{pid}/questions/{n}", data=data).status_code == 303
    assert client.post(f"/attempts/{pid}/submit").status_code == 303
    return pid


def stored(app, pid: str) -> Attempt:
    """Return the finished attempt as stored."""
    with app.app_context():
        return db.session.execute(select(Attempt).where(Attempt.public_id == pid)).scalar_one()


def test_nurse_below_in_bvm_is_told_so_in_every_place(app, shipped):
    """A topic under its readiness mark is below in the bars, the table, "Why", "Topics to review" and the links."""
    pid = take(shipped, app, "bls-readiness", NURSE, wrong_topics={"bvm"})
    page = shipped.get(f"/attempts/{pid}/result").get_data(as_text=True)
    found = places(page)
    assert {place: found.found[place] for place in ("bars", "table", "why", "review", "practice")} == {
        "bars": {"bvm"},
        "table": {"bvm"},
        "why": {"bvm", "overall"},
        "review": {"bvm"},
        "practice": {"bvm"},
    }
    attempt, rows = stored(app, pid), table_rows(page)
    bvm = number(attempt.topic_scores["bvm"])
    assert rows["bvm"][1:] == [f"{bvm}%", "80%", "Below the readiness mark"]
    assert rows["airway"][1:] == ["100%", "80%", "At or above the readiness mark"]
    assert why_for(page, "bvm") == f"Your bag-valve-mask (BVM) score ({bvm}%) is below the 80% this track expects."
    assert (
        why_for(page, "overall")
        == f"Your overall score ({number(attempt.percent)}%) is below the 84% this track expects."
    )
    assert "the quiz pass mark is 84%" in text_of(page) and "84% per topic" not in page
    assert found.empty_items == 0 and "Your overall score</li>" not in page
    assert 'href="/quizzes/bvm-practice" data-practice="bvm"' in page
    links = dict(next_step_links(page))
    assert links["/quizzes/bvm-practice"] == "Practice: bag-valve-mask ventilation"
    assert "/quizzes/bls-readiness" in links and links["/courses#bls-provider"].startswith("About the BLS")
    missed = [n for n, (slot, _) in enumerate(layout(app, pid), start=1) if slot["topic"] == "bvm"]
    review = page.split('class="topics-to-review"')[1].split("</section>")[0]
    assert all(f'href="#q{n}"' in review for n in missed) and f'id="q{missed[0]}"' in page


def test_coach_on_the_provider_exam_is_sent_to_the_lay_quiz(app, shipped):
    """A lay track is not judged by the provider exam: "not assessed", with a link to the lay quiz, not BLS."""
    pid = take(shipped, app, "bls-readiness", COACH, wrong_topics={"bvm"})
    assert stored(app, pid).recommendation["readiness"] == "not-assessed"
    page = shipped.get(f"/attempts/{pid}/result").get_data(as_text=True)
    assert "Recommended course: Adult CPR/AED" in page and 'data-readiness="not-assessed"' in page
    assert '<a href="/quizzes/lay-rescuer-essentials" data-readiness-quiz>Lay rescuer essentials</a>' in page
    assert "BLS readiness check</a> to see whether" not in page
    found = places(page)
    assert not any(found.found[place] for place in ("bars", "table", "why", "review"))
    assert "Take Lay rescuer essentials to see whether you are ready" in {
        text: href for href, text in next_step_links(page)
    }


def test_coach_on_the_lay_quiz_is_judged_by_lay_marks(app, shipped):
    """The lay quiz judges the lay track with its own marks; a topic the track does not list is not counted."""
    pid = take(shipped, app, "lay-rescuer-essentials", COACH, wrong_topics={"team-cpr"})
    page = shipped.get(f"/attempts/{pid}/result").get_data(as_text=True)
    assert 'data-readiness="review"' in page
    rows, scores = table_rows(page), stored(app, pid).topic_scores
    assert rows["team-cpr"][1:] == [f"{number(scores['team-cpr'])}%", "70%", "Below the readiness mark"]
    assert rows["bvm"][1:] == ["100%", "—", "Not counted for this course's readiness"]
    found = places(page)
    assert found.found["why"] == found.found["review"] == found.found["table"] == {"team-cpr"}
    assert "the quiz pass mark is 70%" in text_of(page)


def test_recommend_page_judges_by_the_tracks_own_quiz(app, shipped):
    """/recommend: the coach's readiness comes from the lay quiz, never from a later provider exam."""
    page = shipped.post("/recommend", data=COACH).get_data(as_text=True)
    assert '<a href="/quizzes/lay-rescuer-essentials" data-readiness-quiz>' in page
    take(shipped, app, "lay-rescuer-essentials", COACH)
    take(shipped, app, "bls-readiness", NURSE, wrong_topics={"airway", "team-cpr", "bvm"})
    page = shipped.post("/recommend", data=COACH).get_data(as_text=True)
    assert 'data-readiness="ready"' in page and "based on your latest Lay rescuer essentials result" in page
    page = shipped.post("/recommend", data=NURSE).get_data(as_text=True)
    assert 'data-readiness="review"' in page and places(page).found["review"] == {"airway", "team-cpr", "bvm"}
    assert "based on your latest BLS readiness check result of" in page


def test_anonymous_recommend_links_the_right_quiz(client, app):
    """Without a sign-in, each track links its own readiness quiz."""
    import_paths(app, PROJECT / "questions")
    coach = client.post("/recommend", data=COACH).get_data(as_text=True)
    nurse = client.post("/recommend", data=NURSE).get_data(as_text=True)
    assert 'href="/quizzes/lay-rescuer-essentials" data-readiness-quiz' in coach
    assert 'href="/quizzes/bls-readiness" data-readiness-quiz' in nurse


def test_points_and_percents_show_at_most_two_decimals(app, shipped):
    """Raw float scores show cut to two decimals on the result page and in the history."""
    pid = take(shipped, app, "bls-readiness", NURSE)
    with app.app_context():
        attempt = db.session.execute(select(Attempt).where(Attempt.public_id == pid)).scalar_one()
        attempt.score, attempt.max_score, attempt.percent = 7.233333, 30.0, 24.1111111
        db.session.commit()
    page = text_of(shipped.get(f"/attempts/{pid}/result").get_data(as_text=True))
    assert "You scored 7.23 of 30 points" in page and "Your result: 24.11%" in page
    assert "24.11%" in text_of(shipped.get("/history").get_data(as_text=True))
    make_user(app, "admin@example.org", role="admin")
    admin = app.test_client()
    login(admin, "admin@example.org")
    export = admin.post("/admin/exports/download", data={"dataset": "attempts", "format": "csv"})
    row = export.get_data(as_text=True).splitlines()[1]
    assert ",7.233333,30" in row and ",24.1111111," in row  # exports keep full precision in their own columns


def test_retake_link_only_while_attempts_remain(app, shipped):
    """ "Take … again" is offered while attempts remain, and not after the last one."""
    with app.app_context():
        from quizapp.models import Quiz

        quiz = db.session.execute(select(Quiz).where(Quiz.slug == "airway-practice")).scalar_one()
        quiz.settings = {**quiz.settings, "attempts_allowed": 2}
        db.session.commit()
    first = take(shipped, app, "airway-practice", None, wrong_topics={"airway"})
    links = dict(next_step_links(shipped.get(f"/attempts/{first}/result").get_data(as_text=True)))
    assert links["/quizzes/airway-practice"] == "Take Practice: airway management again (1 attempt left)"
    second = take(shipped, app, "airway-practice", None)
    assert "/quizzes/airway-practice" not in dict(
        next_step_links(shipped.get(f"/attempts/{second}/result").get_data(as_text=True))
    )


def test_practice_quiz_compares_topics_with_its_pass_mark(app, shipped):
    """Without a recommendation, topics are compared with the quiz pass mark, named as such."""
    pid = take(shipped, app, "airway-practice", None, wrong_topics={"airway"})
    page = shipped.get(f"/attempts/{pid}/result").get_data(as_text=True)
    score = number(stored(app, pid).topic_scores["airway"])
    assert table_rows(page)["airway"][1:] == [f"{score}%", "80%", "Below the quiz pass mark"]
    assert "Recommended course" not in page and why_items(page) == []
    assert places(page).found["review"] == {"airway"}
