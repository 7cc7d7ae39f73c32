"""A choice question's fieldset assembled in Python is byte for byte the render_question macro's."""

from __future__ import annotations

import itertools
import random

import pytest
from sqlalchemy import select

from quizapp.banks.schema import Question
from quizapp.extensions import db
from quizapp.forms import shown as shown_forms
from quizapp.models import QuestionVersion
from quizapp.views import fieldset
from tests.conftest import PROJECT, import_paths


def q(**fields) -> Question:
    """Return a valid question with the given type-specific fields."""
    return Question.model_validate({"key": "k-1", "stem": "s", "explanation": "e", "reference": "r", **fields})


ODD = [
    q(type="single", stem="Is *a* < b & \"c\"?\n\nSecond <b>paragraph</b>.",
      choices=[{"text": "*a* < b", "correct": True}, {"text": "b & 'c'"}, {"text": "<script>x</script>"}]),
    q(type="multiple", stem="`code` & more", choices=[{"text": "a", "correct": True}, {"text": "[b](https://x.org)"},
                                                      {"text": "c \u2665", "correct": True}]),
    q(type="true_false", stem="True?", answer=False),
]


def answers(question: Question, order: list[int] | None) -> list[dict | None]:
    """Return answers to show: none, and for each option one picking it (multiple: also two at once)."""
    if question.type == "true_false":
        return [None, {"value": True}, {"value": False}]
    if question.type == "single":
        return [None, *({"choice": i} for i in order)]
    return [None, {"choices": [order[0]]}, {"choices": sorted(order[-2:])}]


def assert_same(app, questions: list[Question], orders_each: int) -> int:
    """Compare the assembled and the macro's fieldsets over orders, answers, places; return how many were compared."""
    render = app.jinja_env.get_template("_macros/question.html").module.render_question
    rng, compared = random.Random(20), 0
    with app.test_request_context("/"):
        for question in questions:
            assert fieldset.assembles(question)
            size = len(question.choices or ())
            orders = [None] if not size else [rng.sample(range(size), size) for _ in range(orders_each)]
            for order, (number, total) in itertools.product(orders, [(1, 1), (7, 30)]):
                for answer in answers(question, order):
                    form = shown_forms.shown(question, order, answer, False)
                    made = fieldset.choice_fieldset(question, form, number, total)
                    assert str(made) == str(render(question, form, number, total, locked=False, fb=None))
                    compared += 1
    return compared


def test_odd_text_is_escaped_and_sanitised_as_the_macro_does(app):
    assert assert_same(app, ODD, 4) > 40


def test_every_shipped_choice_question_assembles_as_the_macro_renders_it(app):
    import_paths(app, PROJECT / "questions")
    with app.app_context():
        specs = [v.spec() for v in db.session.scalars(select(QuestionVersion))]
    choice = [s for s in specs if fieldset.assembles(s)]
    assert {s.type for s in choice} == {"single", "multiple", "true_false"}
    assert assert_same(app, choice, 2) > 1000


@pytest.mark.parametrize("kind", ["numeric", "ordering"])
def test_other_types_keep_the_macro(kind):
    question = q(type=kind, **({"answer": {"value": 1}} if kind == "numeric" else {"choices": [{"text": "a"},
                                                                                                {"text": "b"}]}))
    assert not fieldset.assembles(question)
