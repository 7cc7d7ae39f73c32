"""taking.pending: an answer posted with an expired session is kept for its question page and handed back once."""

from __future__ import annotations

from flask import session
from werkzeug.datastructures import MultiDict

from quizapp.taking import pending

PAGE = "/attempts/abcDEF_12-x/questions/3"


def test_an_answer_is_kept_without_the_token_and_handed_back_once(app):
    form = MultiDict([("answer", "1"), ("answer", "2"), ("flag", "y"), ("csrf_token", "stale"), ("go", "next")])
    with app.test_request_context(PAGE, method="POST"):
        assert pending.stash(PAGE, form) is True
        assert pending.take("/attempts/abcDEF_12-x/questions/4") is None  # another question's page
        kept = pending.take(PAGE)
        assert kept.getlist("answer") == ["1", "2"] and kept["flag"] == "y"
        assert "csrf_token" not in kept and "go" not in kept
        assert pending.take(PAGE) is None
        assert pending.KEY not in session


def test_the_answer_survives_the_new_session_of_a_sign_in(app):
    with app.test_request_context(PAGE, method="POST"):
        pending.stash(PAGE, MultiDict([("answer", "0")]))
        kept = pending.carry_over()
        session.clear()  # what signing in again does to the expired session
    with app.test_request_context(PAGE):  # the fresh session after sign-in
        assert pending.take(PAGE) is None
        pending.restore(kept)
        assert pending.take(PAGE) == MultiDict([("answer", "0")])
        assert pending.take(PAGE) is None


def test_only_question_pages_keep_answers_and_only_within_limits(app):
    with app.test_request_context("/"):
        for path in ("/auth/login", "/attempts/x/submit", "/attempts/x/questions/1/extra", "/attempts/x/questions/"):
            assert pending.stash(path, MultiDict([("answer", "1")])) is False
        assert pending.carry_over() is None
        pending.restore(None)
        assert pending.KEY not in session
        many = MultiDict([(f"item_{n}", "x" * 500) for n in range(80)])
        assert pending.stash(PAGE, many) is True
        kept = pending.take(PAGE)
        assert len(kept) == pending.MAX_VALUES and all(len(value) == 200 for value in kept.values())
