"""taking.catalog: the published quizzes with the viewer's open attempts, and the learner's history."""

from __future__ import annotations

from quizapp.extensions import db
from quizapp.taking import attempts, catalog
from tests.taking.support import import_topics, person, quiz, sit


def test_the_catalog_lists_only_published_quizzes_by_title(app):
    import_topics(app)
    with app.app_context():
        listed = catalog.entries(None)
        assert [e.quiz.slug for e in listed] == [
            "airway-drill", "airway-practice", "compressions-intake", "mixed-exam", "mixed-practice"
        ]  # by title ("A later airway drill" first); "compressions-hidden" is unpublished
        counts = {e.quiz.slug: e.question_count for e in listed}
        assert counts["mixed-exam"] == 4 and counts["mixed-practice"] == 2 and counts["airway-drill"] == 1
        assert all(e.resume is None and e.resume_id is None for e in listed)


def test_a_quiz_unpublished_later_leaves_the_catalog(app, demo):
    with app.app_context():
        quiz("demo-timed").published = False
        db.session.flush()
        assert [e.quiz.slug for e in catalog.entries(None)] == ["demo-exam", "demo-practice"]


def test_each_learner_sees_only_their_own_open_attempt(app, demo):
    with app.app_context():
        lee, kim = person("lee@example.org"), person("kim@example.org")
        mine = attempts.start(quiz("demo-exam"), lee)
        sit("demo-practice", lee, [True] * 5)  # finished: nothing to resume
        resume = {e.quiz.slug: e.resume_id for e in catalog.entries(lee)}
        assert resume == {"demo-exam": mine.public_id, "demo-practice": None, "demo-timed": None}
        assert all(e.resume is None for e in catalog.entries(kim))


def test_history_groups_attempts_by_quiz_with_the_grade_that_counts(app, demo):
    with app.app_context():
        lee = person("lee@example.org")
        sit("demo-exam", lee, [True, True, False, False, False])
        sit("demo-exam", lee, [True, True, True, True, False])
        sit("demo-practice", lee, [True] * 5)
        attempts.start(quiz("demo-exam"), lee)  # open: listed, but not graded
        sit("demo-exam", person("kim@example.org"), [True] * 5)
        rows = catalog.history(lee)
        assert [r.quiz.slug for r in rows] == ["demo-exam", "demo-practice"]  # the newest activity first
        exam = rows[0]
        assert [a.number for a in exam.attempts] == [1, 2, 3]
        assert (exam.method, exam.grade) == ("highest", 80.0)
        assert catalog.history(person("new@example.org")) == []
