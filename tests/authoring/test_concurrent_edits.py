"""A save based on a version that another save replaced is refused with the form and a message, never a 500."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from quizapp.authoring import editing
from quizapp.extensions import db
from quizapp.models import Question, User
from tests.authoring.helpers import read_form
from tests.authoring.test_author_questions import current, version_count
from tests.conftest import INSTRUCTOR


def test_a_save_overtaken_after_its_page_checks_is_refused_by_the_service(app, instructor):
    mine = read_form(instructor.get("/author/questions/demo-tf/edit").get_data(as_text=True))
    with app.app_context():
        # This request has read the question (version 1) and passed the form's checks...
        question = db.session.execute(select(Question).where(Question.key == "demo-tf")).scalar_one()
        spec = question.current_version.spec().model_copy(update={"stem": "My wording."})
        assert question.current_version.number == 1
        # ...when another request saves version 2 and commits.
        assert instructor.post("/author/questions/demo-tf/edit", data={**mine, "stem": "Theirs."}).status_code == 303
        user = db.session.execute(select(User).where(User.email == INSTRUCTOR)).scalar_one()
        with pytest.raises(editing.QuestionChanged, match=r"Someone saved version 2 .* you opened version 1"):
            editing.save_question(question, spec, user, base=1)
        db.session.rollback()
    assert version_count(app, "demo-tf") == 2 and current(app, "demo-tf")[2].stem == "Theirs."


def test_a_save_from_the_current_version_still_works(app, instructor):
    with app.app_context():
        question = db.session.execute(select(Question).where(Question.key == "demo-tf")).scalar_one()
        spec = question.current_version.spec().model_copy(update={"stem": "New wording."})
        user = db.session.execute(select(User).where(User.email == INSTRUCTOR)).scalar_one()
        assert editing.save_question(question, spec, user, base=1).number == 2
        db.session.commit()
