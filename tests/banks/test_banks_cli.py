"""`flask banks validate|import` and `flask users create` through the CLI runner."""

from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Question, QuestionVersion, Quiz, User
from tests.conftest import DATA, PROJECT


def count(app, model) -> int:
    """Count rows of a model."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_help_texts(runner):
    for args in (
        ["banks", "--help"],
        ["banks", "validate", "--help"],
        ["banks", "import", "--help"],
        ["users", "create", "--help"],
    ):
        result = runner.invoke(args=args)
        assert result.exit_code == 0 and "Usage" in result.output


def test_validate_shipped_questions(runner):
    result = runner.invoke(args=["banks", "validate", str(PROJECT / "questions")])
    assert result.exit_code == 0, result.output
    assert "bank airway-management" in result.output and "bank team-cpr" in result.output


def test_validate_lists_every_error_and_exits_1(runner, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        (DATA / "demo-bank.yaml")
        .read_text()
        .replace("answer: false", "answer: maybe")
        .replace("level: lay", "level: expert")
    )
    result = runner.invoke(args=["banks", "validate", str(bad), str(DATA / "demo-quizzes.yaml")])
    assert result.exit_code == 1
    assert "demo-tf: answer" in result.output and "level" in result.output and "2 error(s)" in result.output


def test_import_is_idempotent_and_versions_changes(app, runner, tmp_path):
    result = runner.invoke(args=["banks", "import", str(DATA / "demo-bank.yaml"), str(DATA / "demo-quizzes.yaml")])
    assert result.exit_code == 0, result.output
    assert "8 created" in result.output or "9 created" in result.output
    assert count(app, QuestionVersion) == 5 and count(app, Quiz) == 3
    again = runner.invoke(args=["banks", "import", str(DATA)])
    assert "0 created, 0 updated" in again.output and count(app, QuestionVersion) == 5
    changed = tmp_path / "demo-bank.yaml"
    changed.write_text((DATA / "demo-bank.yaml").read_text().replace("Gasping is normal", "Gasping is regular"))
    result = runner.invoke(args=["banks", "import", str(changed)])
    assert "updated: question demo-tf" in result.output
    assert count(app, QuestionVersion) == 6 and count(app, Question) == 5


def test_dry_run_changes_nothing(app, runner):
    result = runner.invoke(args=["banks", "import", "--dry-run", str(DATA)])
    assert result.exit_code == 0 and "dry run" in result.output
    assert count(app, Question) == 0 and count(app, Quiz) == 0


def test_invalid_file_imports_nothing(app, runner, tmp_path):
    (tmp_path / "a.yaml").write_text((DATA / "demo-bank.yaml").read_text())
    (tmp_path / "b.yaml").write_text((DATA / "demo-bank.yaml").read_text().replace("bank: demo", "bank: demo-two"))
    result = runner.invoke(args=["banks", "import", str(tmp_path)])
    assert result.exit_code == 1 and "also used in" in result.output
    assert count(app, Question) == 0


def test_quiz_that_cannot_be_drawn_is_refused(app, runner, tmp_path):
    quizzes = tmp_path / "q.yaml"
    quizzes.write_text(
        "format: quizapp-quizzes/1\nquizzes:\n  - slug: big\n    title: Big\n    draw: [{bank: demo, count: 50}]\n"
    )
    result = runner.invoke(args=["banks", "import", str(DATA / "demo-bank.yaml"), str(quizzes)])
    assert result.exit_code == 1 and "asks for 50 questions" in result.output
    assert count(app, Question) == 0


def test_create_user_with_generated_password(app, runner):
    result = runner.invoke(args=["users", "create", "--email", "Boss@Example.org", "--role", "admin"])
    assert result.exit_code == 0 and "password: " in result.output
    with app.app_context():
        user = db.session.execute(select(User)).scalar_one()
        assert user.email == "boss@example.org" and user.role == "admin"
        assert user.check_password(result.output.split("password: ")[1].strip())


def test_create_user_password_stdin_and_duplicates(app, runner):
    ok = runner.invoke(
        args=["users", "create", "--email", "i@example.org", "--role", "instructor", "--password-stdin"],
        input="a long enough passphrase\n",
    )
    assert ok.exit_code == 0 and "password:" not in ok.output
    weak = runner.invoke(args=["users", "create", "--email", "j@example.org", "--password-stdin"], input="password1\n")
    assert weak.exit_code != 0 and "too common" in weak.output
    dup = runner.invoke(args=["users", "create", "--email", "I@example.org"])
    assert dup.exit_code != 0 and "already exists" in dup.output
