"""The quiz builder: create, edit, publish; rules added and removed without script; QuizSpec validation."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from quizapp.authoring import quiz_builder
from quizapp.banks.schema import QuizSpec
from quizapp.extensions import db
from quizapp.models import Attempt, Quiz
from tests.conftest import count, login, make_user
from tests.support import csrf_token
from tests.taking.helpers import start

NEW = "/author/quizzes/new"


def quiz_form(**changes) -> dict:
    """Return a valid builder form post: 3 demo questions tagged adult, then 2 from any bank."""
    form = {
        "slug": "adult-check",
        "title": "Adult check",
        "description": "A short check.",
        "draw-0-bank": "demo",
        "draw-0-tags": "adult",
        "draw-0-count": "3",
        "draw-1-bank": "",
        "draw-1-tags": "",
        "draw-1-count": "2",
        "pass_percent": "75",
        "time_limit_minutes": "",
        "attempts_allowed": "3",
        "grading": "latest",
        "feedback": "immediate",
        "review": "correctness",
        "shuffle_questions": "y",
        "save": "Save quiz",
    }
    return {k: v for k, v in {**form, **changes}.items() if v is not None}


def stored(app, slug: str = "adult-check") -> Quiz | None:
    """Load a quiz by slug, detached with its settings."""
    with app.app_context():
        quiz = db.session.execute(select(Quiz).where(Quiz.slug == slug)).scalar_one_or_none()
        if quiz is not None:
            db.session.expunge(quiz)
        return quiz


def test_form_is_accessible_and_for_instructors_only(app, client, instructor):
    html = instructor.get(NEW).get_data(as_text=True)
    for legend in ("About the quiz", "Draw rules", "Rule 1", "Scoring and attempts", "Feedback and review", "Options"):
        assert f"<legend>{legend}</legend>" in html
    assert '<label for="draw-0-bank">Bank</label>' in html and '<option value="demo">Demo bank</option>' in html
    assert 'name="add_rule"' in html and 'name="remove_rule"' not in html
    make_user(app, "lee@example.org")
    learner = app.test_client()
    login(learner, "lee@example.org")
    assert learner.get("/author/quizzes").status_code == 403
    assert learner.post(NEW, data=quiz_form()).status_code == 403
    assert count(app, Quiz) == 3


def test_create_stores_the_validated_spec(app, instructor):
    response = instructor.post(NEW, data=quiz_form())
    assert response.status_code == 303 and response.headers["Location"].endswith("/author/quizzes/adult-check/edit")
    quiz = stored(app)
    spec = QuizSpec.model_validate(quiz.settings)
    assert quiz.settings == spec.model_dump(mode="json") and quiz.title == "Adult check"
    assert [(r.bank, r.tags, r.count) for r in spec.draw] == [("demo", ["adult"], 3), (None, [], 2)]
    assert (spec.pass_percent, spec.time_limit_minutes, spec.attempts_allowed) == (75, None, 3)
    assert (spec.grading, spec.feedback, spec.review) == ("latest", "immediate", "correctness")
    assert (spec.shuffle_questions, spec.shuffle_choices, spec.intake, spec.published) == (True, False, False, False)
    assert quiz.published is False
    assert "saved (not published)" in instructor.get(response.headers["Location"]).get_data(as_text=True)


def test_rules_are_added_and_removed_by_buttons(app, instructor):
    added = instructor.post(NEW, data=quiz_form(save=None, add_rule="Add a draw rule"))
    html = added.get_data(as_text=True)
    assert added.status_code == 200 and "<legend>Rule 3</legend>" in html and 'value="adult"' in html
    assert html.count('name="remove_rule"') == 3
    removed = instructor.post(NEW, data=quiz_form(save=None, remove_rule="0"))
    html = removed.get_data(as_text=True)
    assert "<legend>Rule 2</legend>" not in html and 'value="adult"' not in html and 'name="remove_rule"' not in html
    assert count(app, Quiz) == 3


def test_rule_limits(app, instructor):
    single = {k: v for k, v in quiz_form(save=None, remove_rule="0").items() if not k.startswith("draw-1")}
    html = instructor.post(NEW, data=single).get_data(as_text=True)
    assert "<legend>Rule 1</legend>" in html  # the last rule stays
    many = quiz_form(save=None, add_rule="1")
    many |= {f"draw-{i}-count": "1" for i in range(2, 20)}
    html = instructor.post(NEW, data=many).get_data(as_text=True)
    assert "A quiz can have at most 20 draw rules." in html and "<legend>Rule 21</legend>" not in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"slug": "Adult Check"}, "slug", quiz_builder.SLUG_HELP),
        ({"slug": ""}, "slug", quiz_builder.SLUG_HELP),
        ({"slug": "demo-exam"}, "slug", "Another quiz already uses the slug &#39;demo-exam&#39;."),
        ({"title": ""}, "title", "This is required."),
        ({"pass_percent": "150"}, "pass_percent", "Input should be less than or equal to 100."),
        ({"pass_percent": "lots"}, "pass_percent", "Not a valid float value."),
        ({"time_limit_minutes": "0"}, "time_limit_minutes", "Input should be greater than or equal to 1."),
        ({"draw-0-count": "abc"}, "draw-0-count", "Not a valid integer value."),
        ({"draw-1-count": ""}, "draw-1-count", "This is required."),
        ({"draw-0-count": "0"}, "draw-0-count", "Input should be greater than or equal to 1."),
        ({"draw-0-bank": "nowhere"}, "draw-0-bank", "Choose one of the banks listed."),
        ({"grading": "best"}, "grading", "Not a valid choice."),
    ],
)
def test_invalid_values_are_shown_on_their_field(app, instructor, changes, field, message):
    response = instructor.post(NEW, data=quiz_form(**changes))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "The quiz was not saved." in html
    assert f'<p class="error" id="{field}-error">{message}</p>' in html
    if field not in ("grading",):
        assert f'aria-describedby="{field}-error"' in html or f'aria-describedby="{field}-hint {field}-error"' in html
    assert stored(app) is None


def test_rules_that_cannot_be_met_now_are_refused(app, instructor):
    response = instructor.post(NEW, data=quiz_form(**{"draw-0-count": "4", "draw-0-tags": "adult, lay"}))
    html = response.get_data(as_text=True)
    assert (
        response.status_code == 422
        and 'id="draw-errors"' in html
        and 'aria-describedby="draw-help draw-errors"' in html
    )
    assert "Rule 1 asks for 4 questions from bank &#39;demo&#39; tagged adult, lay, but 2 exist right now." in html
    response = instructor.post(NEW, data=quiz_form(**{"draw-1-count": "3"}))
    assert "Rule 2 asks for 3 questions from all banks, but 2 exist right now." in response.get_data(as_text=True)
    assert stored(app) is None


def test_edit_changes_settings_but_not_started_attempts(app, client, instructor):
    make_user(app, "lee@example.org")
    learner = app.test_client()
    login(learner, "lee@example.org")
    public_id = start(learner, "demo-exam")
    with app.app_context():
        layout = db.session.execute(select(Attempt.layout)).scalar_one()
    page = instructor.get("/author/quizzes/demo-exam/edit").get_data(as_text=True)
    assert 'value="Demo exam"' in page and "1 attempt is in progress" in page
    form = quiz_form(slug="demo-exam", title="Demo exam, shorter", **{"draw-0-tags": "", "draw-0-count": "2"})
    form.pop("draw-1-count"), form.pop("draw-1-bank"), form.pop("draw-1-tags")
    assert instructor.post("/author/quizzes/demo-exam/edit", data=form).status_code == 303
    quiz = stored(app, "demo-exam")
    assert quiz.title == "Demo exam, shorter" and quiz.spec().draw[0].count == 2
    with app.app_context():
        assert db.session.execute(select(Attempt.layout)).scalar_one() == layout
    assert learner.get(f"/attempts/{public_id}/questions/5").status_code == 200
    assert instructor.get("/author/quizzes/nowhere/edit").status_code == 404


def test_publish_toggles_and_refuses_an_undrawable_quiz(app, instructor):
    instructor.post(NEW, data=quiz_form())
    assert client_sees(app, "Adult check") is False
    response = instructor.post("/author/quizzes/adult-check/publish", data={"published": "1"})
    assert response.status_code == 303 and stored(app).published is True
    assert stored(app).settings["published"] is True and client_sees(app, "Adult check") is True
    assert "is now published" in instructor.get("/author/quizzes").get_data(as_text=True)
    instructor.post("/author/quizzes/adult-check/publish", data={"published": "0"})
    assert stored(app).published is False and stored(app).settings["published"] is False
    with app.app_context():
        quiz = db.session.execute(select(Quiz).where(Quiz.slug == "adult-check")).scalar_one()
        quiz.settings = {**quiz.settings, "draw": [{"bank": "demo", "count": 40}]}
        db.session.commit()
    instructor.post("/author/quizzes/adult-check/publish")
    assert stored(app).published is False
    assert "cannot be published" in instructor.get("/author/quizzes").get_data(as_text=True)


def client_sees(app, title: str) -> bool:
    """Whether an anonymous visitor finds the quiz in the catalog."""
    return title in app.test_client().get("/").get_data(as_text=True)


def test_list_shows_every_quiz_with_attempts_and_actions(app, instructor):
    make_user(app, "lee@example.org")
    learner = app.test_client()
    login(learner, "lee@example.org")
    start(learner, "demo-exam")
    html = instructor.get("/author/quizzes").get_data(as_text=True)
    assert "Demo exam" in html and "1 (1 in progress)" in html
    assert 'action="/author/quizzes/demo-exam/publish"' in html and "Unpublish<span" in html
    assert 'href="/author/quizzes/demo-exam/preview"' in html


def test_builder_posts_need_a_csrf_token(app, csrf_instructor):
    assert csrf_instructor.post(NEW, data=quiz_form()).status_code == 303 and stored(app) is None
    assert csrf_instructor.post("/author/quizzes/demo-exam/publish", data={"published": "0"}).status_code == 303
    assert stored(app, "demo-exam").published is True
    data = {**quiz_form(), "csrf_token": csrf_token(csrf_instructor, NEW)}
    assert csrf_instructor.post(NEW, data=data).status_code == 303
    assert stored(app) is not None


def test_a_quiz_focused_on_weakest_topics_needs_banked_rules_and_keeps_the_setting(app, instructor):
    refused = instructor.post(NEW, data=quiz_form(focus_weakest="y"))
    assert refused.status_code == 422 and stored(app) is None
    message = "<li>A quiz that focuses on weakest topics needs a bank in every draw rule.</li>"
    assert message in refused.get_data(as_text=True)
    banked = quiz_form(focus_weakest="y", **{"draw-1-bank": "demo", "draw-0-tags": ""})
    assert instructor.post(NEW, data=banked).status_code == 303
    assert stored(app).settings["focus_weakest"] is True
    page = instructor.get("/author/quizzes/adult-check/edit").get_data(as_text=True)
    assert '<input checked id="focus_weakest" name="focus_weakest" type="checkbox" value="y">' in page
    assert instructor.post("/author/quizzes/adult-check/publish", data={"published": "1"}).status_code == 303
    assert stored(app).published is True and stored(app).settings["focus_weakest"] is True
    preview = instructor.get("/author/quizzes/adult-check/preview").get_data(as_text=True)
    assert "each learner's draw moves the counts toward their weakest topics" in preview
