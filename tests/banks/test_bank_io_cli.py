"""`flask banks import --format gift|aiken --bank SLUG` and `flask banks export` through the CLI runner."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from quizapp.banks.formats import gift, yamlfile
from quizapp.extensions import db
from quizapp.models import AuditEvent, Question
from tests.banks.conftest import MOODLE, OWN
from tests.conftest import DATA, PROJECT


def questions(app) -> int:
    """Count questions."""
    with app.app_context():
        return db.session.scalar(select(func.count(Question.id)))


def test_help_names_the_new_options(runner):
    result = runner.invoke(args=["banks", "import", "--help"])
    assert "--format [yaml|gift|aiken|xml]" in result.output and "--bank SLUG" in result.output
    result = runner.invoke(args=["banks", "export", "--help"])
    assert result.exit_code == 0 and "--format [yaml|gift|xml]" in result.output and "-o, --output" in result.output


def test_gift_dry_run_lists_everything_and_changes_nothing(app, runner, demo):
    args = ["banks", "import", "--format", "gift", "--bank", "demo", "--dry-run", str(OWN / "cpr.gift.txt")]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert 'created: question demo-001 (line 4 "Rate")' in result.output
    assert 'skipped: line 21 "Essay": essay is not supported' in result.output
    assert "note: 3 questions have no rationale yet" in result.output
    assert "dry run: 4 created, 0 updated, 0 unchanged, 1 skipped; nothing was changed." in result.output
    assert questions(app) == 5


def test_gift_import_then_reimport_is_unchanged(app, runner, demo):
    args = ["banks", "import", "--format", "gift", "--bank", "demo", str(OWN / "cpr.gift.txt")]
    first = runner.invoke(args=args)
    assert first.exit_code == 0 and first.output.endswith("4 created, 0 updated, 0 unchanged, 1 skipped\n")
    again = runner.invoke(args=[*args[:-1], "--dry-run", args[-1]])
    assert 'unchanged: line 4 "Rate": same as demo-001' in again.output
    assert "0 created, 0 updated, 4 unchanged, 1 skipped" in again.output
    assert questions(app) == 9
    with app.app_context():
        event = db.session.execute(select(AuditEvent)).scalar_one()
        assert event.actor_id is None and event.details["created"] == 4


def test_aiken_malformed_questions_are_refused_and_the_valid_one_imported(app, runner, demo):
    result = runner.invoke(
        args=["banks", "import", "--format", "aiken", "--bank", "demo", str(OWN / "broken.aiken.txt")]
    )
    assert result.exit_code == 0 and "1 created, 0 updated, 0 unchanged, 0 skipped, 2 refused" in result.output
    assert "refused: " + str(OWN / "broken.aiken.txt") + ":3: Question must have at least 2 answers" in result.output
    assert questions(app) == 6


def test_aiken_errors_with_strict_exit_1_and_import_nothing(app, runner, demo):
    result = runner.invoke(
        args=["banks", "import", "--format", "aiken", "--bank", "demo", "--strict", str(OWN / "broken.aiken.txt")]
    )
    assert result.exit_code == 1
    assert "error: " + str(OWN / "broken.aiken.txt") + ":3: Question must have at least 2 answers" in result.output
    assert ":5: Question not started" in result.output and "2 error(s); nothing was imported." in result.output
    assert questions(app) == 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "gift"], "No $CATEGORY line names a bank in these files; name the bank with --bank SLUG."),
        (["--format", "aiken", "--bank", "nowhere"], "there is no bank 'nowhere'"),
    ],
)
def test_bank_is_required_and_must_exist(runner, demo, args, message):
    result = runner.invoke(args=["banks", "import", *args, str(OWN / "cpr.aiken.txt")])
    assert result.exit_code != 0 and message in result.output


def test_unreadable_files_are_refused(app, runner, demo, tmp_path):
    binary = tmp_path / "q.txt"
    binary.write_bytes(b"\x00\x01")
    result = runner.invoke(args=["banks", "import", "--format", "aiken", "--bank", "demo", str(binary), str(tmp_path)])
    assert result.exit_code == 1 and "binary file" in result.output and "cannot read" in result.output
    assert questions(app) == 5


def test_yaml_with_bank_must_be_that_bank(app, runner, demo, tmp_path):
    other = tmp_path / "other.yaml"
    other.write_text((DATA / "demo-bank.yaml").read_text().replace("bank: demo", "bank: other"))
    result = runner.invoke(args=["banks", "import", "--bank", "demo", str(other)])
    assert result.exit_code == 1 and "this file is bank 'other'" in result.output


def test_export_yaml_to_stdout_and_file_round_trips(app, runner, demo, tmp_path):
    result = runner.invoke(args=["banks", "export", "demo"])
    assert result.exit_code == 0 and result.stdout.startswith("format: quizapp-bank/1\nbank: demo\n")
    assert yamlfile.parse(result.stdout, "x") == yamlfile.parse((DATA / "demo-bank.yaml").read_text(), "y")
    out = tmp_path / "demo.yaml"
    written = runner.invoke(args=["banks", "export", "demo", "-o", str(out)])
    assert written.exit_code == 0 and out.read_bytes() == result.stdout.encode()
    again = runner.invoke(args=["banks", "import", str(out)])
    assert "0 created, 0 updated" in again.output
    assert runner.invoke(args=["banks", "export", "demo"]).stdout == result.stdout


def test_export_gift_names_what_it_leaves_out(runner, demo):
    result = runner.invoke(args=["banks", "export", "demo", "--format", "gift"])
    assert result.exit_code == 0
    assert "skipped: demo-order: its question type cannot be written as Moodle GIFT" in result.stderr
    parsed = gift.parse_gift(result.stdout)
    assert len(parsed.drafts) == 4 and parsed.errors == []


def test_export_refusals(runner, demo, tmp_path):
    assert "there is no bank 'nowhere'" in runner.invoke(args=["banks", "export", "nowhere"]).output
    bad = runner.invoke(args=["banks", "export", "demo", "--format", "xlsx"])
    assert bad.exit_code == 2 and "xlsx" in bad.output
    result = runner.invoke(args=["banks", "export", "demo", "-o", str(tmp_path / "missing" / "x.yaml")])
    assert result.exit_code == 1 and "cannot write" in result.output


def test_shipped_banks_export_what_was_imported(app, runner):
    assert runner.invoke(args=["banks", "import", str(PROJECT / "questions")]).exit_code == 0
    for slug in ("airway-management", "bag-valve-mask", "team-cpr"):
        exported = runner.invoke(args=["banks", "export", slug]).stdout
        original = yamlfile.parse((PROJECT / "questions" / f"{slug}.yaml").read_text(), slug)
        live = [q for q in original.questions if not q.retired]  # a bank's export leaves retired questions out
        assert yamlfile.parse(exported, slug) == original.model_copy(update={"questions": live})


def test_moodle_gift_fixture_from_the_cli(app, runner, demo):
    if not MOODLE.is_dir():
        pytest.skip("../shared fixtures not present")
    result = runner.invoke(
        args=["banks", "import", "--format", "gift", "--bank", "demo", str(MOODLE / "gift_questions.gift.txt")]
    )
    assert result.exit_code == 0 and "6 created, 0 updated, 0 unchanged, 3 skipped" in result.output
    result = runner.invoke(
        args=["banks", "import", "--format", "aiken", "--bank", "demo", "--strict", str(MOODLE / "aiken_errors.txt")]
    )
    assert result.exit_code == 1 and "4 error(s); nothing was imported." in result.output
    assert questions(app) == 11
