"""Per-process caches on the hot paths never serve content older than the version (and database) asked for."""

from sqlalchemy import select, update

from quizapp.banks import sync
from quizapp.extensions import db
from quizapp.forms import answer as answer_forms
from quizapp.models import PoolStamp, Question, QuestionVersion
from quizapp.taking.drawing import pool
from tests.taking.helpers import form_for, layout, start


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


def pool_token() -> str | None:
    """Return the pool stamp's token."""
    return db.session.scalar(select(PoolStamp.token))


def test_the_pool_stamp_changes_with_each_committed_change_to_banks_or_questions(app, demo):
    with app.app_context():
        question = db.session.execute(select(Question).where(Question.key == "demo-single")).scalar_one()
        seen = [pool_token()]
        assert seen[0] is not None  # the import changed the pool
        question.status = "draft"
        db.session.commit()
        seen.append(pool_token())
        assert question.status == "draft"
        question.status = "draft"  # the same value again (as a sync of an unchanged file sets it): nothing changed
        db.session.commit()
        assert pool_token() == seen[-1]
        db.session.execute(update(Question).where(Question.id == question.id).values(retired=True))
        db.session.commit()
        seen.append(pool_token())
        question.bank.topic = "elsewhere"
        db.session.rollback()  # a change rolled back leaves the token
        assert pool_token() == seen[-1]
        sync.add_version(question, question.current_version.spec().model_copy(update={"tags": ["t"]}), "", None, "x")
        db.session.commit()
        seen.append(pool_token())
        assert len(set(seen)) == len(seen), seen


def test_starting_attempts_leaves_the_pool_stamp(app, learner):
    with app.app_context():
        token = pool_token()
    pid = start(learner, "demo-exam")
    slot, version = layout(app, pid)[0]
    learner.post(f"/attempts/{pid}/questions/1/autosave", data=form_for(slot, version))
    learner.post(f"/attempts/{pid}/submit")
    with app.app_context():
        assert pool_token() == token


def test_starts_follow_pool_changes_committed_after_the_pool_was_cached(app, auth, demo):
    start(auth.sign_in("learner", "first@example.org"))  # this worker now holds the quiz's pool
    with app.app_context():
        question = db.session.execute(select(Question).where(Question.key == "demo-single")).scalar_one()
        spec = question.current_version.spec().model_copy(update={"tags": ["edited"]})
        edited = sync.add_version(question, spec, "", None, "test").id
        db.session.commit()
    second = auth.sign_in("learner", "second@example.org", client=app.test_client())
    assert edited in [version.id for _, version in layout(app, start(second))]
    with app.app_context():
        db.session.execute(update(Question).where(Question.key == "demo-single").values(retired=True))
        db.session.commit()
    third = auth.sign_in("learner", "third@example.org", client=app.test_client())
    refused = third.post("/quizzes/demo-exam/start")  # 4 questions left for a draw of 5
    assert refused.status_code == 303 and refused.headers["Location"].endswith("/quizzes/demo-exam")
