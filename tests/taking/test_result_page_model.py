"""The result view-model (pure): one set of marks, stored marks win, older stored advice still reads right."""

from __future__ import annotations

from pathlib import Path

from quizapp.recommendation import recommender
from quizapp.recommendation.tracks import load_rules
from quizapp.taking.result_page import Facts, Names, build

RULES = load_rules(Path(__file__).parents[2] / "questions" / "tracks.yaml")
NURSE = {"role": "nurse", "employer_requires": "bls"}
SCORES = {"airway": 90.0, "team-cpr": 85.0, "bvm": 41.666667}
NAMES = Names(practice={"bvm": "bvm-practice"}, quizzes={"bvm-practice": "Practice: BVM", "bls-readiness": "BLS check"})


def facts(percent: float = 72.222222, quiz: str = "bls-readiness", left: int | None = None) -> Facts:
    """Return a finished provider-exam attempt with a weak BVM score."""
    return Facts(quiz, "BLS check", percent, 21.666667, 30, percent >= 84, 84, SCORES, attempts_left=left)


def test_one_set_of_marks_for_rows_reasons_and_review():
    """Rows, "Why" and "Topics to review" use the track's 80% per topic; the quiz's 84% only judges the attempt."""
    rec = recommender.recommend(NURSE, {**SCORES, "overall": 72.222222}, RULES, "bls-readiness")
    page = build(facts(), rec, RULES, NAMES)
    assert [(r.slug, r.mark, r.below) for r in page.topics] == [
        ("airway", "80", False),
        ("team-cpr", "80", False),
        ("bvm", "80", True),
    ]
    assert [r.slug for r in page.review] == ["bvm"] and page.review[0].practice.params == {"slug": "bvm-practice"}
    reasons = [(r.topic, r.text) for r in page.advice.reasons if r.topic]
    assert reasons == [
        ("bvm", "Your bag-valve-mask (BVM) score (41.66%) is below the 80% this track expects."),
        ("overall", "Your overall score (72.22%) is below the 84% this track expects."),
    ]
    assert (page.percent, page.score, page.pass_mark) == ("72.22", "21.66", "84")
    assert "overall" not in page.headings and page.mark_kind == "readiness"


def test_stored_marks_win_over_a_later_rules_file():
    """A past attempt is judged by the marks stored with its recommendation, not today's file."""
    rec = recommender.recommend(NURSE, {**SCORES, "overall": 72.2}, RULES, "bls-readiness")
    rec["thresholds"] = {"airway": 95, "team-cpr": 80, "bvm": 30, "overall": 70}
    page = build(facts(), rec, RULES, NAMES)
    assert [r.slug for r in page.review] == ["airway"] and page.advice.readiness == "review"


def test_advice_stored_before_marks_were_stored_reads_the_rules_file():
    """An older stored recommendation (no thresholds, no readiness quiz) falls back to the rules file."""
    rec = recommender.recommend({"role": "coach", "employer_requires": "cpr"}, None, RULES)
    del rec["thresholds"], rec["readiness_quiz"]
    page = build(facts(), rec, RULES, NAMES)
    assert page.advice.readiness == "not-assessed" and page.review == []
    assert page.advice.readiness_quiz is None  # the lay quiz is not published in NAMES: no dead link
    named = Names(quizzes={**NAMES.quizzes, "lay-rescuer-essentials": "Lay rescuer essentials"})
    page = build(facts(), rec, RULES, named)
    assert page.advice.readiness_quiz.params == {"slug": "lay-rescuer-essentials"}
    assert all(r.mark is None and not r.below for r in page.topics)


def test_next_steps_lead_on():
    """Practice per weak topic, a retake only while attempts remain, the course page of the track."""
    rec = recommender.recommend(NURSE, {**SCORES, "overall": 72.2}, RULES, "bls-readiness")
    steps = [(link.endpoint, link.params) for link in build(facts(left=1), rec, RULES, NAMES).next_steps]
    assert steps == [
        ("quiz.show", {"slug": "bvm-practice"}),
        ("quiz.show", {"slug": "bls-readiness"}),
        ("recommend.courses", {"_anchor": "bls-provider"}),
    ]
    steps = [link.params for link in build(facts(left=0), rec, RULES, NAMES).next_steps]
    assert {"slug": "bls-readiness"} not in steps


def test_without_a_recommendation_the_quiz_pass_mark_judges_topics():
    """A practice attempt compares each topic with the quiz pass mark, named as such."""
    page = build(facts(), None, RULES, NAMES)
    assert page.mark_kind == "pass" and page.advice is None
    assert [(r.slug, r.mark, r.state) for r in page.review] == [("bvm", "84", "below the quiz pass mark")]
