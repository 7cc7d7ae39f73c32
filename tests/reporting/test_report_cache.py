"""reporting.report_cache: reports kept per app while their stamp (the quiz's finished attempts) stays the same."""

from __future__ import annotations

from quizapp.reporting import report_cache
from quizapp.reporting.reports import stamp
from quizapp.taking import attempts
from tests.taking.support import person, quiz, sit


def test_an_entry_is_found_only_under_the_stamp_it_was_computed_under():
    cache = report_cache.ReportCache()
    assert cache.get("summary", 1) == (False, None)
    cache.put("summary", 1, {"mean": 50.0})
    assert cache.get("summary", 1) == (True, {"mean": 50.0})
    assert cache.get("summary", 2) == (False, None)
    cache.put("summary", 2, None)  # a computed None is still a value
    assert cache.get("summary", 2) == (True, None)
    cache.clear()
    assert cache.get("summary", 2) == (False, None)


def test_the_least_recently_used_entry_is_dropped_when_full():
    cache = report_cache.ReportCache(max_entries=2)
    cache.put("a", 0, "A")
    cache.put("b", 0, "B")
    assert cache.get("a", 0) == (True, "A")  # "a" is now the most recently used
    cache.put("c", 0, "C")
    assert [cache.get(key, 0)[0] for key in "abc"] == [True, False, True]


def test_each_app_has_its_own_cache(app, make_app):
    with app.app_context():
        report_cache.cache().put("k", 0, "first app")
    with make_app().app_context():
        assert report_cache.cache().get("k", 0) == (False, None)
    with app.app_context():
        assert report_cache.cache().get("k", 0) == (True, "first app")


def test_a_new_submission_changes_the_stamp_and_the_report_is_recomputed(app, demo):
    computed = []

    def summary():
        """Count the computations and return which one this is."""
        computed.append(len(computed) + 1)
        return computed[-1]

    with app.app_context():
        exam = quiz("demo-exam")
        sit("demo-exam", person("lee@example.org"), [True] * 5)
        assert report_cache.get_or_compute(("summary", exam.id), stamp(exam.id), summary) == 1
        assert report_cache.get_or_compute(("summary", exam.id), stamp(exam.id), summary) == 1
        attempts.start(exam, person("kim@example.org"))  # an open attempt counts for nothing yet
        assert report_cache.get_or_compute(("summary", exam.id), stamp(exam.id), summary) == 1
        sit("demo-exam", person("ann@example.org"), [False] * 5)
        assert report_cache.get_or_compute(("summary", exam.id), stamp(exam.id), summary) == 2
        assert report_cache.get_or_compute(("summary", exam.id), stamp(exam.id), summary) == 2
        assert computed == [1, 2]
