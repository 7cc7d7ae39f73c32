"""Shape of the shipped banks: the files validate, counts and types, difficulty spread, tags and stems.

These tests read the files in `questions/` exactly as `flask banks validate` does and check authoring rules from
issue 3 that the schema cannot (no database, no app).
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from quizapp.banks.formats import yamlfile
from quizapp.banks.schema import Bank, QuizSet
from tests.content.support import BANK_FILES, BANK_SLUGS, QUESTIONS, all_questions, norm, wrong_choices

POPULATION = frozenset({"adult", "child", "infant"})
AUDIENCE = frozenset({"lay", "provider"})
MIN_QUESTIONS = 40
MIN_PER_TYPE = {"multiple": 5, "ordering": 3, "numeric": 3, "true_false": 3}
MAX_DIFFICULTY_SHARE = 0.60


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


# ---------------------------------------------------------------- files validate


@pytest.mark.parametrize("filename", BANK_FILES)
def test_each_bank_file_validates_on_its_own(filename):
    model = yamlfile.read(QUESTIONS / filename)
    assert isinstance(model, Bank)
    assert model.bank == filename.removesuffix(".yaml")


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
