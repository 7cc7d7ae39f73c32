"""The quiz builder's excluded tags, and draw rules that exclusion groups make impossible."""

from __future__ import annotations

import re

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Quiz
from tests.authoring.test_quiz_builder import NEW, quiz_form
from tests.conftest import DATA, import_paths


def settings_of(app, slug: str = "adult-check") -> dict | None:
    """Return a stored quiz's settings, or None."""
    with app.app_context():
        quiz = db.session.execute(select(Quiz).where(Quiz.slug == slug)).scalar_one_or_none()
        return None if quiz is None else dict(quiz.settings)


def test_excluded_tags_are_saved_and_shown_again(app, instructor):
    form = quiz_form(**{"draw-0-tags": "", "draw-0-exclude_tags": "Provider, trivia", "draw-0-count": "3"})
    response = instructor.post(NEW, data=form)
    assert response.status_code == 303, response.get_data(as_text=True)
    draw = settings_of(app)["draw"]
    assert draw[0] == {"bank": "demo", "tags": [], "exclude_tags": ["provider", "trivia"], "count": 3}
    assert "exclude_tags" not in draw[1]
    page = instructor.get("/author/quizzes/adult-check/edit").get_data(as_text=True)
    assert re.search(r"<input[^>]*name=\"draw-0-exclude_tags\"[^>]*value=\"provider, trivia\"", page)


def test_excluding_leaves_too_few_or_contradicts_the_tags(app, instructor):
    response = instructor.post(NEW, data=quiz_form(**{"draw-0-exclude_tags": "provider", "draw-0-count": "4"}))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Rule 1 asks for 4 questions from bank &#39;demo&#39; tagged adult, except those tagged provider" in html
    response = instructor.post(NEW, data=quiz_form(**{"draw-0-exclude_tags": "adult"}))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert (
        '<p class="error" id="draw-0-exclude_tags-error">Tag &#39;adult&#39; is both required and excluded.</p>' in html
    )
    assert settings_of(app) is None


def test_a_rule_that_groups_make_impossible_is_refused_with_the_reason(app, instructor, tmp_path):
    grouped = (
        (DATA / "demo-bank.yaml").read_text().replace("    tags: [adult", "    group: same-fact\n    tags: [adult")
    )
    (tmp_path / "demo-bank.yaml").write_text(grouped)
    import_paths(app, tmp_path / "demo-bank.yaml")
    form = quiz_form(**{"draw-0-tags": "", "draw-0-count": "3", "draw-1-count": ""})
    form = {k: v for k, v in form.items() if not k.startswith("draw-1")}
    response = instructor.post(NEW, data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert (
        "Rule 1 asks for 3 questions from bank &#39;demo&#39;, but only 2 can be drawn: an attempt holds at most one"
        " question of each exclusion group (same-fact) right now." in html
    )
    assert settings_of(app) is None
