"""Per-process caches on the hot paths never serve content older than the version (and database) asked for."""

from sqlalchemy import select, update

from quizapp.banks import sync
from quizapp.extensions import db
from quizapp.forms import answer as answer_forms
from quizapp.models import Question, QuestionVersion
from quizapp.taking import pool


def tags_of(key: str) -> frozenset[str]:
    """Return the draw candidate's tags for the question with `key`."""
    question_id = db.session.scalar(select(Question.id).where(Question.key == key))
    return next(c.tags for c in pool.candidates() if c.question_id == question_id)


def test_candidates_follow_a_new_version(app, demo):
    with app.app_context():
        question = db.session.execute(select(Question).where(Question.key == "demo-single")).scalar_one()
        assert "edited" not in tags_of("demo-single")
        spec = question.current_version.spec()
        sync.add_version(question, spec.model_copy(update={"tags": ["edited"]}), "", None, "test")
        assert tags_of("demo-single") == {"edited"}


def test_candidates_follow_other_content_under_the_same_version_id(app, demo):
    """Another database may reuse a version id for other content: the content hash tells them apart."""
    with app.app_context():
        version = db.session.execute(
            select(QuestionVersion)
            .join(Question, Question.current_version_id == QuestionVersion.id)
            .where(Question.key == "demo-single")
        ).scalar_one()
        tags_of("demo-single")  # cached
        content = {**version.content, "tags": ["elsewhere"]}
        db.session.execute(
            update(QuestionVersion)
            .where(QuestionVersion.id == version.id)
            .values(content=content, content_hash="other")
        )
        assert tags_of("demo-single") == {"elsewhere"}


def test_answer_form_classes_are_shared_per_question_and_order(app, demo):
    with app.test_request_context():
        version = db.session.execute(
            select(QuestionVersion).where(QuestionVersion.type == "single").limit(1)
        ).scalar_one()
        q = version.spec()
        order = list(range(len(q.choices)))
        assert answer_forms.form_class(q, order) is answer_forms.form_class(q, list(order))
        labels = [c.label for c in answer_forms.build(q, order, None).answer.iter_choices()]
        reversed_labels = [c.label for c in answer_forms.build(q, order[::-1], None).answer.iter_choices()]
        assert reversed_labels == labels[::-1]
        other = q.model_copy()
        assert answer_forms.form_class(other, order) is not answer_forms.form_class(q, order)
