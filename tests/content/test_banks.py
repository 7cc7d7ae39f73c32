"""Content checks on the shipped question banks, quizzes and answer keys (no database, no app).

These tests read the files in `questions/` exactly as `flask banks validate` does and check what the schema cannot:
authoring rules from issue 3 (counts, tags, feedback, references), the quiz settings, that every quiz can be drawn,
and a regression table of answer keys (`data/key_facts.yaml`) tied to the CPR/BLS fact sheet.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from quizapp.bank import yamlfile
from quizapp.bank.schema import Bank, Question, QuizSet
from quizapp.draw import Candidate, available, draw
from quizapp.services import banks as bank_service

PROJECT = Path(__file__).resolve().parents[2]
QUESTIONS = PROJECT / "questions"
KEY_FACTS = Path(__file__).resolve().parent / "data" / "key_facts.yaml"

BANK_FILES = ("airway-management.yaml", "team-cpr.yaml", "bag-valve-mask.yaml")
BANK_SLUGS = ("airway-management", "team-cpr", "bag-valve-mask")
POPULATION = frozenset({"adult", "child", "infant"})
AUDIENCE = frozenset({"lay", "provider"})
MIN_QUESTIONS = 40
MIN_PER_TYPE = {"multiple": 5, "ordering": 3, "numeric": 3, "true_false": 3}
MAX_DIFFICULTY_SHARE = 0.60

# Reference keys a bank may cite, each a primary document (or the issuing body's own publication).
# Adding a key here is a review decision: say what the document is and why it counts as primary.
PRIMARY_REFERENCES = {
    # 2025 AHA (and AHA/AAP) guideline Parts, Circulation 2025;152(suppl 2)
    "aha2025-p6": "Part 6: Pediatric Basic Life Support (Joyner et al.)",
    "aha2025-p7": "Part 7: Adult Basic Life Support (Kleinman et al.)",
    "aha2025-p10": "Part 10: Adult and Pediatric Special Circumstances of Resuscitation (Cao et al.)",
    # 2025 ILCOR consensus on science with treatment recommendations, Circulation 2025;152(suppl 1)
    "ilcor2025-bls": "ILCOR 2025 CoSTR, Basic Life Support (Bray et al.)",
    "ilcor2025-eit": "ILCOR 2025 CoSTR, Education, Implementation, and Teams (Greif et al.)",
    "ilcor2025-fa": "ILCOR 2025 CoSTR, First Aid (Djärv et al.)",
    # Other resuscitation councils' 2025 guidelines: used only where the item says "European/UK guidelines"
    "erc2025": "European Resuscitation Council Guidelines 2025 (Resuscitation 2025;215 suppl 1)",
    "rcuk2025": "Resuscitation Council UK 2025 Guidelines",
    # Earlier AHA guideline documents: keys that 2025 did not change, and old values named as outdated
    "aha2019-fu": "AHA guideline text on adult BLS and CPR quality as updated by the 2019 focused update",
    "aha2015-bls-summary": "AHA 2015 Summary of High-Quality CPR Components for BLS Providers",
    "aha2010-p5": "2010 AHA Guidelines Part 5: Adult BLS, Table 1 (Circulation 2010;122 suppl 3)",
    "aha2010-p13": "2010 AHA Guidelines Part 13: Pediatric BLS (Circulation 2010;122:S862-S875)",
    "aha2005-p11": "2005 AHA Guidelines Part 11: Pediatric BLS (Circulation 2005;112:IV-156-IV-166)",
    "aha2020-opioid-hcp": "AHA Opioid-Associated Emergency for Healthcare Providers Algorithm (2020)",
    # AHA's own course material and news release: the issuing body's publications, not third-party summaries
    "aha2011-bls-manual": "AHA BLS for Healthcare Providers Student Manual (2011): AED operating steps",
    "aha-acls-precourse": "AHA ACLS Provider Course precourse self-assessment item (OPA sizing)",
    "aha-pr-2025a": "AHA news release on the 2025 guidelines, 22 Oct 2025 (public opioid-overdose signs)",
    # Peer-reviewed primary literature
    "meaney2013": "AHA consensus statement on CPR quality, Circulation 2013;128:417-435",
    "sutton2019": "Sutton et al., pediatric in-hospital ventilation rates, Crit Care Med 2019;47:1627-1636",
    "oshea2016": "O'Shea et al., face-mask size (international guideline wording), Arch Dis Child FN 2016;101:F294",
}

# Citation texts must not point at research notes or third-party summaries (fact sheet, source key and section 7).
SECONDARY_SOURCE = re.compile(
    r"\bRN\b|research notes|\bblog\b|wikipedia|droracle|cpraedcourse|guidelime|emottawa|ems1\.com|protrainings"
    r"|safetypartners|medserv|open-exam-prep|onlinemedcerts|practicetestgeeks|firstinpulse|nhcpr|trainingforlife",
    re.IGNORECASE,
)

# Provider-only skills (pulse checks, bag-mask, advanced airways, adjuncts, team roles): stems that mention them
# must be tagged `provider`, except the items listed here with the reason they are lay items.
PROVIDER_SKILL = re.compile(
    r"pulse check|check(?:ing)? (?:for )?(?:a |the )?pulse|feel(?:ing)? for (?:a |the )?pulse|bag-valve|bag-mask"
    r"|\bBVM\b|advanced airway|\bOPA\b|\bNPA\b|oropharyngeal|nasopharyngeal|endotracheal|intubat|team leader"
    r"|closed-loop",
    re.IGNORECASE,
)
LAY_SKILL_EXCEPTIONS = {
    "air-008": "teaches lay rescuers that they should NOT check for a pulse (AHA 2025 Part 6, COR 1)",
}

ISSUE_QUIZZES = {"bls-readiness", "airway-practice", "team-cpr-practice", "bvm-practice", "lay-rescuer-essentials"}
PRACTICE_QUIZZES = {
    "airway-practice": "airway-management",
    "team-cpr-practice": "team-cpr",
    "bvm-practice": "bag-valve-mask",
}


def norm(text: str) -> str:
    """Collapse whitespace and fold case, for comparing texts."""
    return " ".join(text.split()).casefold()


@pytest.fixture(scope="module")
def fileset() -> bank_service.FileSet:
    """Every file in questions/, validated as `flask banks validate questions` does (cross-file checks included)."""
    return bank_service.load([QUESTIONS])


@pytest.fixture(scope="module")
def shipped(fileset) -> dict[str, Bank]:
    """The shipped banks by slug."""
    return {spec.bank: spec for _, spec in fileset.banks}


@pytest.fixture(scope="module")
def questions(shipped) -> dict[str, tuple[Bank, Question]]:
    """Every question by key, with its bank."""
    return {q.key: (bank, q) for bank in shipped.values() for q in bank.questions}


@pytest.fixture(scope="module")
def quizset(fileset) -> QuizSet:
    """The quizzes file."""
    assert len(fileset.quizzes) == 1, "questions/ should hold exactly one quizzes file"
    return fileset.quizzes[0][1]


def all_questions(shipped: dict[str, Bank]):
    """Yield (bank, question) over every shipped bank."""
    for bank in shipped.values():
        for q in bank.questions:
            yield bank, q


def wrong_choices(q: Question):
    """The incorrect options of a single or multiple question."""
    return [c for c in q.choices or [] if not c.correct]


# ---------------------------------------------------------------- files validate


@pytest.mark.parametrize("filename", BANK_FILES)
def test_each_bank_file_validates_on_its_own(filename):
    model = yamlfile.read(QUESTIONS / filename)
    assert isinstance(model, Bank)
    assert model.bank == filename.removesuffix(".yaml")


def test_quizzes_file_validates():
    assert isinstance(yamlfile.read(QUESTIONS / "quizzes.yaml"), QuizSet)


def test_whole_folder_loads_with_cross_file_checks(fileset, shipped):
    assert set(shipped) == set(BANK_SLUGS)
    assert len(fileset.quizzes) == 1


def test_keys_are_unique_across_banks(shipped):
    keys = Counter(q.key for _, q in all_questions(shipped))
    assert [k for k, n in keys.items() if n > 1] == []


def test_each_bank_keeps_one_key_prefix(shipped):
    for bank in shipped.values():
        prefixes = {q.key.rsplit("-", 1)[0] for q in bank.questions}
        assert len(prefixes) == 1, f"{bank.bank}: mixed key prefixes {sorted(prefixes)}"


# ---------------------------------------------------------------- per-bank shape


@pytest.mark.parametrize("slug", BANK_SLUGS)
def test_question_count_and_type_minimums(shipped, slug):
    bank = shipped[slug]
    assert len(bank.questions) >= MIN_QUESTIONS
    types = Counter(q.type for q in bank.questions)
    for qtype, minimum in MIN_PER_TYPE.items():
        assert types[qtype] >= minimum, f"{slug}: {types[qtype]} {qtype} questions, need {minimum}"
    assert types["single"] > 0


@pytest.mark.parametrize("slug", BANK_SLUGS)
def test_difficulty_is_spread(shipped, slug):
    bank = shipped[slug]
    levels = Counter(q.difficulty for q in bank.questions)
    assert set(levels) == {1, 2, 3}
    for level, n in levels.items():
        assert n / len(bank.questions) <= MAX_DIFFICULTY_SHARE, f"{slug}: difficulty {level} is {n} questions"


@pytest.mark.parametrize("slug", BANK_SLUGS)
def test_bank_has_lay_and_provider_items(shipped, slug):
    tags = Counter(t for q in shipped[slug].questions for t in q.tags if t in AUDIENCE)
    assert tags["lay"] > 0
    assert tags["provider"] > 0


# ---------------------------------------------------------------- every question


def test_every_question_has_exactly_one_audience_tag(shipped):
    bad = [q.key for _, q in all_questions(shipped) if len(AUDIENCE & set(q.tags)) != 1]
    assert bad == []


def test_every_question_has_a_population_tag(shipped):
    bad = [q.key for _, q in all_questions(shipped) if not POPULATION & set(q.tags)]
    assert bad == []


def test_provider_only_skills_are_tagged_provider(shipped):
    bad = [
        q.key
        for _, q in all_questions(shipped)
        if PROVIDER_SKILL.search(q.stem) and "lay" in q.tags and q.key not in LAY_SKILL_EXCEPTIONS
    ]
    assert bad == [], "stems about provider-only skills must be tagged provider (or justified in the allow-list)"


def test_lay_skill_exceptions_are_still_needed(questions):
    for key in LAY_SKILL_EXCEPTIONS:
        _, q = questions[key]
        assert "lay" in q.tags and PROVIDER_SKILL.search(q.stem), f"{key} no longer needs its exception"


def test_every_question_explains_why(shipped):
    for _, q in all_questions(shipped):
        text = norm(q.explanation)
        assert text, f"{q.key}: no explanation"
        assert len(re.findall(r"[.!?](?:\s|$)", text)) >= 2, f"{q.key}: the explanation should teach why (2+ sentences)"
        assert text != norm(q.stem)


def test_every_reference_resolves_to_a_citation(shipped):
    for bank, q in all_questions(shipped):
        assert q.reference, f"{q.key}: no reference"
        assert bank.references.get(q.reference, "").strip(), f"{q.key}: {q.reference!r} has no citation text"


def test_references_are_primary_documents(shipped):
    for _, q in all_questions(shipped):
        assert q.reference in PRIMARY_REFERENCES, f"{q.key}: {q.reference!r} is not in the primary-source allow-list"
    for bank in shipped.values():
        for key, citation in bank.references.items():
            assert key in PRIMARY_REFERENCES, f"{bank.bank}: reference {key!r} is not in the allow-list"
            assert not SECONDARY_SOURCE.search(citation), f"{bank.bank}: {key!r} cites a secondary source"


def test_every_distractor_has_feedback(shipped):
    for _, q in all_questions(shipped):
        if q.type in ("single", "multiple"):
            missing = [c.text for c in wrong_choices(q) if not (c.feedback or "").strip()]
            assert missing == [], f"{q.key}: wrong choices without feedback: {missing}"
            assert wrong_choices(q), f"{q.key}: no wrong choice to learn from"
        elif q.type in ("true_false", "numeric"):
            assert (q.feedback or "").strip(), f"{q.key}: no feedback for a wrong answer"


def test_multiple_questions_have_a_real_choice(shipped):
    for _, q in all_questions(shipped):
        if q.type == "multiple":
            assert len(wrong_choices(q)) >= 1
            assert sum(c.correct for c in q.choices) >= 2, f"{q.key}: use a single question for one correct option"


def test_no_two_stems_are_the_same(shipped):
    stems = Counter(norm(q.stem) for _, q in all_questions(shipped))
    assert [s for s, n in stems.items() if n > 1] == []


def test_no_all_or_none_of_the_above(shipped):
    pattern = re.compile(r"\b(all|none|both|neither) of the (above|below)\b", re.IGNORECASE)
    for _, q in all_questions(shipped):
        texts = [q.stem, *(c.text for c in q.choices or [])]
        assert not any(pattern.search(t) for t in texts), q.key


def test_numeric_questions_name_their_unit(shipped):
    for _, q in all_questions(shipped):
        if q.type == "numeric":
            assert q.answer.unit, f"{q.key}: say which unit the answer is in"


# ---------------------------------------------------------------- known-wrong claims are never keyed


def keyed_statements(q: Question) -> list[str]:
    """Texts a question presents as correct: correct choices, or a true_false stem keyed true."""
    if q.type in ("single", "multiple"):
        return [c.text for c in q.choices if c.correct]
    if q.type == "true_false" and q.answer is True:
        return [q.stem]
    return []


BAD_CLAIMS = [
    # fact sheet section 7 "bad secondary claims" and section 8 outdated values
    (re.compile(r"two[- ]finger", re.I), "the two-finger infant technique was eliminated in 2025"),
    (re.compile(r"\b4\s*[–-]\s*5 cm\b", re.I), "adult depth 4-5 cm is pre-2010; current 5-6 cm"),
    (re.compile(r"6\s*[–-]\s*8 seconds", re.I), "1 breath every 6-8 s was the 2010 advanced-airway rate"),
    (re.compile(r"3\s*[–-]\s*5 seconds|12\s*[–-]\s*20 (?:breaths )?per minute", re.I), "pre-2020 pediatric rate"),
    (re.compile(r"abdominal thrusts only", re.I), "2025: back blows alternate with abdominal thrusts"),
    (re.compile(r"blind finger sweep", re.I), "blind finger sweeps are COR 3: Harm"),
]


def test_no_known_wrong_claim_is_keyed_correct(shipped):
    for _, q in all_questions(shipped):
        for text in keyed_statements(q):
            for pattern, why in BAD_CLAIMS:
                assert not pattern.search(text), f"{q.key}: keyed correct but {why}"
            if re.search(r"\b100\b", text) and "compress" in text.casefold():
                assert re.search(r"100\s*(?:–|-|to)\s*120", text), f"{q.key}: the rate is 100-120, not 'at least 100'"


def test_pediatric_items_never_key_the_adult_six_second_rate(shipped):
    for _, q in all_questions(shipped):
        if "adult" in q.tags or not ({"child", "infant"} & set(q.tags)):
            continue
        for text in keyed_statements(q):
            assert not re.search(r"every 6 seconds|10 breaths per minute", text), q.key
        if q.type == "numeric":
            low, high = q.answer.bounds()
            if q.answer.unit == "seconds" and "ventilation" in q.tags:
                assert not low <= 6 <= high, q.key
            if q.answer.unit == "breaths per minute":
                assert not low <= 10 <= high, q.key


# ---------------------------------------------------------------- quizzes


def candidates(shipped: dict[str, Bank]) -> list[Candidate]:
    """Every shipped question as a draw candidate, as the database pool would build them."""
    return [
        Candidate(
            question_id=i,
            version_id=i,
            bank=bank.bank,
            topic=bank.topic,
            tags=frozenset(q.tags),
            type=q.type,
            choice_count=len(q.choices or ()),
            shuffle=q.shuffle,
            points=q.points,
        )
        for i, (bank, q) in enumerate(all_questions(shipped), start=1)
    ]


def test_quiz_slugs_match_the_issue(quizset):
    assert {q.slug for q in quizset.quizzes} == ISSUE_QUIZZES


def test_bls_readiness_settings(quizset):
    quiz = next(q for q in quizset.quizzes if q.slug == "bls-readiness")
    assert sorted((r.bank, r.count, tuple(r.tags)) for r in quiz.draw) == sorted((b, 10, ()) for b in BANK_SLUGS)
    assert quiz.feedback == "deferred"
    assert quiz.pass_percent == 84
    assert quiz.intake is True


@pytest.mark.parametrize(("slug", "bank"), sorted(PRACTICE_QUIZZES.items()))
def test_practice_quiz_settings(quizset, slug, bank):
    quiz = next(q for q in quizset.quizzes if q.slug == slug)
    assert [(r.bank, r.count, r.tags) for r in quiz.draw] == [(bank, 15, [])]
    assert quiz.feedback == "immediate"
    assert quiz.attempts_allowed is None  # unlimited


def test_lay_rescuer_essentials_draws_only_lay_items(quizset):
    quiz = next(q for q in quizset.quizzes if q.slug == "lay-rescuer-essentials")
    assert sum(r.count for r in quiz.draw) == 15
    assert all("lay" in r.tags for r in quiz.draw)


def test_every_quiz_draws_from_existing_banks(quizset, shipped):
    for quiz in quizset.quizzes:
        for rule in quiz.draw:
            assert rule.bank is None or rule.bank in shipped, f"{quiz.slug}: no bank {rule.bank!r}"


def test_every_quiz_draw_rule_can_be_met(quizset, shipped):
    pool = candidates(shipped)
    for quiz in quizset.quizzes:
        have = available(quiz.draw, pool)
        for rule, n in zip(quiz.draw, have, strict=True):
            assert n >= rule.count, f"{quiz.slug}: rule {rule} matches only {n} questions"
        for seed in range(5):
            layout = draw(quiz.draw, pool, seed=seed)
            assert len(layout) == sum(r.count for r in quiz.draw)
            assert len({slot["q"] for slot in layout}) == len(layout)


def test_lay_quiz_never_draws_a_provider_item(quizset, shipped):
    pool = candidates(shipped)
    quiz = next(q for q in quizset.quizzes if q.slug == "lay-rescuer-essentials")
    by_id = {c.question_id: c for c in pool}
    for seed in range(20):
        assert all("provider" not in by_id[s["q"]].tags for s in draw(quiz.draw, pool, seed=seed))


# ---------------------------------------------------------------- key regression table


def load_key_facts() -> list[dict]:
    """The pinned answer keys."""
    return yaml.safe_load(KEY_FACTS.read_text(encoding="utf-8"))


KEY_FACT_ROWS = load_key_facts()


def test_key_table_is_big_enough_and_covers_every_bank():
    keys = [row["key"] for row in KEY_FACT_ROWS]
    assert len(keys) >= 40
    assert len(set(keys)) == len(keys)
    assert {k.rsplit("-", 1)[0] for k in keys} == {"air", "tcpr", "bvm"}
    assert all(str(row.get("fact", "")).strip() for row in KEY_FACT_ROWS)


@pytest.mark.parametrize("row", KEY_FACT_ROWS, ids=[row["key"] for row in KEY_FACT_ROWS])
def test_bank_still_keys_it_that_way(questions, row):
    assert row["key"] in questions, f"{row['key']} is no longer in any bank"
    _, q = questions[row["key"]]
    assert q.type == row["type"], f"{q.key}: type changed; the key rests on: {row['fact']}"
    hint = f"{q.key}: key differs from the table; it rests on: {row['fact']}"
    if q.type == "single":
        assert [norm(c.text) for c in q.choices if c.correct] == [norm(row["correct"])], hint
    elif q.type == "multiple":
        assert sorted(norm(c.text) for c in q.choices if c.correct) == sorted(map(norm, row["correct"])), hint
    elif q.type == "ordering":
        assert [norm(c.text) for c in q.choices] == [norm(t) for t in row["order"]], hint
    elif q.type == "true_false":
        assert q.answer is row["answer"], hint
    else:
        want = row["answer"]
        if "value" in want:
            want_bounds = (want["value"] - want.get("tolerance", 0), want["value"] + want.get("tolerance", 0))
        else:
            want_bounds = (want["min"], want["max"])
        assert q.answer.bounds() == pytest.approx(want_bounds), hint
        assert q.answer.unit == want["unit"], hint


# ---------------------------------------------------------------- the authoring guide's examples


def readme_examples() -> list[str]:
    """The YAML blocks in questions/README.md that are whole files (they start with `format:`)."""
    text = (QUESTIONS / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, flags=re.DOTALL)
    return [b for b in blocks if b.startswith("format:")]


def test_readme_examples_are_valid_files():
    examples = readme_examples()
    models = [yamlfile.parse(block, "questions/README.md") for block in examples]
    assert {type(m) for m in models} == {Bank, QuizSet}


def test_readme_example_bank_shows_every_question_type():
    models = [yamlfile.parse(block, "questions/README.md") for block in readme_examples()]
    bank = next(m for m in models if isinstance(m, Bank))
    assert {q.type for q in bank.questions} == {"single", "multiple", "true_false", "ordering", "numeric"}
    numeric = [q.answer for q in bank.questions if q.type == "numeric"]
    assert any(a.value is not None for a in numeric)
    assert any(a.min is not None for a in numeric)
