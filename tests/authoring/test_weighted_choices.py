"""Choice weights in the browser editor: shown and kept when a question has them, never dropped by an edit."""

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
