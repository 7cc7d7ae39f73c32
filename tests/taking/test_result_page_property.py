"""Property: for any score vector, a topic shown below its mark in one place of the page is below it in all of them."""

from __future__ import annotations

from types import SimpleNamespace

from flask import render_template
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.numfmt import number
from quizapp.recommendation import recommender
from quizapp.recommendation.tracks import load_rules
from quizapp.taking import result_page
from tests.conftest import PROJECT
from tests.taking.result_html import places, table_rows, why_for

RULES = load_rules(PROJECT / "questions" / "tracks.yaml")
TOPICS = ("airway", "team-cpr", "bvm")
NAMES = result_page.Names(
    labels={"airway": "Airway management", "team-cpr": "Team CPR", "bvm": "Bag-valve-mask ventilation"},
    missed={"airway": [1, 4], "team-cpr": [2], "bvm": [3, 5]},
    practice={"airway": "airway-practice", "team-cpr": "team-cpr-practice", "bvm": "bvm-practice"},
    quizzes={
        "bls-readiness": "BLS readiness check",
        "lay-rescuer-essentials": "Lay rescuer essentials",
        "airway-practice": "Practice: airway management",
        "team-cpr-practice": "Practice: team CPR",
        "bvm-practice": "Practice: bag-valve-mask ventilation",
    },
)
# (quiz taken, intake or None): the provider track on its exam, a lay track on its quiz, a lay track on the
# provider exam (not judged), and a practice quiz without an intake (the quiz pass mark).
CASES = [
    ("bls-readiness", {"role": "nurse", "employer_requires": "bls"}),
    ("lay-rescuer-essentials", {"role": "coach", "employer_requires": "cpr"}),
    ("bls-readiness", {"role": "coach", "employer_requires": "unsure"}),
    ("airway-practice", None),
]
# Scores near the marks (70, 80, 84) are where a rounding or a second threshold would show.
SCORE = st.one_of(
    st.floats(min_value=0, max_value=100, allow_nan=False),
    st.sampled_from([0, 69.999, 70, 70.001, 79.99, 79.999, 80, 80.0001, 83.996, 84, 100]),
)


def render(app, quiz: str, intake: dict | None, scores: dict[str, float], percent: float, pass_percent: float) -> str:
    """Build the view-model from these scores and render the real result template."""
    rec = recommender.recommend(intake, {**scores, "overall": percent}, RULES, quiz) if intake else None
    facts = result_page.Facts(
        quiz,
        NAMES.quizzes[quiz],
        percent,
        percent * 0.3,
        30,
        percent >= pass_percent,
        pass_percent,
        scores,
        attempts_left=None,
    )
    view = result_page.build(facts, rec, RULES, NAMES)
    attempt = SimpleNamespace(quiz=SimpleNamespace(title=NAMES.quizzes[quiz], slug=quiz), number=1)
    with app.test_request_context():
        return render_template("attempt/result.html", attempt=attempt, spec=None, rows=[], view=view)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    case=st.sampled_from(CASES),
    values=st.fixed_dictionaries(dict.fromkeys(TOPICS, SCORE)),
    percent=SCORE,
    pass_percent=st.sampled_from([70, 80, 84]),
)
def test_every_place_agrees_on_which_topics_are_below(app, case, values, percent, pass_percent):
    """Bars, table, "Why", "Topics to review" and practice links name the same topics, and exactly those below."""
    quiz, intake = case
    scores = {"airway": values["airway"]} if quiz == "airway-practice" else values
    page = render(app, quiz, intake, scores, percent, pass_percent)
    found = places(page)
    rec = recommender.recommend(intake, None, RULES) if intake else None
    judged = rec is None or RULES.tracks[rec["track"]].readiness.quiz == quiz
    marks = recommender.thresholds(RULES.tracks[rec["track"]].readiness) if rec else dict.fromkeys(scores, pass_percent)
    truly_below = {t for t, v in scores.items() if judged and t in marks and v < marks[t]} if judged else set()
    assert found.shown["bars"] == found.shown["table"] == set(scores)
    why = found.found["why"] - {"overall"}
    in_why = rec is not None
    assert found.found["bars"] == found.found["table"] == found.found["review"] == found.found["practice"]
    assert found.found["bars"] == truly_below
    assert why == (truly_below if in_why else set())
    assert ("overall" in found.found["why"]) == (
        judged and rec is not None and "overall" in marks and percent < marks["overall"]
    )
    assert found.empty_items == 0
    rows = table_rows(page)
    for topic in truly_below:
        score, mark = rows[topic][1], rows[topic][2]
        assert score == f"{number(scores[topic])}%" and mark == f"{number(marks[topic])}%"
        assert float(score[:-1]) < float(mark[:-1]), "a shown score below its mark never reads as reaching it"
        if in_why:
            assert f"({score})" in why_for(page, topic) and f"below the {mark}" in why_for(page, topic)
