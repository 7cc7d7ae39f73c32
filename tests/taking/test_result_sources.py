"""taking.result_sources: what the result page reads from the database (practice quizzes, names, attempts left)."""

from __future__ import annotations

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import AttemptStatus, Bank, Quiz
from quizapp.taking import attempts, result_sources
from tests.taking.support import import_topics, person, quiz, sit

TOPIC_OF = {"airway": "airway", "compressions": "compressions"}


def _quizzes(*, published_only: bool = True) -> list[Quiz]:
    """Return the imported quizzes (the published ones unless asked otherwise), as the callers pass them."""
    stmt = select(Quiz).order_by(Quiz.title)
    return list(db.session.scalars(stmt.where(Quiz.published.is_(True)) if published_only else stmt))


def test_practice_is_the_oldest_immediate_quiz_without_intake_on_one_topic(app):
    import_topics(app)
    with app.app_context():
        # "A later airway drill" sorts first by title but was added after "Airway practice": the older one wins.
        # Compressions has only a quiz with an intake (not practice); mixed quizzes span two topics.
        assert result_sources.practice_quizzes(_quizzes(), TOPIC_OF) == {"airway": "airway-practice"}
        everything = result_sources.practice_quizzes(_quizzes(published_only=False), TOPIC_OF)
        assert everything == {"airway": "airway-practice", "compressions": "compressions-hidden"}
        # A bank missing from the map (a retired one) makes its quizzes no topic's practice.
        assert result_sources.practice_quizzes(_quizzes(), {"compressions": "compressions"}) == {}


def test_names_label_topics_by_bank_title_and_skip_the_current_quiz_and_retired_banks(app):
    import_topics(app)
    with app.app_context():
        names = result_sources.names_for(_quizzes(), ["airway", "first-aid"], {"airway": [2]}, exclude=None)
        assert names.labels == {"airway": "Airway and breathing", "first-aid": "First aid"}
        assert names.missed == {"airway": [2]}
        assert names.practice == {"airway": "airway-practice"}
        assert names.quizzes["mixed-exam"] == "Mixed exam" and "compressions-hidden" not in names.quizzes
        assert result_sources.names_for(_quizzes(), ["airway"], {}, exclude="airway-practice").practice == {}
        db.session.execute(select(Bank).where(Bank.slug == "airway")).scalar_one().retired = True
        retired = result_sources.names_for(_quizzes(), ["airway"], {}, exclude=None)
        assert retired.practice == {} and retired.labels == {"airway": "Airway and breathing"}


def test_quiz_catalog_counts_the_learners_attempts_and_keeps_their_unpublished_quiz(app, demo):
    with app.app_context():
        lee = person("lee@example.org")
        sit("demo-timed", lee, [True] * 5)
        attempts.start(quiz("demo-timed"), lee)
        sit("demo-timed", person("kim@example.org"), [True] * 5)
        timed = quiz("demo-timed")
        listed, used = result_sources.quiz_catalog(lee, timed.id)
        assert [q.slug for q in listed] == ["demo-exam", "demo-practice", "demo-timed"]
        assert used[timed.id] == 2 and used[quiz("demo-exam").id] == 0
        timed.published = False
        listed, used = result_sources.quiz_catalog(lee, timed.id)
        assert "demo-timed" not in [q.slug for q in listed] and used[timed.id] == 2
        assert timed.id not in result_sources.quiz_catalog(lee, None)[1]


def test_the_result_page_shows_attempts_left_and_practice_for_the_weak_topic(app):
    import_topics(app)
    with app.app_context():
        lee = person("lee@example.org")
        attempt = sit("mixed-exam", lee, {"airway": False, "compressions": True})
        page = result_sources.for_attempt(attempt, lee, [])
        assert page.facts.percent == 50.0 and page.facts.passed is False and page.facts.attempts_left is None
        assert [row.slug for row in page.review] == ["airway"]
        assert page.review[0].practice.params == {"slug": "airway-practice"}


def test_facts_count_attempts_left_and_an_expired_attempt(app, demo):
    with app.app_context():
        lee = person("lee@example.org")
        attempt = sit("demo-timed", lee, [True, True, True, False, None])
        assert result_sources.for_attempt(attempt, lee, []).facts.attempts_left == 1
        attempt.status = AttemptStatus.EXPIRED
        facts = result_sources.facts_of(attempt, 0)
        assert (facts.quiz_slug, facts.score, facts.max_score, facts.percent) == ("demo-timed", 3.0, 5.0, 60.0)
        assert facts.pass_percent == 80 and facts.passed is False and facts.expired is True
        assert facts.topics == {"demo": 60.0} and facts.attempts_left == 0
