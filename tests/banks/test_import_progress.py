"""An import tells how far it got (a bank.import or bank.preview job shows it as a percentage while it runs)."""

from __future__ import annotations

from quizapp.banks import staging, transfer
from quizapp.extensions import db
from quizapp.models import StagedImport, User
from tests.banks.conftest import OWN
from tests.conftest import DATA, make_user


def test_a_gift_import_reports_each_question_it_reaches(app, demo):
    fractions = []
    with app.app_context():
        source = transfer.Source("cpr.gift", (OWN / "cpr.gift.txt").read_text())
        report = transfer.import_sources(transfer.find_bank("demo"), "gift", [source], progress=fractions.append)
    assert len(report.created) == 4 and fractions == [0.0, 0.25, 0.5, 0.75]


def test_two_files_share_the_way(app, demo):
    fractions = []
    with app.app_context():
        sources = [transfer.Source(n, (OWN / n).read_text()) for n in ("cpr.aiken.txt", "aiken_cpr.txt")]
        transfer.import_sources(transfer.find_bank("demo"), "aiken", sources, progress=fractions.append)
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and max(fractions) < 1.0
    assert any(f >= 0.5 for f in fractions) and any(0 < f < 0.5 for f in fractions)


def test_a_yaml_bank_import_reports_each_question(app, demo):
    fractions = []
    with app.app_context():
        source = transfer.Source("demo-bank.yaml", (DATA / "demo-bank.yaml").read_text())
        transfer.import_sources(transfer.find_bank("demo"), "yaml", [source], progress=fractions.append)
    assert fractions == [0.0, 0.2, 0.4, 0.6, 0.8]


def test_the_import_job_passes_its_progress_on(app, demo):
    fractions = []
    owner = make_user(app, "ines@example.org", "instructor")
    with app.app_context():
        source = transfer.Source("cpr.gift", (OWN / "cpr.gift.txt").read_text())
        staged = staging.stage(transfer.find_bank("demo"), db.session.get(User, owner), "gift", False, source)
        db.session.commit()
        staging.run_job({"staged": staged.id}, fractions.append)
        assert db.session.get(StagedImport, staged.id).report["created"]
    assert fractions[0] == 0.0 and fractions[-1] == 0.75
