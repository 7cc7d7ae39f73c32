"""The exclusion group of a question: set in the authoring form, kept with the version, in YAML but not GIFT."""

from __future__ import annotations

from sqlalchemy import select

from quizapp.banks import exporting, transfer
from quizapp.banks.formats import yamlfile
from quizapp.banks.formats.yamldump import dump_bank
from quizapp.extensions import db
from quizapp.models import Question
from tests.authoring.helpers import read_form
from tests.conftest import DATA, import_paths

EDIT = "/author/questions/demo-tf/edit"


def current_content(app, key: str) -> tuple[int, dict]:
    """Return the current version number and stored content of a question."""
    with app.app_context():
        version = db.session.execute(select(Question).where(Question.key == key)).scalar_one().current_version
        return version.number, dict(version.content)


def export(app, fmt: str) -> str:
    """Export the demo bank through the service."""
    with app.app_context():
        return exporting.export_bank(transfer.find_bank("demo"), fmt).text


def test_the_form_sets_shows_and_clears_the_group(app, instructor):
    fields = read_form(instructor.get(EDIT).get_data(as_text=True))
    assert fields["group"] == ""
    response = instructor.post(EDIT, data={**fields, "group": "agonal-breathing", "action": "save"})
    assert response.status_code == 303
    number, content = current_content(app, "demo-tf")
    assert number == 2 and content["group"] == "agonal-breathing"
    page = instructor.get(EDIT).get_data(as_text=True)
    assert read_form(page)["group"] == "agonal-breathing"
    assert '<label for="group">Exclusion group (optional)</label>' in page
    history = instructor.get("/author/questions/demo-tf/history").get_data(as_text=True)
    assert '<th scope="row">Exclusion group</th>' in history and "agonal-breathing" in history
    instructor.post(EDIT, data={**read_form(page), "group": "", "action": "save"})
    number, content = current_content(app, "demo-tf")
    assert number == 3 and "group" not in content


def test_a_malformed_group_is_refused_on_its_field(app, instructor):
    fields = read_form(instructor.get(EDIT).get_data(as_text=True))
    response = instructor.post(EDIT, data={**fields, "group": "Adult Ratio", "action": "save"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert '<p class="error" id="group-error">Use lower-case letters, digits and hyphens only' in html
    assert current_content(app, "demo-tf")[0] == 1


def test_grouped_bank_imports_exports_identically_and_gift_ignores_the_group(app, tmp_path):
    original = (DATA / "demo-bank.yaml").read_text()
    grouped = original.replace("tags: [lay]\n", "tags: [lay]\n    group: agonal-breathing\n", 1)
    import_paths(app, DATA / "demo-bank.yaml")
    gift_before = export(app, "gift")
    (tmp_path / "demo-bank.yaml").write_text(grouped)
    report = import_paths(app, tmp_path / "demo-bank.yaml")
    assert report.updated == ["question demo-tf"]
    assert current_content(app, "demo-tf")[1]["group"] == "agonal-breathing"
    exported = export(app, "yaml")
    assert exported == dump_bank(yamlfile.parse(grouped, "demo-bank.yaml"))
    assert "    group: agonal-breathing\n" in exported
    (tmp_path / "demo-bank.yaml").write_text(exported)
    again = import_paths(app, tmp_path / "demo-bank.yaml")
    assert again.updated == [] and export(app, "yaml") == exported
    assert export(app, "gift") == gift_before
