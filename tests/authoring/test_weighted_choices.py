"""Choice weights, numeric partial ranges and right-answer feedback in the browser editor: shown, kept, edited."""

import pytest

from tests.authoring.helpers import read_form
from tests.authoring.test_author_questions import BASE, current, rows, version_count


def weighted(*weights) -> dict:
    """Return choice rows with a credit each (blank for None), the first two correct."""
    data = rows(*((f"Choice {n}", n < 2, "") for n in range(len(weights))))
    for n, weight in enumerate(weights):
        data[f"choices-{n}-weight"] = "" if weight is None else weight
    return data


NEW = {**BASE, "type": "multiple", "stem": "Pick the signs.", "scoring": "partial", "shuffle": "y"}


def test_weights_are_shown_kept_and_edited(app, instructor):
    data = {**NEW, **weighted("70", "30", "", "-50")}
    response = instructor.post("/author/banks/demo/questions/new?type=multiple", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)
    spec = current(app, "demo-001")[2]
    assert [c.weight for c in spec.choices] == [70, 30, None, -50]

    page = instructor.get("/author/questions/demo-001/edit").get_data(as_text=True)
    assert "Credit for choice 1 (%)" in page and "add up to 100%" in page
    fields = read_form(page)
    assert [fields[f"choices-{n}-weight"] for n in range(4)] == ["70", "30", "", "-50"]
    instructor.post("/author/questions/demo-001/edit", data={**fields, "action": "save"})
    assert version_count(app, "demo-001") == 1  # an unchanged save keeps the weights and makes no version

    fields |= {"choices-0-weight": "50", "choices-1-weight": "50", "note": "even split"}
    assert instructor.post("/author/questions/demo-001/edit", data={**fields, "action": "save"}).status_code == 303
    assert [c.weight for c in current(app, "demo-001")[2].choices] == [50, 50, None, -50]


def test_a_weight_that_breaks_a_rule_is_shown_on_its_row(app, instructor):
    data = {**NEW, **weighted("70", "20", "", "")}
    page = instructor.post("/author/banks/demo/questions/new?type=multiple", data=data).get_data(as_text=True)
    assert "must add up to 100%, not 90%" in page
    data = {**NEW, **weighted("70", "30", "20", "")}
    page = instructor.post("/author/banks/demo/questions/new?type=multiple", data=data).get_data(as_text=True)
    assert "Choice 3 weighs 20%, so it must be marked correct" in page
    assert version_count(app, "demo-001") == 0


def test_questions_without_weights_show_no_credit_fields(instructor):
    page = instructor.get("/author/questions/demo-multiple/edit").get_data(as_text=True)
    assert "Credit for choice" not in page and "choices-0-weight" not in page


NUMERIC = {
    **BASE,
    "type": "numeric",
    "stem": "Born?",
    "numeric_mode": "value",
    "value": "1822",
    "tolerance": "0",
    "unit": "",
    "wrong_feedback": "No.",
    "right_feedback": "Yes!",
}


def test_numeric_partial_ranges_survive_an_edit_and_right_feedback_is_edited(app, instructor):
    partial = '[{"value": 1822, "tolerance": 2, "credit": 50, "feedback": "Close."}]'
    data = {**NUMERIC, "numeric_partial": partial}
    assert instructor.post("/author/banks/demo/questions/new?type=numeric", data=data).status_code == 303
    spec = current(app, "demo-001")[2]
    assert (spec.right_feedback, [(r.tolerance, r.credit) for r in spec.answer.partial]) == ("Yes!", [(2, 50)])

    page = instructor.get("/author/questions/demo-001/edit").get_data(as_text=True)
    assert "1820 to 1824: 50%" in page
    fields = read_form(page) | {"stem": "When was Grant born?", "right_feedback": "Right: 1822."}
    assert instructor.post("/author/questions/demo-001/edit", data={**fields, "action": "save"}).status_code == 303
    spec = current(app, "demo-001")[2]
    assert (spec.stem, spec.right_feedback) == ("When was Grant born?", "Right: 1822.")
    assert [(r.value, r.tolerance, r.credit, r.feedback) for r in spec.answer.partial] == [(1822, 2, 50, "Close.")]


@pytest.mark.parametrize("partial", ["not json", "[" * 5000, '[{"value": 1, "credit": 150}]', '{"a": 1}'])
def test_bad_kept_ranges_are_a_form_error_not_a_crash(app, instructor, partial):
    data = {**NUMERIC, "numeric_partial": partial}
    response = instructor.post("/author/banks/demo/questions/new?type=numeric", data=data)
    assert response.status_code == 422 and version_count(app, "demo-001") == 0
    assert "field-invalid" in response.get_data(as_text=True) or "answer-error" in response.get_data(as_text=True)


def test_true_false_right_feedback_is_edited_in_the_browser(app, instructor):
    data = {**BASE, "type": "true_false", "stem": "Gasping is normal.", "tf_answer": "false",
            "wrong_feedback": "Gasps are agonal.", "right_feedback": "Right: call for help."}
    assert instructor.post("/author/banks/demo/questions/new?type=true_false", data=data).status_code == 303
    assert current(app, "demo-001")[2].right_feedback == "Right: call for help."
    fields = read_form(instructor.get("/author/questions/demo-001/edit").get_data(as_text=True))
    assert fields["right_feedback"] == "Right: call for help."


def test_checked_answer_shows_each_choice_credit_and_partial_score(instructor):
    data = {**NEW, **weighted("70", "30", "", "-50")}
    assert instructor.post("/author/banks/demo/questions/new?type=multiple", data=data).status_code == 303
    page = instructor.get("/author/questions/demo-001/preview").get_data(as_text=True)
    shown = sorted(("Choice 0", "Choice 1", "Choice 2", "Choice 3"), key=page.index)  # the preview's shuffled order
    picked = str(shown.index("Choice 0"))
    checked = instructor.post("/author/questions/demo-001/preview", data={"answer": picked}).get_data(as_text=True)
    assert "Partly correct" in checked and "(0.7 of 1 points)" in checked
    assert "(worth 70%)" in checked and "Worth 0%" in checked and "Worth -50%" in checked
