"""`flask banks export --into` writes only the browser's changes into the files, so `git diff` shows just those."""

from __future__ import annotations

import shutil

from sqlalchemy import select

from quizapp.authoring import editing
from quizapp.banks.formats import yamlfile
from quizapp.extensions import db
from quizapp.models import Bank, User
from tests.banks.test_file_sync import browser_edit, versions
from tests.banks.test_yaml_splice import HEAD, ONE, TWO
from tests.conftest import PROJECT, make_user

CHOICES = "\n\n  # ------------------------------------------------ choices"
HAND = HEAD + ONE + CHOICES[1:] + "\n" + TWO


def export_into(runner, folder):
    """Run `flask banks export --into folder` and return its output."""
    result = runner.invoke(args=["banks", "export", "--into", str(folder)])
    assert result.exit_code == 0, result.output
    return result.output


def reimport_changes_nothing(app, runner, folder) -> None:
    """Importing the written folder creates and updates nothing, keeps nothing and meets no conflict."""
    before = versions(app)
    result = runner.invoke(args=["banks", "import", str(folder)])
    assert result.exit_code == 0, result.output
    assert "0 created, 0 updated" in result.output and "kept" not in result.output
    assert "conflict" not in result.output and versions(app) == before


def item(text: str, key: str, following: str) -> tuple[str, str, str]:
    """Split a file's text around one item: before it, the item, and from `following` (the text after it) on."""
    start = text.index(f"  - key: {key}\n")
    end = text.index(following, start)
    return text[:start], text[start:end], text[end:]


def test_one_browser_edit_in_the_shipped_banks_changes_only_that_question(app, runner, tmp_path):
    folder = tmp_path / "questions"
    shutil.copytree(PROJECT / "questions", folder)
    assert runner.invoke(args=["banks", "import", str(folder)]).exit_code == 0
    browser_edit(app, "bvm-045", "A browser stem for bvm-045.")
    output = export_into(runner, folder)
    path = folder / "bag-valve-mask.yaml"
    assert f"wrote {path}: bank bag-valve-mask, 51 questions; changed bvm-045" in output
    assert output.count("up to date, left as it is") == 2
    for shipped in (PROJECT / "questions").iterdir():
        if shipped.name != path.name:
            assert (folder / shipped.name).read_bytes() == shipped.read_bytes()
    section = "\n\n  # ---------------------------------------------------------------- second edition"
    old = item((PROJECT / "questions" / path.name).read_text(), "bvm-045", section)
    new = item(path.read_text(), "bvm-045", section)
    assert (new[0], new[2]) == (old[0], old[2])  # every other byte, section comments included, stays
    assert "    stem: A browser stem for bvm-045.\n" in new[1] and new[1].count("\n") < 30
    reimport_changes_nothing(app, runner, folder)


def imported_hand(runner, folder):
    """Write the hand-written bank file into `folder` and import it; return its path."""
    path = folder / "hand.yaml"
    path.write_text(HAND)
    assert runner.invoke(args=["banks", "import", str(path)]).exit_code == 0
    return path


def test_new_and_retired_questions_are_spliced_into_a_hand_written_file(app, runner, tmp_path):
    path = imported_hand(runner, tmp_path)
    make_user(app, "editor@example.org", "instructor")
    with app.app_context():
        author = db.session.scalar(select(User).where(User.email == "editor@example.org"))
        bank = db.session.scalar(select(Bank).where(Bank.slug == "hand"))
        spec = editing.find_question("hand-1").current_version.spec().model_copy(update={"stem": "New in the browser."})
        new_key = editing.create_question(bank, spec, author).key
        editing.set_retired(editing.find_question("hand-1"), True, author)
        db.session.commit()
    output = export_into(runner, tmp_path)
    assert f"wrote {path}: bank hand, 3 questions; changed hand-1; added {new_key}" in output
    text = path.read_text()
    before, retired, after = item(text, "hand-1", CHOICES)
    assert before == HAND[: HAND.index("  - key: hand-1")] and retired.endswith("\n    retired: true")
    assert '"Gasping is normal breathing."' not in retired  # the retired item is written as the writer writes it
    tail = HAND[HAND.index(CHOICES) :]
    assert after.startswith(tail)  # the comment, and hand-2 with its quoting, byte for byte
    added = after[len(tail) :]
    assert added.startswith(f"\n  - key: {new_key}\n") and "    status: draft\n" in added
    assert yamlfile.parse(text, "hand.yaml").questions[2].stem == "New in the browser."
    reimport_changes_nothing(app, runner, tmp_path)


def test_a_changed_bank_title_rewrites_the_file_whole_and_says_so(app, runner, tmp_path):
    path = imported_hand(runner, tmp_path)
    browser_edit(app, "hand-2", "Which breath length is best?")
    with app.app_context():
        db.session.scalar(select(Bank).where(Bank.slug == "hand")).title = "Renamed in the browser"
        db.session.commit()
    output = export_into(runner, tmp_path)
    assert f"wrote {path}: bank hand, 2 questions; rewritten whole: the bank's title changed" in output
    text = path.read_text()
    assert "# ----" not in text and "title: Renamed in the browser\n" in text  # the export's own layout
    assert "stem: Which breath length is best?" in text
    reimport_changes_nothing(app, runner, tmp_path)


def test_a_bank_no_file_defines_goes_to_a_new_file(app, runner, tmp_path):
    path = tmp_path / "hand.yaml"
    path.write_text(HAND)
    assert runner.invoke(args=["banks", "import", str(path)]).exit_code == 0
    path.unlink()
    output = export_into(runner, tmp_path)
    assert f"wrote {path}: bank hand, 2 questions; a new file" in output
    reimport_changes_nothing(app, runner, tmp_path)
