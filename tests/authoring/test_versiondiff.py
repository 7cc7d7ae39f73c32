"""The history page's diff: only the fields that changed, long texts word by word, through each type's own fields."""

from __future__ import annotations

import yaml

from quizapp.authoring import versiondiff
from quizapp.banks.schema import Bank
from tests.conftest import DATA

BANK = Bank.model_validate(yaml.safe_load((DATA / "demo-bank.yaml").read_text()))
SINGLE = next(q for q in BANK.questions if q.key == "demo-single")


def test_an_unchanged_question_has_no_changes():
    assert versiondiff.diff(SINGLE, SINGLE) == []


def test_a_new_question_lists_every_non_empty_field_in_form_order():
    labels = [change.label for change in versiondiff.diff(None, SINGLE)]
    assert labels[:2] == ["Type", "Question"] and "Rationale" in labels and "Reference" in labels
    assert all(change.before == "" for change in versiondiff.diff(None, SINGLE))


def test_a_changed_key_is_shown_through_the_types_own_fields():
    choices = [c.model_copy(update={"correct": i == 1}) for i, c in enumerate(SINGLE.choices)]
    changed = versiondiff.diff(SINGLE, SINGLE.model_copy(update={"choices": choices}))
    assert [(c.label, c.before, c.after) for c in changed] == [
        ("Choice 1 correct", "yes", "no"),
        ("Choice 2 correct", "no", "yes"),
    ]


def test_a_long_rationale_is_diffed_word_by_word():
    before = SINGLE.model_copy(update={"explanation": "Give one breath over about one second. " * 3})
    after = before.model_copy(update={"explanation": before.explanation.replace("about one", "about two", 1)})
    [change] = versiondiff.diff(before, after)
    assert change.label == "Rationale" and change.is_long
    assert [p.text for p in change.before_parts if p.kind == "removed"] == ["one"]
    assert [p.text for p in change.after_parts if p.kind == "added"] == ["two"]
    assert "".join(p.text for p in change.after_parts) == after.explanation
