"""The learner profile: the intake asked once, pre-filled at every quiz start and on /recommend; the time zone."""

import re
from datetime import datetime

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Attempt, LearnerProfile, User
from tests.conftest import DATA, import_paths
from tests.support import csrf_token
from tests.taking.helpers import answer_all

NURSE = {"role": "nurse", "employer_requires": "bls", "clinical_setting": "y", "cares_for": ["adults"],
         "regulatory": "none", "current_card": "none"}
COACH = {"role": "coach", "employer_requires": "cpr", "cares_for": ["children"], "regulatory": "school_coach",
         "current_card": "none"}


@pytest.fixture
def intake_quizzes(app, tmp_path):
    """The demo bank and two quizzes that ask the intake."""
    quizzes = tmp_path / "intake.yaml"
    body = "".join(
        f"  - slug: {slug}\n    title: {slug}\n    draw: [{{bank: demo, count: 5}}]\n    intake: true\n"
        for slug in ("intake-one", "intake-two")
    )
    quizzes.write_text(f"format: quizapp-quizzes/1\nquizzes:\n{body}")
    import_paths(app, DATA / "demo-bank.yaml", quizzes)


def profile_row(app) -> LearnerProfile | None:
    """Return the only learner's profile row."""
    with app.app_context():
        user = db.session.execute(select(User)).scalar_one()
        return db.session.get(LearnerProfile, user.id)


def checked(page: str, name: str) -> set[str]:
    """Return the values of the checked radios/boxes named `name` on a page."""
    found = set()
    for tag in re.findall(r"<input[^>]*>", page):
        if f'name="{name}"' in tag and "checked" in tag:
            found.add(re.search(r'value="([^"]*)"', tag).group(1))
    return found


def selected_role(page: str) -> str | None:
    """Return the selected option of the role menu."""
    match = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', page)
    return next((g for g in match.groups() if g), None) if match else None


def test_profile_needs_a_sign_in(client):
    response = client.get("/profile")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_profile_saves_the_intake_and_the_time_zone(app, learner):
    assert learner.get("/profile").status_code == 200
    response = learner.post("/profile", data={**NURSE, "time_zone": "Europe/Paris"})
    assert response.status_code == 303
    row = profile_row(app)
    assert row.intake["role"] == "nurse" and row.intake["clinical_setting"] is True
    assert row.time_zone == "Europe/Paris"
    page = learner.get("/profile").get_data(as_text=True)
    assert selected_role(page) == "nurse" and checked(page, "employer_requires") == {"bls"}
    assert checked(page, "cares_for") == {"adults"} and "Europe/Paris" in page


def test_profile_refuses_a_missing_role_and_ignores_an_unknown_time_zone(app, learner):
    bad = learner.post("/profile", data={**NURSE, "role": ""})
    assert bad.status_code == 422 and "Choose your role." in bad.get_data(as_text=True)
    assert profile_row(app) is None
    assert learner.post("/profile", data={**NURSE, "time_zone": "../../etc/passwd"}).status_code == 303
    assert profile_row(app).time_zone is None
    learner.post("/profile", data={**NURSE, "time_zone": "Asia/Kolkata"})
    learner.post("/profile", data={**NURSE, "time_zone": "Not/A_Zone"})
    assert profile_row(app).time_zone == "Asia/Kolkata", "a bad value never erases a good one"


def test_profile_post_needs_the_csrf_token(app, auth, csrf_app, demo):
    client = auth.sign_in("learner", client=csrf_app.test_client())
    refused = client.post("/profile", data=NURSE)  # sent back to the page with a message, never saved
    assert refused.status_code in (303, 400) and profile_row(app) is None
    assert client.post("/profile", data={**NURSE, "csrf_token": csrf_token(client, "/profile")}).status_code == 303
    assert profile_row(app).intake["role"] == "nurse"


def test_intake_asked_once_then_prefilled_at_every_quiz_start(app, learner, intake_quizzes):
    first = learner.get("/quizzes/intake-one").get_data(as_text=True)
    assert selected_role(first) in (None, "") and checked(first, "employer_requires") == set()
    assert learner.post("/quizzes/intake-one/start", data={**NURSE, "time_zone": "Europe/Paris"}).status_code == 303
    assert profile_row(app).intake["role"] == "nurse" and profile_row(app).time_zone == "Europe/Paris"
    second = learner.get("/quizzes/intake-two").get_data(as_text=True)
    assert selected_role(second) == "nurse" and checked(second, "employer_requires") == {"bls"}
    assert checked(second, "clinical_setting") == {"y"} and checked(second, "cares_for") == {"adults"}
    assert "filled in from" in second
    # What is sent is what counts: a changed answer at a quiz start updates the profile too.
    assert learner.post("/quizzes/intake-two/start", data=COACH).status_code == 303
    assert profile_row(app).intake["role"] == "coach"


def test_a_quiz_without_intake_still_stores_the_time_zone(app, learner):
    assert learner.post("/quizzes/demo-exam/start", data={"time_zone": "America/New_York"}).status_code == 303
    assert profile_row(app).time_zone == "America/New_York" and profile_row(app).intake is None
    assert learner.post("/quizzes/demo-practice/start", data={"time_zone": "<script>"}).status_code == 303
    assert profile_row(app).time_zone == "America/New_York"


def test_editing_the_profile_never_changes_a_past_recommendation(app, learner, intake_quizzes):
    pid = learner.post("/quizzes/intake-one/start", data=NURSE).headers["Location"].split("/")[2]
    answer_all(learner, app, pid)
    learner.post(f"/attempts/{pid}/submit")
    before = learner.get(f"/attempts/{pid}/result").get_data(as_text=True)
    assert "Recommended course: BLS for Healthcare Providers" in before
    assert learner.post("/profile", data=COACH).status_code == 303
    after = learner.get(f"/attempts/{pid}/result").get_data(as_text=True)
    assert "Recommended course: BLS for Healthcare Providers" in after
    assert "Adult, child and infant CPR/AED" not in after
    with app.app_context():
        attempt = db.session.execute(select(Attempt).where(Attempt.public_id == pid)).scalar_one()
        assert attempt.intake["role"] == "nurse" and attempt.recommendation["track"] == "bls-provider"


def test_recommend_page_uses_the_profile(app, learner):
    assert 'id="rec-title"' not in learner.get("/recommend").get_data(as_text=True)
    learner.post("/profile", data=COACH)
    page = learner.get("/recommend").get_data(as_text=True)
    assert "Recommended course: Adult, child and infant CPR/AED" in page
    assert selected_role(page) == "coach" and checked(page, "employer_requires") == {"cpr"}
    posted = learner.post("/recommend", data=NURSE).get_data(as_text=True)
    assert "Recommended course: BLS for Healthcare Providers" in posted, "answers sent on the page count"


def test_a_stored_intake_the_rules_no_longer_accept_is_asked_again(app, learner, intake_quizzes):
    learner.post("/profile", data=NURSE)
    with app.app_context():
        row = db.session.execute(select(LearnerProfile)).scalar_one()
        row.intake = {**row.intake, "role": "astronaut"}
        db.session.commit()
    for path in ("/recommend", "/quizzes/intake-one", "/profile"):
        response = learner.get(path)
        assert response.status_code == 200, path
        assert selected_role(response.get_data(as_text=True)) in (None, ""), path


def test_times_are_shown_in_the_learner_time_zone_or_named_utc(app, learner):
    learner.post("/quizzes/demo-exam/start")
    with app.app_context():
        attempt = db.session.execute(select(Attempt)).scalar_one()
        attempt.started_at = datetime(2026, 12, 5, 14, 5)
        db.session.commit()
    page = learner.get("/history").get_data(as_text=True)
    assert '<time datetime="2026-12-05T14:05:00Z">05 Dec 2026 14:05 UTC</time>' in page
    learner.post("/profile", data={**NURSE, "time_zone": "Europe/Paris"})
    page = learner.get("/history").get_data(as_text=True)
    assert '<time datetime="2026-12-05T14:05:00Z">05 Dec 2026 15:05 CET</time>' in page
    assert "14:05 UTC" not in page
