"""`flask banks import` never reverts a browser edit silently; `banks export --into` writes the browser back."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import func, select

from quizapp.authoring import editing
from quizapp.banks import filestate
from quizapp.extensions import db
from quizapp.models import AuditEvent, Question, QuestionVersion, User
from tests.conftest import DATA, make_user


@pytest.fixture
def folder(tmp_path, runner):
    """A questions/ folder holding the demo bank and quizzes, imported."""
    root = tmp_path / "questions"
    root.mkdir()
    for name in ("demo-bank.yaml", "demo-quizzes.yaml"):
        shutil.copy(DATA / name, root / name)
    result = runner.invoke(args=["banks", "import", str(root)])
    assert result.exit_code == 0, result.output
    return root


def browser_edit(app, key: str, stem: str) -> None:
    """Save a new version of a question as an instructor would in the browser."""
    make_user(app, "editor@example.org", "instructor")
    with app.app_context():
        author = db.session.scalar(select(User).where(User.email == "editor@example.org"))
        question = editing.find_question(key)
        spec = question.current_version.spec().model_copy(update={"stem": stem})
        editing.save_question(question, spec, author)
        db.session.commit()


def file_edit(folder, old: str, new: str) -> None:
    """Change the demo bank file."""
    path = folder / "demo-bank.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def state(app, key: str):
    """Return (stem, version number, status, retired, file_conflict) of a question."""
    with app.app_context():
        q = editing.find_question(key)
        return q.current_version.content["stem"], q.current_version.number, q.status, q.retired, q.file_conflict


def versions(app) -> int:
    """Count the question versions."""
    with app.app_context():
        return db.session.scalar(select(func.count(QuestionVersion.id)))


def test_unchanged_file_keeps_the_browser_edit(app, runner, folder):
    browser_edit(app, "demo-tf", "Gasping is normal breathing (edited).")
    result = runner.invoke(args=["banks", "import", str(folder)])
    assert result.exit_code == 0, result.output
    assert "kept: question demo-tf" in result.output and "replaces browser edit" not in result.output
    assert state(app, "demo-tf")[:2] == ("Gasping is normal breathing (edited).", 2)


def test_changed_file_is_taken_when_the_browser_did_not_change_it(app, runner, folder):
    file_edit(folder, "Gasping is normal breathing.", "Gasping is normal breathing, true or false?")
    result = runner.invoke(args=["banks", "import", str(folder)])
    assert result.exit_code == 0 and "updated: question demo-tf" in result.output
    assert state(app, "demo-tf")[:2] == ("Gasping is normal breathing, true or false?", 2)


def test_both_changed_stops_with_a_conflict_and_changes_nothing(app, runner, folder):
    browser_edit(app, "demo-tf", "Browser stem.")
    file_edit(folder, "Gasping is normal breathing.", "File stem.")
    file_edit(folder, "Which breath length is right?", "Which breath length is best?")  # a clean file change
    before = versions(app)
    result = runner.invoke(args=["banks", "import", str(folder)])
    assert result.exit_code == 3
    assert "conflict: demo-tf (bank demo)" in result.output and "--take-file" in result.output
    assert "`python3 dev.py flask ...` on a development machine" in result.output
    assert "--keep-browser" in result.output and "nothing was imported" in result.output
    assert versions(app) == before  # not even the clean change to demo-single
    stem, number, _, _, conflict = state(app, "demo-tf")
    assert (stem, number) == ("Browser stem.", 2) and conflict is not None
    assert state(app, "demo-single")[0] == "Which breath length is right?"


def test_dry_run_reports_the_conflict_without_flagging_it(app, runner, folder):
    browser_edit(app, "demo-tf", "Browser stem.")
    file_edit(folder, "Gasping is normal breathing.", "File stem.")
    result = runner.invoke(args=["banks", "import", str(folder), "--dry-run"])
    assert result.exit_code == 3 and "conflict: demo-tf" in result.output
    assert state(app, "demo-tf")[4] is None


def test_take_file_resolves_the_conflict(app, runner, folder):
    browser_edit(app, "demo-tf", "Browser stem.")
    file_edit(folder, "Gasping is normal breathing.", "File stem.")
    assert runner.invoke(args=["banks", "import", str(folder)]).exit_code == 3
    result = runner.invoke(args=["banks", "import", str(folder), "--take-file"])
    assert result.exit_code == 0, result.output
    assert "the file replaces browser edit v2" in result.output
    assert state(app, "demo-tf") == ("File stem.", 3, "ready", False, None)
    assert runner.invoke(args=["banks", "import", str(folder)]).exit_code == 0


def test_keep_browser_resolves_until_the_file_changes_again(app, runner, folder):
    browser_edit(app, "demo-tf", "Browser stem.")
    file_edit(folder, "Gasping is normal breathing.", "File stem.")
    result = runner.invoke(args=["banks", "import", str(folder), "--keep-browser"])
    assert result.exit_code == 0 and "kept: question demo-tf" in result.output
    assert state(app, "demo-tf") == ("Browser stem.", 2, "ready", False, None)
    assert runner.invoke(args=["banks", "import", str(folder)]).exit_code == 0  # the file did not change since
    file_edit(folder, "File stem.", "File stem, again.")
    assert runner.invoke(args=["banks", "import", str(folder)]).exit_code == 3


def test_resolution_flags_are_exclusive_to_bank_files(runner, folder):
    result = runner.invoke(args=["banks", "import", str(folder), "--format", "gift", "--bank", "demo", "--take-file"])
    assert result.exit_code == 2 and "apply to bank files" in result.output


def test_export_into_round_trips_the_folder(app, runner, folder):
    browser_edit(app, "demo-tf", "Browser stem.")
    with app.app_context():
        question = editing.find_question("demo-order")
        question.retired = True
        editing.find_question("demo-multiple").status = "draft"
        db.session.commit()
    result = runner.invoke(args=["banks", "export", "--into", str(folder)])
    assert result.exit_code == 0, result.output
    assert f"wrote {folder / 'demo-bank.yaml'}: bank demo, 5 questions" in result.output
    text = (folder / "demo-bank.yaml").read_text()
    assert "stem: Browser stem." in text and "retired: true" in text and "status: draft" in text
    assert sorted(p.name for p in folder.iterdir()) == ["demo-bank.yaml", "demo-quizzes.yaml"]
    before = versions(app)
    again = runner.invoke(args=["banks", "import", str(folder / "demo-bank.yaml")])  # the quizzes need 5 ready
    assert again.exit_code == 0 and "0 created, 0 updated" in again.output and "kept" not in again.output
    assert versions(app) == before
    assert state(app, "demo-order")[3] is True and state(app, "demo-multiple")[2] == "draft"
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export.write_back")) is not None


def test_export_into_leaves_a_file_already_in_step_untouched(app, runner, folder):
    path = folder / "demo-bank.yaml"
    path.write_text("# kept by hand: this comment and the quoting stay\n" + path.read_text())
    before = path.read_bytes()
    result = runner.invoke(args=["banks", "export", "--into", str(folder)])
    assert result.exit_code == 0, result.output
    assert f"up to date, left as it is: {path}: bank demo, 5 questions" in result.output
    assert path.read_bytes() == before  # git diff shows only the banks changed in the browser
    browser_edit(app, "demo-tf", "Browser stem.")
    assert runner.invoke(args=["banks", "export", "--into", str(folder)]).exit_code == 0
    assert "stem: Browser stem." in path.read_text()


def test_after_export_a_merged_file_edit_is_taken(app, runner, folder):
    browser_edit(app, "demo-tf", "Browser stem.")
    file_edit(folder, "Gasping is normal breathing.", "File stem.")
    assert runner.invoke(args=["banks", "import", str(folder)]).exit_code == 3
    assert runner.invoke(args=["banks", "export", "--into", str(folder)]).exit_code == 0
    file_edit(folder, "Browser stem.", "Merged stem.")  # the author merges both edits in git
    result = runner.invoke(args=["banks", "import", str(folder)])
    assert result.exit_code == 0 and "updated: question demo-tf" in result.output
    assert state(app, "demo-tf") == ("Merged stem.", 3, "ready", False, None)


def test_retired_true_in_the_file_retires_and_a_missing_question_is_reported(app, runner, folder):
    file_edit(folder, "    tags: [adult]\n", "    tags: [adult]\n    retired: true\n")
    result = runner.invoke(args=["banks", "import", str(folder / "demo-bank.yaml")])
    assert result.exit_code == 0 and "updated: question demo-order" in result.output
    assert state(app, "demo-order")[1:4] == (1, "ready", True)
    text = (folder / "demo-bank.yaml").read_text()
    start = text.index("  - key: demo-numeric")
    (folder / "demo-bank.yaml").write_text(text[:start])
    result = runner.invoke(args=["banks", "import", str(folder / "demo-bank.yaml")])
    assert result.exit_code == 0, result.output
    assert "note: demo-numeric (bank demo) is not in the file: it stays as it is" in result.output
    assert state(app, "demo-numeric")[3] is False


def test_status_draft_in_a_file_imports_a_draft_that_is_not_drawn(app, runner, tmp_path):
    bank = tmp_path / "demo-bank.yaml"
    bank.write_text(
        (DATA / "demo-bank.yaml").read_text().replace("    tags: [lay]\n", "    tags: [lay]\n    status: draft\n")
    )
    assert runner.invoke(args=["banks", "import", str(bank)]).exit_code == 0
    assert state(app, "demo-tf")[2] == "draft" and state(app, "demo-single")[2] == "ready"
    with app.app_context():
        from quizapp.taking.drawing import pool

        drawn = {c.question_id for c in pool.candidates()}
        assert editing.find_question("demo-tf").id not in drawn


def test_export_into_refuses_an_unknown_bank_and_other_formats(runner, folder):
    result = runner.invoke(args=["banks", "export", "nope", "--into", str(folder)])
    assert result.exit_code == 1 and "there is no bank nope" in result.output
    result = runner.invoke(args=["banks", "export", "--into", str(folder), "--format", "gift"])
    assert result.exit_code == 2
    assert runner.invoke(args=["banks", "export"]).exit_code == 2


def test_state_hash_matches_the_migrations_frozen_copy():
    from importlib import import_module

    migration = import_module("quizapp.migrations.versions.0008_authoring_flow")
    assert migration.state_hash("abc") == filestate.state_hash("abc", "ready", False)


def test_imported_questions_remember_their_file_entry(app, folder):
    with app.app_context():
        assert db.session.scalar(select(func.count(Question.id)).where(Question.file_hash.is_(None))) == 0
