"""taking.home: the learner's open attempts, last result, its advice and the practice quiz for the weakest topic."""

from __future__ import annotations

from quizapp.taking import attempts, catalog, home
from tests.taking.support import import_topics, person, quiz, sit


def catalog_quizzes():
    """Return the published quizzes as the home page has them."""
    return [entry.quiz for entry in catalog.entries(None)]


def test_weak_topics_are_those_below_the_pass_mark_weakest_first(app):
    import_topics(app)
    with app.app_context():
        lee = person()
        attempt = sit("mixed-exam", lee, [True, False, True, True])  # airway 50 %, compressions 100 %
        assert attempt.topic_scores == {"airway": 50.0, "compressions": 100.0}
        assert home.weak_topics(attempt) == ["airway"]
        worse = sit("mixed-exam", person("kim@example.org"), [True, False, False, None])
        assert worse.topic_scores == {"airway": 50.0, "compressions": 0.0}
        assert home.weak_topics(worse) == ["compressions", "airway"]


def test_with_a_recommendation_its_review_topics_are_the_weak_ones(app):
    import_topics(app)
    with app.app_context():
        attempt = sit("mixed-exam", person(), {"airway": False, "compressions": True})
        # The track's readiness marks stand instead of the quiz's pass mark, topics without a score are dropped.
        attempt.recommendation = {"review_topics": ["compressions", "defibrillation"]}
        assert home.weak_topics(attempt) == ["compressions"]
        attempt.recommendation = {"review_topics": []}
        assert home.weak_topics(attempt) == []
        assert home.suggested_practice(attempt, catalog_quizzes()) is None


def test_the_practice_suggested_is_for_the_weakest_topic_that_has_one(app):
    import_topics(app)
    with app.app_context():
        attempt = sit("mixed-exam", person(), [False, True, False, False])  # compressions 0 %, airway 50 %
        practice = home.suggested_practice(attempt, catalog_quizzes())
        # Compressions is weaker but has no practice quiz (its only one asks an intake): airway's is offered.
        assert (practice.quiz.slug, practice.topic, practice.label, practice.score) == (
            "airway-practice", "airway", "Airway and breathing", 50.0
        )
        assert home.suggested_practice(sit("mixed-exam", person("kim@example.org"), [True] * 4), []) is None


def test_summary_has_open_attempts_the_last_result_and_the_last_advice(app):
    import_topics(app)
    with app.app_context():
        lee = person()
        advised = sit("mixed-exam", lee, {"airway": False, "compressions": True})
        advised.recommendation = {"track": "bls", "review_topics": ["airway"]}
        last = sit("airway-practice", lee, [True, True])
        first_open = attempts.start(quiz("mixed-practice"), lee)
        second_open = attempts.start(quiz("airway-drill"), lee)
        summary = home.summary(lee, catalog.entries(lee))
        assert summary.in_progress == [first_open, second_open]  # oldest first
        assert summary.last == last and summary.advised == advised  # the last one carries no advice
        assert summary.practice is None  # the last result has no weak topic
        nobody = home.summary(person("new@example.org"), catalog.entries(None))
        assert nobody == home.Home([], None, None, None, None)  # no mixed practice quiz published here
