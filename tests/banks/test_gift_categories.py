"""`$CATEGORY:` names the bank when --bank is left out; a missing bank is made only with --create; `banks create`."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from quizapp.banks import newbanks, transfer
from quizapp.banks.formats import drafts
from quizapp.errors import DomainError
from quizapp.extensions import db
from quizapp.models import AuditEvent, Bank, Question

CATEGORY_FIXTURE = "gift_questions_in_category.gift.txt"


def bank_row(app, slug: str) -> Bank | None:
    """Return the bank with this slug, outside any request."""
    with app.app_context():
        return db.session.execute(select(Bank).where(Bank.slug == slug)).scalar_one_or_none()


def test_a_missing_category_bank_is_named_and_not_made_without_create(app, runner, moodle):
    result = runner.invoke(args=["banks", "import", "--format", "gift", str(moodle / CATEGORY_FIXTURE)])
    assert result.exit_code == 1
    assert "bank: default-for-new-features (from the category 'Default for New Features')" in result.output
    assert "there is no bank 'default-for-new-features'; add --create to create it" in result.output
    assert bank_row(app, "default-for-new-features") is None


def test_create_makes_the_category_bank_and_imports_into_it(app, runner, moodle):
    args = ["banks", "import", "--format", "gift", "--create", "--level", "lay", str(moodle / CATEGORY_FIXTURE)]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "created: bank default-for-new-features ('Default for New Features', topic default-for-new-features" in (
        result.output
    )
    with app.app_context():
        bank = transfer.find_bank("default-for-new-features")
        assert (bank.title, bank.topic, bank.level) == ("Default for New Features", "default-for-new-features", "lay")
        count = len(db.session.execute(select(Question).where(Question.bank_id == bank.id)).all())
        assert count > 0 and f"{count} created" in result.output
    again = runner.invoke(args=["banks", "import", "--format", "gift", str(moodle / CATEGORY_FIXTURE)])
    assert again.exit_code == 0 and f"0 created, 0 updated, {count} unchanged" in again.output


def test_dry_run_with_create_leaves_no_bank(app, runner, moodle):
    args = ["banks", "import", "--format", "gift", "--create", "--dry-run", str(moodle / CATEGORY_FIXTURE)]
    result = runner.invoke(args=args)
    assert result.exit_code == 0 and "nothing was changed" in result.output
    assert bank_row(app, "default-for-new-features") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Q{T}", "line 1: a question before any $CATEGORY line; name the bank with --bank SLUG."),
        ("$CATEGORY: a/CPR\n\nQ{T}\n\n$CATEGORY: b/AED\n\nR{F}", "The files name 2 categories ('CPR', 'AED')"),
        ("$CATEGORY: $course$/x\nQ{T}", "The category 'x' makes no bank slug"),
    ],
)
def test_the_category_must_name_one_bank(app, text, message):
    with app.app_context(), pytest.raises(DomainError) as info:
        newbanks.category_bank("gift", [transfer.Source("f", text)])
    assert message in info.value.message


def test_category_last_part_keeps_escaped_slashes(app):
    source = transfer.Source("f", "$CATEGORY: $course$/Top/AED//BLS\nQ{T}")  # Moodle writes a `/` in a name as `//`
    with app.app_context():
        assert newbanks.category_bank("gift", [source]) == ("aed-bls", "AED/BLS")


def test_banks_create_makes_an_empty_audited_bank_once(app, runner):
    args = ["banks", "create", "aed-basics", "--title", "AED basics", "--topic", "aed", "--level", "lay"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0 and "created: bank aed-basics ('AED basics', topic aed, level lay)" in result.output
    with app.app_context():
        bank = transfer.find_bank("aed-basics")
        assert (bank.title, bank.topic, bank.level, bank.questions) == ("AED basics", "aed", "lay", [])
        event = db.session.execute(select(AuditEvent)).scalar_one()
        assert (event.action, event.target) == ("create", "bank:aed-basics")
    again = runner.invoke(args=args)
    assert again.exit_code == 1 and "There is already a bank 'aed-basics'." in again.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Bad Slug", "--title", "t", "--topic", "aed", "--level", "lay"], "the slug must be 2 to 64 lowercase"),
        (["ok-slug", "--title", "", "--topic", "aed", "--level", "lay"], "the title must be 1 to 200 characters"),
        (["ok-slug", "--title", "t", "--topic", "AED!", "--level", "lay"], "the topic must be 2 to 64 lowercase"),
        (["ok-slug", "--title", "t", "--topic", "aed", "--level", "expert"], "Invalid value for '--level'"),
    ],
)
def test_banks_create_refuses_bad_fields_in_words(app, runner, args, message):
    result = runner.invoke(args=["banks", "create", *args])
    assert result.exit_code != 0 and message in result.output
    assert bank_row(app, "ok-slug") is None


def test_aiken_still_needs_a_bank(runner, tmp_path):
    path = tmp_path / "q.txt"
    path.write_text("Q?\nA) a\nB) b\nANSWER: A\n")
    result = runner.invoke(args=["banks", "import", "--format", "aiken", str(path)])
    assert result.exit_code == 2 and "--bank SLUG is required with --format aiken" in result.output


@pytest.mark.parametrize(
    ("category", "tag"),
    [
        ("$course$/CPR/Adult BLS", "cpr-adult-bls"),
        ("$system$/Réanimation/Enfant", "reanimation-enfant"),
        ("Top", "top"),
        ("$course$/", None),
        (None, None),
        ("x" * 60, "x" * 40),
    ],
)
def test_category_becomes_a_tag(category, tag):
    assert drafts.category_tag(category) == tag
