"""The answer form a GET shows without binding WTForms: the same values, and the same markup, as the bound form."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from quizapp.banks.schema import Question
from quizapp.forms import answer as answer_forms
from quizapp.forms import shown as shown_forms


def q(**fields) -> Question:
    """Return a valid question with the given type-specific fields."""
    return Question.model_validate({"key": "k-1", "stem": "s", "explanation": "e", "reference": "r", **fields})


CASES = [
    (q(type="single", choices=[{"text": "*a*", "correct": True}, {"text": "b & c"}, {"text": "c"}]), [2, 0, 1],
     {"choice": 0}),
    (q(type="multiple", choices=[{"text": "a", "correct": True}, {"text": "b", "correct": True}, {"text": "c"}]),
     [1, 2, 0], {"choices": [0, 2]}),
    (q(type="true_false", answer=False), [0, 1], {"value": False}),
    (q(type="numeric", answer={"value": 6, "tolerance": 0.5, "unit": "cm"}), None, {"value": "5.5"}),
    (q(type="ordering", choices=[{"text": "1"}, {"text": "2"}, {"text": "3"}]), [2, 0, 1], {"order": [1, 0, 2]}),
]


@pytest.mark.parametrize(("question", "order", "answer"), CASES, ids=[c[0].type for c in CASES])
@pytest.mark.parametrize("saved", [False, True], ids=["blank", "saved"])
def test_the_shown_form_holds_what_the_bound_form_holds(app, question, order, answer, saved):
    """Labels, options picked, typed text and the flag are those of a WTForms form bound to the saved answer."""
    with app.test_request_context("/"):
        bound = answer_forms.build(question, order, answer if saved else None)
        bound.flag.data = saved
        assert shown_forms.shown(question, order, answer if saved else None, saved) == shown_forms.from_form(bound)


@pytest.mark.parametrize(("question", "order", "answer"), CASES[3:], ids=["numeric", "ordering"])
def test_the_partials_write_the_markup_of_the_wtforms_widgets(app, question, order, answer):
    """The numeric box and the ordering selects are written exactly as WTForms' widgets write them."""
    render = app.jinja_env.get_template("_macros/question.html").module.render_question
    posted = {"answer": "5,5"} if question.type == "numeric" else {"item_0": "2", "item_2": "1"}
    with app.test_request_context("/"):
        for form in (answer_forms.build(question, order, answer), answer_forms.build(question, order, None,
                                                                                     MultiDict(posted))):
            html = str(render(question, shown_forms.from_form(form), 1, 1))
            if question.type == "numeric":
                widgets = [form.answer.label(), form.answer(inputmode="decimal", autocomplete="off",
                                                            class_="numeric-input")]
            else:
                widgets = [w for f in form if f.name.startswith("item_")
                           for w in (f.label(class_="ordering-label"), f(class_="ordering-select"))]
            assert all(str(w) in html for w in widgets)
