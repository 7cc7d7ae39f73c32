"""The recipe in docs/qtypes.md, proved: a sixth type defined here (one class, one partial) works with nothing else."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from jinja2 import ChoiceLoader, FileSystemLoader
from pydantic import ValidationError
from werkzeug.datastructures import MultiDict
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from quizapp import qtypes
from quizapp.banks.schema import Question
from quizapp.forms import answer as answer_forms
from quizapp.forms import shown as shown_forms
from quizapp.qtypes.base import AnswerError, QuestionType, answer_value
from quizapp.taking import grading, marks, sitting
from tests.conftest import DATA

WORDS = {True: "Yes", False: "No"}


class YesNo(QuestionType):
    """A yes/no question: its key is a boolean `answer`, answered with two radio buttons."""

    name = "yes_no"
    label = "Yes or no"
    short_label = "Yes/no"
    editor = "questions/editors/true_false.html"  # authors write it as a true/false key

    def check(self, q: Question) -> None:
        """A boolean answer and no choices."""
        if q.choices or not isinstance(q.answer, bool):
            raise ValueError("a yes_no question needs answer: true or false, and no choices")

    def normalise(self, q: Question, answer: dict) -> dict:
        """Return {"value": bool}."""
        if not isinstance(answer["value"], bool):
            raise AnswerError("Choose yes or no.")
        return {"value": answer["value"]}

    def fraction(self, q: Question, answer: dict) -> Fraction:
        """Full credit for the key."""
        return Fraction(int(answer["value"] is q.answer))

    def answer_text(self, q: Question, answer: dict) -> str:
        """Return Yes or No."""
        return WORDS[answer["value"]]

    def key_text(self, q: Question) -> str:
        """Return Yes or No."""
        return WORDS[q.answer]

    def answer_fields(self, q: Question, order: list[int] | None) -> dict:
        """Two radio buttons."""
        choices = [SelectChoice("yes", "Yes"), SelectChoice("no", "No")]
        return {"answer": RadioField("Yes or no?", choices=choices, validators=[Optional()])}

    def answer_form_data(self, q: Question, order: list[int] | None, answer: dict) -> dict:
        """Check the saved button."""
        return {"answer": "yes" if answer["value"] else "no"}

    def answer_from_form(self, q: Question, order: list[int] | None, form) -> dict | None:
        """Return the value picked."""
        data = answer_value(form)
        return None if data is None else {"value": data == "yes"}

    def author_data(self, form, current: Question | None) -> tuple[dict, list[int]]:
        """Return the key from the true/false editor's buttons."""
        return {"answer": {"true": True, "false": False}.get(form.tf_answer.data)}, []

    def simulated_answer(self, q: Question, rng: random.Random, right: bool, lures: list[float]) -> dict:
        """Give the key, or its opposite."""
        return {"value": q.answer is right}


@pytest.fixture
def yes_no(app):
    """Register the yes/no type and its partial (kept under tests/data/templates) for one test."""
    qtypes.TYPES[YesNo.name] = YesNo()
    app.jinja_env.loader = ChoiceLoader([app.jinja_env.loader, FileSystemLoader(DATA / "templates")])
    yield qtypes.TYPES[YesNo.name]
    del qtypes.TYPES[YesNo.name]


def question(**fields) -> Question:
    """Build a yes/no question."""
    return Question.model_validate(
        {"key": "yn-1", "type": "yes_no", "stem": "Is the scene safe?", "explanation": "e", "reference": "r", **fields}
    )


def test_the_schema_accepts_the_new_type_and_applies_its_check(yes_no):
    """The bank schema knows the type from the registry, and its own rule refuses a question without a key."""
    assert question(answer=True).type == "yes_no"
    with pytest.raises(ValidationError, match="needs answer: true or false"):
        question()
    with pytest.raises(ValidationError, match="scoring applies only to multiple and ordering, not yes_no"):
        question(answer=True, scoring="partial")


def test_the_new_type_is_unknown_once_removed(app):
    """The fixture leaves the registry as it found it."""
    assert "yes_no" not in qtypes.TYPES
    with pytest.raises(ValidationError, match="Input should be 'single'"):
        question(answer=True)


def test_grading_and_feedback_use_the_new_type(yes_no):
    """Scoring, texts and the learner's feedback all come from the type's hooks."""
    q = question(answer=False, feedback="Check for danger first.", points=2)
    right, wrong = grading.normalise(q, {"value": False}), grading.normalise(q, {"value": True})
    assert (grading.score(q, right), grading.score(q, wrong)) == (2.0, 0.0)
    assert (grading.key_text(q), grading.answer_text(q, wrong)) == ("No", "Yes")
    assert sitting.picked_feedback(q, wrong) == ["Check for danger first."]
    assert (marks.options(q, wrong, None), marks.ordering(q, wrong)) == ((), None)
    with pytest.raises(AnswerError, match="Choose yes or no"):
        grading.normalise(q, {"value": "maybe"})


def test_the_question_macro_renders_the_new_partial_and_its_answer_form_round_trips(app, yes_no):
    """The learner's question shows the type's own partial; the posted form gives back the answer."""
    q = question(answer=True)
    with app.test_request_context("/attempts/x/questions/1", method="POST", data={"answer": "no"}):
        form = shown_forms.shown(q, None, {"value": True}, False)
        html = app.jinja_env.get_template("_macros/question.html").module.render_question(q, form, 1, 3)
        posted = answer_forms.build(q, None, None, MultiDict({"answer": "no"}))
        assert posted.validate()
        assert answer_forms.to_answer(q, None, posted) == {"value": False}
    assert '<p class="hint yes-no" id="how-1">Yes or no?</p>' in html
    assert html.count('class="yes-no-option"') == 2
    assert '<input checked id="answer-0" name="answer" type="radio" value="yes">' in html
    assert "Question 1 of 3" in html
