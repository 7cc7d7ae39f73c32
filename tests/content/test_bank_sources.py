"""Sources and keys of the shipped banks: primary references, feedback, known-wrong claims, the key regression table.

The regression table of answer keys (`data/key_facts.yaml`) is tied to the CPR/BLS fact sheet.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from quizapp.banks.schema import Question
from tests.content.support import all_questions, norm, wrong_choices

KEY_FACTS = Path(__file__).resolve().parent / "data" / "key_facts.yaml"

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
    # Earlier AHA guideline documents: keys that 2025 did not change, and old values named as outdated.
    # (Issue 17 removed "aha2019-fu", a 2015 text cited as a 2019 update, and the 2020 opioid algorithm, which 2025
    # replaced: the pulse check cites 2025 Part 7 and the opioid sequence 2025 Part 10.)
    "aha2015-bls-summary": "AHA 2015 Summary of High-Quality CPR Components for BLS Providers",
    "aha2010-p5": "2010 AHA Guidelines Part 5: Adult BLS, Table 1 (Circulation 2010;122 suppl 3)",
    "aha2010-p13": "2010 AHA Guidelines Part 13: Pediatric BLS (Circulation 2010;122:S862-S875)",
    "aha2005-p11": "2005 AHA Guidelines Part 11: Pediatric BLS (Circulation 2005;112:IV-156-IV-166)",
    # AHA's own course material and news release: the issuing body's publications, not third-party summaries
    "aha2011-bls-manual": "AHA BLS for Healthcare Providers Student Manual (2011): AED operating steps",
    "aha2020-bls-manual": "AHA BLS Provider Manual (2020): high-performance teams, CPR coach, team dynamics",
    "aha-acls-precourse": "AHA ACLS Provider Course precourse self-assessment item (OPA sizing)",
    "aha-pr-2025a": "AHA news release on the 2025 guidelines, 22 Oct 2025 (public opioid-overdose signs)",
    # Peer-reviewed primary literature
    "meaney2013": "AHA consensus statement on CPR quality, Circulation 2013;128:417-435",
    "sutton2019": "Sutton et al., pediatric in-hospital ventilation rates, Crit Care Med 2019;47:1627-1636",
    "oshea2016": "O'Shea et al., face-mask size (international guideline wording), Arch Dis Child FN 2016;101:F294",
}

# Course material the fact sheet quotes without a date; every other cited reference names its year.
UNDATED_REFERENCES = {"aha-acls-precourse": "the ACLS precourse item is quoted from an undated reproduction"}

# Not a source: the honest label for an item whose fact the fact sheet marks UNCONFIRMED. Such an item is framed as
# course teaching (stem and explanation say so), tagged `course-teaching` and `provider`, so never drawn for lay people.
COURSE_TEACHING = "course-teaching"

# First-edition key numbers: every question added after them must be pinned in the key regression table.
FIRST_EDITION_LAST = {"air": 46, "tcpr": 45, "bvm": 45}

# Citation texts must not point at research notes or third-party summaries (fact sheet, source key and section 7).
SECONDARY_SOURCE = re.compile(
    r"\bRN\b|research notes|\bblog\b|wikipedia|droracle|cpraedcourse|guidelime|emottawa|ems1\.com|protrainings"
    r"|safetypartners|medserv|open-exam-prep|onlinemedcerts|practicetestgeeks|firstinpulse|nhcpr|trainingforlife",
    re.IGNORECASE,
)


# ---------------------------------------------------------------- explanations, references and feedback


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
        if q.reference == COURSE_TEACHING:
            continue
        assert q.reference in PRIMARY_REFERENCES, f"{q.key}: {q.reference!r} is not in the primary-source allow-list"
    for bank in shipped.values():
        for key, citation in bank.references.items():
            if key == COURSE_TEACHING:
                assert "not a guideline recommendation" in citation, f"{bank.bank}: {key!r} must say what it is"
                continue
            assert key in PRIMARY_REFERENCES, f"{bank.bank}: reference {key!r} is not in the allow-list"
            assert not SECONDARY_SOURCE.search(citation), f"{bank.bank}: {key!r} cites a secondary source"


def cited_year(reference: str) -> int | None:
    """The guideline year in a reference key such as `aha2010-p5`, or None for an undated key."""
    found = re.search(r"(19|20)\d\d", reference)
    return int(found.group()) if found else None


def learner_texts(q: Question) -> list[str]:
    """Everything a learner reads about a question after answering: explanation and every feedback."""
    return [q.explanation, q.feedback or "", *((c.feedback or "") for c in q.choices or [])]


def test_every_cited_reference_names_its_year(shipped):
    for bank, q in all_questions(shipped):
        if q.reference == COURSE_TEACHING or q.reference in UNDATED_REFERENCES:
            continue
        citation = bank.references[q.reference]
        years = set(re.findall(r"\b(?:19|20)\d\d\b", citation))
        assert years, f"{q.key}: the citation of {q.reference!r} names no year"
        year = cited_year(q.reference)
        if year is not None:
            assert str(year) in years, f"{q.key}: {q.reference!r} is not cited as a {year} document"


def test_course_teaching_items_say_so_and_stay_out_of_the_lay_quiz(shipped):
    for _, q in all_questions(shipped):
        tagged = COURSE_TEACHING in q.tags
        assert tagged == (q.reference == COURSE_TEACHING), f"{q.key}: tag and reference course-teaching go together"
        if re.search(r"courses?\b[^.?]*commonly teach", q.stem, re.I):
            assert tagged, f"{q.key}: asks what courses teach, so it is course teaching, not a guideline key"
        if tagged:
            assert "provider" in q.tags, f"{q.key}: course teaching is never a lay item"
            assert re.search(r"commonly teach", q.stem, re.I), f"{q.key}: the stem must say it asks for course teaching"
            assert re.search(r"course[-\s]+teaching", q.explanation, re.I), f"{q.key}: the explanation must say so"


def test_each_course_source_is_cited_only_for_what_it_covers(shipped):
    for _, q in all_questions(shipped):
        if q.reference == "aha-acls-precourse":  # its one item keys OPA sizing, nothing else
            assert any(re.search(r"angle of the (?:jaw|mandible)", s) for s in keyed_statements(q)), q.key
        if {"closed-loop", "team-roles", "cpr-coach", "debriefing"} & set(q.tags):
            assert q.reference == "aha2020-bls-manual", f"{q.key}: team dynamics are BLS Provider course content"


def test_european_and_uk_sources_are_named_in_the_stem(shipped):
    for _, q in all_questions(shipped):
        if q.reference in ("erc2025", "rcuk2025"):
            assert re.search(r"European|\bUK\b|\bERC\b|RCUK", q.stem), f"{q.key}: cites ERC/RCUK, stem must say so"


NEWER_GUIDELINE = re.compile(r"(?:AHA(?:/AAP)? 2025|2025 AHA)\b(?! summar)", re.I)


def test_no_2025_guideline_wording_next_to_an_older_source(shipped):
    for _, q in all_questions(shipped):
        year = cited_year(q.reference or "")
        if year is None or year >= 2025:
            continue
        for text in learner_texts(q):
            assert not NEWER_GUIDELINE.search(text), f"{q.key}: says '2025 AHA' but cites a {year} document"


def test_no_overclaiming_words(shipped):
    for _, q in all_questions(shipped):
        for text in [q.stem, *learner_texts(q)]:
            assert not re.search(r"\bproven\b|\bguarantee", text, re.I), f"{q.key}: overstated evidence"


def test_every_distractor_has_feedback(shipped):
    for _, q in all_questions(shipped):
        if q.type in ("single", "multiple"):
            missing = [c.text for c in wrong_choices(q) if not (c.feedback or "").strip()]
            assert missing == [], f"{q.key}: wrong choices without feedback: {missing}"
            assert wrong_choices(q), f"{q.key}: no wrong choice to learn from"
        elif q.type in ("true_false", "numeric"):
            assert (q.feedback or "").strip(), f"{q.key}: no feedback for a wrong answer"


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
    # issue 17: Part 10 says opioid antagonists are "extremely unlikely to benefit" an arrest without CPR
    (re.compile(r"does not restart|restarts? the heart", re.I), "naloxone in arrest: extremely unlikely to help"),
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


def test_key_table_covers_every_second_edition_and_course_teaching_question(questions):
    pinned = {row["key"] for row in KEY_FACT_ROWS}
    for key, (_, q) in questions.items():
        prefix, number = key.rsplit("-", 1)
        if int(number) > FIRST_EDITION_LAST[prefix] or COURSE_TEACHING in q.tags:
            assert key in pinned, f"{key} is not in the key regression table"
