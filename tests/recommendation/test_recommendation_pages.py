"""The track recommendation from the quiz flow, from /recommend and from the CLI."""

import json
import os

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Attempt
from tests.conftest import DATA, PROJECT, import_paths
from tests.taking.helpers import answer_all

NURSE = {"role": "nurse", "employer_requires": "bls", "clinical_setting": "y", "cares_for": ["adults"],
         "regulatory": "none", "current_card": "none"}


def intake_quiz(app, tmp_path):
    """Import the demo bank and a quiz that asks the intake."""
    quizzes = tmp_path / "intake.yaml"
    quizzes.write_text("format: quizapp-quizzes/1\nquizzes:\n  - slug: intake-quiz\n    title: Intake quiz\n"
                       "    draw: [{bank: demo, count: 5}]\n    intake: true\n    pass_percent: 80\n")
    import_paths(app, DATA / "demo-bank.yaml", quizzes)


def test_quiz_intake_required_then_stored_with_recommendation(app, learner, tmp_path):
    intake_quiz(app, tmp_path)
    page = learner.get("/quizzes/intake-quiz").get_data(as_text=True)
    assert "Which best describes your role?" in page and "<legend>" in page
    missing = learner.post("/quizzes/intake-quiz/start", data={})
    assert missing.status_code == 422 and "Choose your role." in missing.get_data(as_text=True)
    bad = learner.post("/quizzes/intake-quiz/start", data={**NURSE, "role": "astronaut"})
    assert bad.status_code == 422
    response = learner.post("/quizzes/intake-quiz/start", data=NURSE)
    assert response.status_code == 303
    pid = response.headers["Location"].split("/")[2]
    answer_all(learner, app, pid)
    learner.post(f"/attempts/{pid}/submit")
    with app.app_context():
        attempt = db.session.execute(select(Attempt).where(Attempt.public_id == pid)).scalar_one()
        assert attempt.intake["role"] == "nurse" and attempt.intake["clinical_setting"] is True
        rec = attempt.recommendation
    assert rec["track"] == "bls-provider"
    # The demo bank's topic is "demo", so the BLS topics are missing: readiness cannot be judged.
    assert rec["readiness"] == "not-assessed"
    page = learner.get(f"/attempts/{pid}/result").get_data(as_text=True)
    assert "Recommended course: BLS for Healthcare Providers" in page and 'href="/courses"' in page
    assert "BLS for Healthcare Providers" in learner.get("/history").get_data(as_text=True)


def test_recommendation_is_stored_not_recomputed(app, learner, tmp_path):
    intake_quiz(app, tmp_path)
    pid = learner.post("/quizzes/intake-quiz/start", data=NURSE).headers["Location"].split("/")[2]
    learner.post(f"/attempts/{pid}/submit")
    with app.app_context():
        attempt = db.session.execute(select(Attempt).where(Attempt.public_id == pid)).scalar_one()
        attempt.recommendation = {**attempt.recommendation, "track_title": "Stored title"}
        db.session.commit()
    assert "Recommended course: Stored title" in learner.get(f"/attempts/{pid}/result").get_data(as_text=True)


def test_standalone_recommend_page(client):
    page = client.get("/recommend").get_data(as_text=True)
    assert "Which CPR course do I need?" in page
    data = {"role": "teacher", "employer_requires": "bls", "cares_for": ["children"], "regulatory": "none",
            "current_card": "lay_cpr"}
    page = client.post("/recommend", data=data).get_data(as_text=True)
    assert "Recommended course: Adult, child and infant CPR/AED" in page
    assert "Confirm with your employer" in page and "Not assessed yet" in page


def test_standalone_uses_latest_scores_when_signed_in(app, learner):
    page = learner.post("/recommend", data={"role": "coach", "employer_requires": "cpr", "regulatory": "school_coach",
                                            "current_card": "none"}).get_data(as_text=True)
    assert "Adult, child and infant CPR/AED" in page


def test_courses_page(client):
    page = client.get("/courses").get_data(as_text=True)
    assert "BLS for Healthcare Providers" in page and "Lay-rescuer" in page


def test_cli_recommend(runner):
    intake = {"role": "childcare", "employer_requires": "cpr", "regulatory": "childcare_license",
              "cares_for": ["children", "infants"]}
    result = runner.invoke(args=["tracks", "recommend", "--intake", json.dumps(intake)])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["track"] == "cpr-aed-all-ages" and out["add_ons"] == ["pediatric-first-aid"]
    scores = {"airway": 90, "team-cpr": 85, "bvm": 88, "overall": 86}
    result = runner.invoke(args=["tracks", "recommend", "--intake", '{"role": "nurse", "employer_requires": "bls"}',
                                 "--scores", json.dumps(scores)])
    assert json.loads(result.output)["readiness"] == "ready"


def test_cli_refuses_bad_input(runner):
    assert runner.invoke(args=["tracks", "recommend", "--intake", "{not json"]).exit_code == 2
    bad = runner.invoke(args=["tracks", "recommend", "--intake", '{"role": "astronaut", "employer_requires": "bls"}'])
    assert bad.exit_code == 1 and "role" in bad.output


def test_threshold_change_in_the_rules_file_changes_the_result(app, runner, tmp_path):
    rules = (PROJECT / "questions" / "tracks.yaml").read_text()
    (tmp_path / "tracks.yaml").write_text(rules.replace("      overall: 84", "      overall: 95"))
    app.config["QUESTIONS_DIR"] = str(tmp_path)
    scores = {"airway": 90, "team-cpr": 90, "bvm": 90, "overall": 90}
    result = runner.invoke(args=["tracks", "recommend", "--intake", '{"role": "nurse", "employer_requires": "bls"}',
                                 "--scores", json.dumps(scores)])
    assert json.loads(result.output)["readiness"] == "review"


def test_missing_rules_file_never_blocks_a_submission(app, learner, tmp_path):
    intake_quiz(app, tmp_path)
    pid = learner.post("/quizzes/intake-quiz/start", data=NURSE).headers["Location"].split("/")[2]
    app.config["QUESTIONS_DIR"] = str(tmp_path / "nowhere")
    assert learner.post(f"/attempts/{pid}/submit").status_code == 303
    with app.app_context():
        attempt = db.session.execute(select(Attempt).where(Attempt.public_id == pid)).scalar_one()
        assert attempt.status == "submitted" and attempt.recommendation is None
    page = learner.get("/recommend")
    assert page.status_code == 503 and "unavailable right now" in page.get_data(as_text=True)


def test_intake_labels_follow_an_edited_rules_file(app, learner, tmp_path):
    intake_quiz(app, tmp_path)
    rules = tmp_path / "tracks.yaml"
    rules.write_text((PROJECT / "questions" / "tracks.yaml").read_text())
    app.config["QUESTIONS_DIR"] = str(tmp_path)
    assert ">Dental professional</" in learner.get("/quizzes/intake-quiz").get_data(as_text=True)
    rules.write_text(rules.read_text().replace("dental: dental professional", "dental: dentist or hygienist"))
    os.utime(rules, (1, 1))  # a new modification time even within the file system's clock resolution
    page = learner.get("/quizzes/intake-quiz").get_data(as_text=True)
    assert ">Dentist or hygienist</" in page and "Dental professional" not in page
    refused = learner.post("/quizzes/intake-quiz/start", data={**NURSE, "role": ""}).get_data(as_text=True)
    assert ">Dentist or hygienist</" in refused
