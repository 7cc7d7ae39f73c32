"""The question-type registry: every type's hooks round-trip, and type names live only in qtypes/ and the formats."""

from __future__ import annotations

import ast
import random
import re
from fractions import Fraction

import pytest
from pydantic import ValidationError
from werkzeug.datastructures import MultiDict
from wtforms import Form

from quizapp import qtypes
from quizapp.banks.schema import Question
from quizapp.forms import question as question_forms
from quizapp.forms import question_data
from tests.conftest import PROJECT
from tests.taking.test_grading import MULTI, NUM, ORDER, ORDER_PARTIAL, RANGE, SINGLE, TF, q

PACKAGE = PROJECT / "quizapp"
# Where type names may be written: the types themselves and the file formats that map their syntax to the types.
OWNERS = ("qtypes/", "banks/formats/")
# The same word meaning something else: the HTML inputmode of the quiz form's count box.
HOMONYMS = {("forms/quiz.py", "numeric")}
SAMPLES = {"single": SINGLE, "multiple": MULTI, "true_false": TF, "ordering": ORDER, "numeric": NUM}


def literals(path) -> set[str]:
    """Return the string constants of a module that name a registered question type."""
    tree = ast.parse(path.read_text())
    return {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and n.value in qtypes.TYPES}


def test_type_names_are_written_only_in_qtypes_and_the_format_adapters():
    """Adding a type touches its own module: nothing else keys behaviour on a type's name."""
    found = {
        (str(path.relative_to(PACKAGE)), name)
        for path in PACKAGE.rglob("*.py")
        if not str(path.relative_to(PACKAGE)).startswith(OWNERS)
        for name in literals(path)
    }
    assert found - HOMONYMS == set()


def test_templates_name_no_type_outside_the_question_partials():
    """Pages ask the registry (the `question_types` global) for labels and traits, never compare type names."""
    quoted = re.compile("[\"'](" + "|".join(map(re.escape, qtypes.TYPES)) + ")[\"']")
    templates = PROJECT / "templates"
    found = [
        (str(path.relative_to(templates)), match.group(1))
        for path in templates.rglob("*.html")
        if path.relative_to(templates).parts[0] != "questions"
        for match in quoted.finditer(path.read_text())
    ]
    assert found == []


def test_every_registered_type_has_a_sample_here():
    """The hook tests below cover every type in the registry."""
    assert list(SAMPLES) == list(qtypes.TYPES)
    assert all(qtypes.get(name).name == name for name in qtypes.TYPES)


def test_an_unknown_type_is_refused_as_before_with_every_name():
    """The schema names the registered types, in menu order, as a Literal of them would."""
    with pytest.raises(ValidationError) as caught:
        q(type="essay")
    error = caught.value.errors()[0]
    assert (error["type"], error["loc"]) == ("literal_error", ("type",))
    assert error["msg"] == "Input should be 'single', 'multiple', 'true_false', 'ordering' or 'numeric'"


@pytest.mark.parametrize(
    ("question", "right", "wrong", "partial"),
    [
        (SINGLE, {"choice": 0}, {"choice": 2}, None),
        (MULTI, {"choices": [0, 1]}, {"choices": [2, 3]}, ({"choices": [1]}, Fraction(1, 2))),
        (TF, {"value": False}, {"value": True}, None),
        (ORDER, {"order": [0, 1, 2, 3]}, {"order": [1, 0, 2, 3]}, None),
        (ORDER_PARTIAL, {"order": [0, 1, 2, 3]}, {"order": [3, 2, 1, 0]}, ({"order": [1, 0, 2, 3]}, Fraction(1, 2))),
        (NUM, {"value": "6.5"}, {"value": "7"}, None),
        (RANGE, {"value": "100"}, {"value": "99"}, None),
    ],
)
def test_fraction_on_right_wrong_and_partial_answers(question, right, wrong, partial):
    """Each type gives full credit to the key, none to a wrong answer, and its share to a partial one."""
    kind = qtypes.get(question.type)
    assert kind.fraction(question, kind.normalise(question, right)) == 1
    assert kind.fraction(question, kind.normalise(question, wrong)) == 0
    if partial is not None:
        assert kind.fraction(question, kind.normalise(question, partial[0])) == partial[1]


@pytest.mark.parametrize(
    ("question", "key", "answer", "text"),
    [
        (SINGLE, "a", {"choice": 1}, "b"),
        (MULTI, "a; b", {"choices": [0, 2]}, "a; c"),
        (TF, "False", {"value": True}, "True"),
        (ORDER, "1 > 2 > 3 > 4", {"order": [1, 0, 2, 3]}, "2 > 1 > 3 > 4"),
        (NUM, "5.5 to 6.5", {"value": "6"}, "6"),
        (q(type="numeric", answer={"value": 30, "unit": "a minute"}), "30 a minute", {"value": "29"}, "29 a minute"),
    ],
)
def test_key_and_answer_text(question, key, answer, text):
    """Each type writes its key and an answer as readable text."""
    kind = qtypes.get(question.type)
    assert (kind.key_text(question), kind.answer_text(question, answer)) == (key, text)


def formdata(data: dict) -> MultiDict:
    """Return answer form data as a browser would post it (one value per ticked box)."""
    posted = MultiDict()
    for name, value in data.items():
        for one in value if isinstance(value, list) else [value]:
            posted.add(name, one)
    return posted


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        (SINGLE, {"choice": 2}),
        (MULTI, {"choices": [1, 3]}),
        (TF, {"value": True}),
        (TF, {"value": False}),
        (ORDER, {"order": [2, 0, 3, 1]}),
        (NUM, {"value": "6.25"}),
    ],
)
def test_answer_form_round_trip(question, answer):
    """An answer shown in the type's answer fields (in a shuffled order) and posted back is the same answer."""
    kind = qtypes.get(question.type)
    order = kind.shown_order(len(question.choices or ()), True, random.Random(3))
    form_class = type("AnswerForm", (Form,), kind.answer_fields(question, order))
    form = form_class(formdata(kind.answer_form_data(question, order, answer)))
    assert form.validate(), form.errors
    assert kind.answer_from_form(question, order, form) == answer


@pytest.mark.parametrize("name", list(SAMPLES))
def test_a_blank_answer_form_is_no_answer(name):
    """Nothing posted is no answer, for every type."""
    question, kind = SAMPLES[name], qtypes.get(name)
    order = kind.shown_order(len(question.choices or ()), False, random.Random(3))
    form = type("AnswerForm", (Form,), kind.answer_fields(question, order))(MultiDict())
    assert kind.answer_from_form(question, order, form) is None


@pytest.mark.parametrize(
    "question",
    [
        SINGLE.model_copy(update={"shuffle": False}),
        MULTI.model_copy(update={"scoring": "all_or_nothing"}),
        q(type="multiple", choices=[{"text": "a", "correct": True, "feedback": "Y"}, {"text": "b", "feedback": "N"}]),
        TF.model_copy(update={"feedback": "It is false."}),
        ORDER_PARTIAL,
        NUM,
        q(type="numeric", answer={"min": 100, "max": 120, "unit": "per minute"}, feedback="Too slow or fast."),
    ],
)
def test_authoring_form_round_trip(app, question):
    """A question shown in the authoring form and saved unchanged is the same question."""
    with app.test_request_context("/author"):
        form = question_forms.QuestionForm(formdata=None, data=question_forms.initial(question))
        data, _rows = question_data.to_data(form, question.key, question)
    assert Question.model_validate(data) == question


def test_choice_traits_come_from_the_registry():
    """Which types list choices, keep their order as the key and offer a scoring choice."""
    traits = {name: (t.choices, t.ordered, t.default_scoring) for name, t in qtypes.TYPES.items()}
    assert traits == {
        "single": (True, False, None),
        "multiple": (True, False, "partial"),
        "true_false": (False, False, None),
        "ordering": (True, True, "all_or_nothing"),
        "numeric": (False, False, None),
    }
