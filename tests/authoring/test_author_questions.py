"""Writing, editing, retiring and restoring questions of every type through the browser form."""

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import AuditEvent, Question, QuestionVersion
from tests.authoring.helpers import read_form
from tests.conftest import DATA, import_paths

BASE = {
    "explanation": "Because the guideline says so.",
    "reference": "ref",
    "tags": "adult, test",
    "difficulty": "2",
    "points": "1",
    "note": "",
    "action": "save",
}


def rows(*choices) -> dict:
    """Return the form fields for choice rows given as (text, correct, feedback)."""
    data = {}
    for i, (text, correct, feedback) in enumerate(choices):
        data[f"choices-{i}-text"] = text
        data[f"choices-{i}-feedback"] = feedback
        if correct:
            data[f"choices-{i}-correct"] = "y"
    return data


NEW = {
    "single": {
        **BASE,
        "type": "single",
        "stem": "Pick **one**.",
        "shuffle": "y",
        **rows(("About 1 second", True, ""), ("About 3 seconds", False, "Too long.")),
    },
    "multiple": {
        **BASE,
        "type": "multiple",
        "stem": "Pick two.",
        "scoring": "all_or_nothing",
        "shuffle": "y",
        **rows(("Unresponsive", True, ""), ("Not breathing", True, ""), ("Talking", False, "Has a pulse.")),
    },
    "true_false": {
        **BASE,
        "type": "true_false",
        "stem": "Gasping is normal.",
        "tf_answer": "false",
        "wrong_feedback": "Gasps are agonal.",
    },
    "ordering": {
        **BASE,
        "type": "ordering",
        "stem": "Order the steps.",
        "scoring": "all_or_nothing",
        **rows(("Power on", False, ""), ("Attach pads", False, ""), ("Shock", False, "")),
    },
    "numeric": {
        **BASE,
        "type": "numeric",
        "stem": "Seconds between breaths?",
        "numeric_mode": "value",
        "value": "6",
        "tolerance": "0,5",
        "unit": "seconds",
        "wrong_feedback": "One every 6 seconds.",
    },
}
EXPECTED = {
    "single": lambda q: [c.correct for c in q.choices] == [True, False] and q.choices[1].feedback == "Too long.",
    "multiple": lambda q: q.scoring == "all_or_nothing" and [c.correct for c in q.choices] == [True, True, False],
    "true_false": lambda q: q.answer is False and q.feedback == "Gasps are agonal.",
    "ordering": lambda q: [c.text for c in q.choices] == ["Power on", "Attach pads", "Shock"] and q.scoring is None,
    "numeric": lambda q: (q.answer.value, q.answer.tolerance, q.answer.unit) == (6, 0.5, "seconds"),
}


def version_count(app, key: str) -> int:
    """Count a question's versions."""
    with app.app_context():
        return db.session.scalar(
            select(func.count(QuestionVersion.id))
            .join(Question, QuestionVersion.question_id == Question.id)
            .where(Question.key == key)
        )


def current(app, key: str):
    """Return (question retired flag, current version number, spec, author id, note)."""
    with app.app_context():
        q = db.session.execute(select(Question).where(Question.key == key)).scalar_one()
        v = q.current_version
        return q.retired, v.number, v.spec(), v.author_id, v.note


@pytest.mark.parametrize("qtype", list(NEW))
def test_create_edit_retire_restore_each_type(app, instructor, qtype):
    response = instructor.post(f"/author/banks/demo/questions/new?type={qtype}", data=NEW[qtype])
    assert response.status_code == 303, response.get_data(as_text=True)
    assert response.headers["Location"].endswith("/author/questions/demo-001/edit")
    retired, number, spec, author_id, note = current(app, "demo-001")
    assert (retired, number, spec.type, note) == (False, 1, qtype, "created in the browser")
    assert author_id is not None and EXPECTED[qtype](spec)
    assert spec.explanation == "Because the guideline says so." and spec.reference == "ref"

    page = instructor.get("/author/questions/demo-001/edit").get_data(as_text=True)
    fields = read_form(page)
    assert instructor.post("/author/questions/demo-001/edit", data={**fields, "action": "save"}).status_code == 303
    assert "Nothing changed" in instructor.get("/author/questions/demo-001/edit").get_data(as_text=True)
    assert version_count(app, "demo-001") == 1

    fields["stem"] = "A clearer stem."
    fields["note"] = "clearer wording"
    assert instructor.post("/author/questions/demo-001/edit", data={**fields, "action": "save"}).status_code == 303
    _, number, spec, _, note = current(app, "demo-001")
    assert (number, spec.stem, note) == (2, "A clearer stem.", "clearer wording")

    response = instructor.post("/author/questions/demo-001/retire")
    assert response.status_code == 303 and response.headers["Location"].endswith("/author/banks/demo")
    assert current(app, "demo-001")[0] is True
    listing = instructor.get("/author/banks/demo?status=retired").get_data(as_text=True)
    assert "demo-001" in listing and "Retired" in listing
    assert instructor.post("/author/questions/demo-001/restore").status_code == 303
    assert current(app, "demo-001")[0] is False
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["question.retire", "question.restore"]


@pytest.mark.parametrize("key", ["demo-single", "demo-multiple", "demo-tf", "demo-order", "demo-numeric"])
def test_imported_questions_round_trip_without_a_new_version(app, instructor, key):
    fields = read_form(instructor.get(f"/author/questions/{key}/edit").get_data(as_text=True))
    url = f"/author/questions/{key}/edit"
    response = instructor.post(url, data={**fields, "action": "save"}, follow_redirects=True)
    assert "Nothing changed, so no new version was made." in response.get_data(as_text=True)
    assert version_count(app, key) == 1


def test_changed_save_makes_version_n_plus_1_and_history_shows_the_diff(app, instructor):
    fields = read_form(instructor.get("/author/questions/demo-single/edit").get_data(as_text=True))
    long = "Give each breath over about 1 second, with just enough volume to make the chest rise visibly."
    fields.update(
        {
            "choices-1-text": "About 4 seconds",
            "explanation": long.replace("visibly", "and no more"),
            "note": "fix distractor",
            "action": "save",
        }
    )
    response = instructor.post("/author/questions/demo-single/edit", data=fields, follow_redirects=True)
    assert "Saved as version 2." in response.get_data(as_text=True)
    _, number, spec, author_id, _ = current(app, "demo-single")
    assert number == 2 and spec.choices[1].text == "About 4 seconds" and author_id is not None
    page = instructor.get("/author/questions/demo-single/history").get_data(as_text=True)
    assert "Version 2" in page and "Version 1" in page and "fix distractor" in page and "Ada Author" in page
    assert "Imported from a bank file" in page
    assert '<th scope="row">Choice 2</th>' in page
    assert "<del>About 3 seconds</del>" in page and "<ins>About 4 seconds</ins>" in page
    rationale = page.split('<th scope="row">Rationale</th>', 1)[1].split("</tr>", 1)[0]
    assert '<del><span class="visually-hidden">[removed: </span>One' in rationale
    assert "[added: </span>rise and no more.<" in rationale and " just enough " in rationale  # words kept unmarked


def test_new_keys_continue_the_bank_prefix_and_are_never_reused(app, instructor, tmp_path):
    bank = (
        (DATA / "demo-bank.yaml")
        .read_text()
        .replace("bank: demo", "bank: numbered")
        .replace("key: demo-single", "key: tst-001")
        .replace("key: demo-multiple", "key: tst-007")
        .replace("key: demo-tf", "key: tst-tf")
        .replace("key: demo-order", "key: tst-order")
        .replace("key: demo-numeric", "key: tst-numeric")
    )
    (tmp_path / "numbered.yaml").write_text(bank)
    import_paths(app, tmp_path / "numbered.yaml")
    response = instructor.post("/author/banks/numbered/questions/new", data=NEW["single"])
    assert response.headers["Location"].endswith("/author/questions/tst-008/edit")
    instructor.post("/author/questions/tst-008/retire")
    response = instructor.post("/author/banks/numbered/questions/new", data=NEW["true_false"])
    assert response.headers["Location"].endswith("/author/questions/tst-009/edit")


def test_add_and_remove_choice_rows_without_javascript_keep_what_was_typed(app, instructor):
    data = {**NEW["single"], "action": "add"}
    page = instructor.post("/author/banks/demo/questions/new", data=data)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'name="choices-2-text"' in html and "About 3 seconds" in html and "Remove choice 3" in html
    fields = read_form(html)
    fields.update({"choices-2-text": "About 5 seconds", "choices-2-feedback": "Far too long."})
    fields.pop("action", None)
    html = instructor.post("/author/banks/demo/questions/new", data={**fields, "remove": "0"}).get_data(as_text=True)
    fields = read_form(html)
    assert fields["choices-0-text"] == "About 3 seconds" and fields["choices-1-text"] == "About 5 seconds"
    assert fields["choices-1-feedback"] == "Far too long." and "choices-2-text" not in fields
    with app.app_context():
        assert db.session.scalar(select(func.count(Question.id))) == 5  # nothing saved by add/remove


def test_change_type_rerenders_the_right_fields(instructor):
    html = instructor.post(
        "/author/banks/demo/questions/new", data={**NEW["single"], "type": "numeric", "action": "retype"}
    ).get_data(as_text=True)
    assert 'name="value"' in html and 'name="choices-0-text"' not in html
    html = instructor.get("/author/banks/demo/questions/new?type=ordering").get_data(as_text=True)
    assert "Items, in the correct order" in html and 'name="choices-2-text"' in html


@pytest.mark.parametrize(
    ("change", "field_id", "message"),
    [
        ({"stem": "   "}, "stem", "This cannot be empty."),
        ({"choices-1-correct": "y"}, "choices-error", "exactly 1 correct choice, found 2"),
        ({"tags": "adult, Bad Tag"}, "tags", "lower-case letters, digits and hyphens"),
        ({"points": "0"}, "points", "Must be greater than 0"),
        ({"choices-1-text": "", "choices-1-feedback": "orphan feedback"}, "choices-1-text", "This cannot be empty."),
    ],
)
def test_schema_errors_are_shown_on_their_fields_and_nothing_is_saved(app, instructor, change, field_id, message):
    response = instructor.post("/author/banks/demo/questions/new", data={**NEW["single"], **change})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "The question was not saved" in html
    error_id = field_id if field_id.endswith("-error") else f"{field_id}-error"
    assert f'id="{error_id}"' in html and message in html.split(f'id="{error_id}"', 1)[1][:400]
    if not field_id.endswith("-error"):
        assert f'aria-describedby="{error_id}"' in html or f'{error_id}"' in html.split(f'id="{field_id}"', 1)[0][-300:]
    with app.app_context():
        assert db.session.scalar(select(func.count(Question.id))) == 5


@pytest.mark.parametrize(
    ("change", "error_id", "message"),
    [
        ({"value": "six"}, "value-error", "Enter a number"),
        ({"numeric_mode": "range", "min": "9", "max": "3"}, "answer-error", "Min must not be greater than max"),
        ({"tolerance": "-1"}, "tolerance-error", "Must be greater than or equal to 0"),
    ],
)
def test_numeric_errors(app, instructor, change, error_id, message):
    response = instructor.post("/author/banks/demo/questions/new", data={**NEW["numeric"], **change})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html.split(f'id="{error_id}"', 1)[1][:300]


def test_true_false_needs_an_answer(instructor):
    data = {k: v for k, v in NEW["true_false"].items() if k != "tf_answer"}
    html = instructor.post("/author/banks/demo/questions/new", data=data).get_data(as_text=True)
    assert "needs answer: true or false" in html.split('id="tf_answer-error"', 1)[1][:200]


def test_missing_feedback_is_a_hint_not_an_error(app, instructor):
    data = {**NEW["single"], "choices-1-feedback": "", "action": "add"}
    html = instructor.post("/author/banks/demo/questions/new", data=data).get_data(as_text=True)
    assert "Tip: wrong choice 2 has no feedback" in html
    response = instructor.post("/author/banks/demo/questions/new", data={**NEW["single"], "choices-1-feedback": ""})
    assert response.status_code == 303


def test_unknown_bank_and_question_are_404(instructor):
    assert instructor.get("/author/banks/nope").status_code == 404
    assert instructor.get("/author/questions/nope/edit").status_code == 404
    assert instructor.get("/author/questions/demo-single/preview?version=9").status_code == 404


def test_a_save_based_on_an_older_version_is_refused_then_accepted(app, instructor):
    mine = read_form(instructor.get("/author/questions/demo-tf/edit").get_data(as_text=True))
    theirs = dict(mine, stem="Someone else's wording.")
    assert instructor.post("/author/questions/demo-tf/edit", data=theirs).status_code == 303  # version 2
    response = instructor.post("/author/questions/demo-tf/edit", data={**mine, "stem": "My wording."})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Someone saved version 2 of this question after you opened version 1" in html
    assert "My wording." in html and version_count(app, "demo-tf") == 2
    again = read_form(html)
    assert instructor.post("/author/questions/demo-tf/edit", data=again).status_code == 303
    assert current(app, "demo-tf")[2].stem == "My wording." and version_count(app, "demo-tf") == 3


def test_field_errors_and_whole_question_errors_are_shown_together(instructor):
    html = instructor.post(
        "/author/banks/demo/questions/new", data={**NEW["single"], "stem": "", "choices-1-correct": "y"}
    ).get_data(as_text=True)
    assert "This cannot be empty." in html.split('id="stem-error"', 1)[1][:100]
    assert "exactly 1 correct choice, found 2" in html.split('id="choices-error"', 1)[1][:200]
