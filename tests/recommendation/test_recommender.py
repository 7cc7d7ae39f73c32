"""Track recommendation: golden scenarios, the rules file, validation, and properties (no app)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from quizapp.recommendation.recommender import READINESS, Intake, recommend
from quizapp.recommendation.tracks import CHOICES, load_rules

RULES_PATH = Path(__file__).parents[2] / "questions" / "tracks.yaml"
GOLDEN_PATH = Path(__file__).parent / "data" / "recommend_golden.yaml"
RULES = load_rules(RULES_PATH)
SCENARIOS = yaml.safe_load(GOLDEN_PATH.read_text(encoding="utf-8"))["scenarios"]
EXACT = ("track", "add_ons", "caveats", "readiness", "review_topics")
NURSE = {"role": "nurse", "employer_requires": "bls"}
STRONG = {"airway": 90, "team-cpr": 90, "bvm": 90, "overall": 86}


def rules_data() -> dict:
    """Return the shipped rules file as plain data, to change in a test."""
    return yaml.safe_load(RULES_PATH.read_text(encoding="utf-8"))


def write_rules(tmp_path: Path, data: dict) -> Path:
    """Write rules data to a YAML file under tmp_path and return its path."""
    path = tmp_path / "tracks.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_golden_table_is_big_and_names_are_unique():
    """The golden table has at least 30 rows, each with its own name."""
    names = [row["name"] for row in SCENARIOS]
    assert len(names) >= 30
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("row", SCENARIOS, ids=[row["name"] for row in SCENARIOS])
def test_golden(row):
    """Each golden scenario gives exactly the expected track, add-ons, caveats and readiness."""
    result = recommend(row["intake"], row.get("scores"), RULES)
    expected = row["expected"]
    assert {key: result[key] for key in EXACT} == {key: expected[key] for key in EXACT}
    codes = {reason["code"] for reason in result["reasons"]}
    assert set(expected.get("reasons", [])) <= codes
    assert not set(expected.get("reasons_absent", [])) & codes


def test_shipped_rules_load():
    """questions/tracks.yaml is valid and defines the three tracks and two add-ons."""
    assert set(RULES.tracks) == {"bls-provider", "cpr-aed-all-ages", "cpr-aed-adult"}
    assert set(RULES.add_ons) == {"pediatric-first-aid", "first-aid"}
    assert RULES.tracks["bls-provider"].readiness.overall == 84


def test_reason_texts_name_the_answer_and_the_score():
    """Reasons are plain language tied to the intake answer or the score."""
    scores = {"airway": 90, "team-cpr": 72, "bvm": 90, "overall": 86}
    texts = {r["code"]: r["text"] for r in recommend(NURSE, scores, RULES)["reasons"]}
    assert texts["role-healthcare"] == (
        "You work in a healthcare role (nurse): employers expect BLS for Healthcare Providers."
    )
    assert texts["score-below"] == "Your team CPR score (72%) is below the 80% this track expects."


def test_next_steps_and_caveat_notes():
    """Caveats come as titled notes; next steps gather rule tips and the track's and add-ons' steps, once each."""
    intake = {
        "role": "teacher",
        "employer_requires": "bls",
        "current_card": "lay_cpr",
        "regulatory": "childcare_license",
    }
    result = recommend(intake, None, RULES)
    steps = result["next_steps"]
    caveat = RULES.caveats["confirm-with-employer"]
    assert result["caveat_notes"] == [{"code": "confirm-with-employer", "title": caveat.title, "text": caveat.text}]
    assert caveat.text not in steps
    assert result["add_on_titles"] == [RULES.add_ons["pediatric-first-aid"].title]
    assert set(RULES.tracks["cpr-aed-all-ages"].next_steps) <= set(steps)
    assert set(RULES.add_ons["pediatric-first-aid"].next_steps) <= set(steps)
    assert len(steps) == len(set(steps))


def test_accepts_an_intake_model():
    """An Intake instance gives the same result as the dict it came from."""
    assert recommend(Intake(**NURSE), STRONG, RULES) == recommend(NURSE, STRONG, RULES)


def test_threshold_change_needs_no_code_change(tmp_path):
    """Raising the BLS overall minimum in a copy of the file changes the result."""
    assert recommend(NURSE, STRONG, RULES)["readiness"] == "ready"
    data = rules_data()
    data["tracks"]["bls-provider"]["readiness"]["overall"] = 90
    changed = recommend(NURSE, STRONG, load_rules(write_rules(tmp_path, data)))
    assert (changed["readiness"], changed["review_topics"]) == ("review", ["overall"])


@pytest.mark.parametrize(
    ("intake", "field"),
    [
        ({"role": "doctor", "employer_requires": "bls"}, "role"),
        ({"role": "nurse", "employer_requires": "maybe"}, "employer_requires"),
        ({"role": "nurse", "employer_requires": "bls", "cares_for": ["pets"]}, "cares_for"),
        ({"role": "nurse", "employer_requires": "bls", "regulatory": "hipaa"}, "regulatory"),
        ({"role": "nurse", "employer_requires": "bls", "current_card": "acls"}, "current_card"),
        ({"role": "nurse", "employer_requires": "bls", "clinical_setting": "sometimes"}, "clinical_setting"),
        ({"role": "nurse", "employer_requires": "bls", "shoe_size": 9}, "shoe_size"),
        ({"employer_requires": "bls"}, "role"),
        ({"role": "nurse"}, "employer_requires"),
    ],
)
def test_invalid_intake_raises(intake, field):
    """Unknown values, unknown fields and missing required answers raise a ValidationError naming the field."""
    with pytest.raises(ValidationError) as info:
        recommend(intake, None, RULES)
    assert field in {str(part) for err in info.value.errors() for part in err["loc"]}


def test_intake_defaults():
    """Only role and employer_requires are required."""
    intake = Intake(role="coach", employer_requires="none")
    assert (intake.clinical_setting, intake.cares_for, intake.regulatory, intake.current_card) == (
        False,
        [],
        "none",
        "none",
    )


@pytest.mark.parametrize("scores", [{"airway": 101}, {"airway": -1}, {"airway": "lots"}, {"airway": float("nan")}])
def test_invalid_scores_raise(scores):
    """Scores must be percentages from 0 to 100 (or None)."""
    with pytest.raises(ValidationError):
        recommend(NURSE, scores, RULES)


intakes = st.fixed_dictionaries(
    {"role": st.sampled_from(CHOICES["role"]), "employer_requires": st.sampled_from(CHOICES["employer_requires"])},
    optional={
        "clinical_setting": st.booleans(),
        "cares_for": st.lists(st.sampled_from(CHOICES["cares_for"]), max_size=4),
        "regulatory": st.sampled_from(CHOICES["regulatory"]),
        "current_card": st.sampled_from(CHOICES["current_card"]),
    },
)
percent = st.none() | st.floats(min_value=0, max_value=100) | st.integers(min_value=0, max_value=100)
score_maps = st.none() | st.dictionaries(st.sampled_from(["airway", "team-cpr", "bvm", "overall", "extra"]), percent)


@settings(max_examples=300, database=None)
@given(intake=intakes, scores=score_maps)
def test_property_any_valid_answers_give_a_sound_result(intake, scores):
    """Any valid intake and scores give a known track, a known readiness, and review topics only on review."""
    result = recommend(intake, scores, RULES)
    assert result["track"] in RULES.tracks
    assert result["readiness"] in READINESS
    assert result["review_topics"] == [] or result["readiness"] == "review"
    assert set(result["add_ons"]) <= set(RULES.add_ons)
    assert len(result["add_ons"]) == len(set(result["add_ons"]))
    assert json.loads(json.dumps(result)) == result


CARES = [
    [],
    ["adults"],
    ["children"],
    ["infants"],
    ["adults", "children"],
    ["adults", "infants"],
    ["children", "infants"],
    ["adults", "children", "infants"],
]
LAY_ROLES = ["coach", "teacher", "fitness", "parent_caregiver", "workplace_responder", "other"]


@pytest.mark.parametrize("cares", CARES, ids=["+".join(c) or "nobody" for c in CARES])
@pytest.mark.parametrize("role", LAY_ROLES)
@pytest.mark.parametrize("employer", ["cpr", "unsure", "none"])
def test_reasons_name_only_the_people_ticked(cares, role, employer):
    """Every reason follows the answers: infant CPR only when infants are ticked, child CPR only for children."""
    result = recommend({"role": role, "employer_requires": employer, "cares_for": cares}, None, RULES)
    texts = {r["code"]: r["text"] for r in result["reasons"]}
    young = [word for care, word in (("children", "child"), ("infants", "infant")) if care in cares]
    if young:
        named = " and ".join(cares) if len(cares) < 3 else "adults, children and infants"
        assert texts["cares-for-children"] == (
            f"You look after {named}, so the course should include {' and '.join(young)} CPR."
        )
    else:
        assert "cares-for-children" not in texts
    said = " ".join(texts.values()).lower()
    assert ("infant" in said) == ("infants" in cares)
    assert ("child" in said) == ("children" in cares)


def test_readiness_is_judged_only_by_the_tracks_own_quiz():
    """Scores of another quiz leave readiness not assessed; the track's own quiz (or an unnamed source) judges it."""
    coach = {"role": "coach", "employer_requires": "cpr"}
    lay = {"airway": 90, "team-cpr": 90, "bvm": 10, "overall": 70}
    assert RULES.tracks["cpr-aed-adult"].readiness.quiz == "lay-rescuer-essentials"
    assert recommend(coach, lay, RULES, "lay-rescuer-essentials")["readiness"] == "ready"
    assert recommend(coach, lay, RULES, "bls-readiness")["readiness"] == "not-assessed"
    assert recommend(NURSE, STRONG, RULES, "lay-rescuer-essentials")["readiness"] == "not-assessed"
    assert recommend(NURSE, STRONG, RULES, "bls-readiness")["readiness"] == "ready"
    stored = recommend(NURSE, STRONG, RULES, "bls-readiness")
    assert stored["readiness_quiz"] == "bls-readiness"
    assert stored["thresholds"] == {"airway": 80, "team-cpr": 80, "bvm": 80, "overall": 84}


def test_each_tracks_readiness_quiz_exists_and_asks_the_intake():
    """The quiz named by each track's readiness is a shipped quiz that asks the intake and draws every listed topic."""
    quizzes = {q["slug"]: q for q in yaml.safe_load((RULES_PATH.parent / "quizzes.yaml").read_text())["quizzes"]}
    topic_of = {
        path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))["topic"]
        for path in RULES_PATH.parent.glob("*.yaml")
        if path.stem not in ("quizzes", "tracks")
    }
    for slug, track in RULES.tracks.items():
        quiz = quizzes[track.readiness.quiz]
        assert quiz.get("intake") is True, slug
        assert set(track.readiness.topics) <= {topic_of[rule["bank"]] for rule in quiz["draw"]}, slug
