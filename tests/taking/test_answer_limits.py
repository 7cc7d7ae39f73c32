"""Answers are normalised before they are stored: no repeated choices, nothing beyond the question's options."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Attempt, Response
from quizapp.taking import attempts
from quizapp.taking.grading import AnswerError
from tests.taking.helpers import form_for, layout, start

HUGE = 200_000


def multiple_slot(app, pid: str) -> tuple[int, dict, object]:
    """Return the 1-based number, layout entry and version of the attempt's multiple-choice question."""
    return next((n, s, v) for n, (s, v) in enumerate(layout(app, pid), 1) if v.type == "multiple")


def stored_answer(app, pid: str, number: int) -> dict | None:
    """Return the answer stored for question `number` of an attempt."""
    with app.app_context():
        attempt = db.session.execute(select(Attempt).where(Attempt.public_id == pid)).scalar_one()
        return db.session.execute(
            select(Response.answer).where(Response.attempt_id == attempt.id, Response.slot == number - 1)
        ).scalar_one_or_none()


@pytest.mark.parametrize("route", ["", "/autosave"])
def test_a_huge_repeated_list_is_refused_and_the_previous_answer_stays(app, learner, route):
    pid = start(learner)
    number, slot, version = multiple_slot(app, pid)
    url = f"/attempts/{pid}/questions/{number}{route}"
    assert learner.post(url, data=form_for(slot, version)).status_code in (200, 303)
    before = stored_answer(app, pid, number)
    response = learner.post(url, data={"answer": ["0"] * HUGE, "go": "next"})
    assert response.status_code == 422
    if route:
        assert response.json["saved"] is False
    else:
        assert "Choose each option at most once" in response.get_data(as_text=True)
    assert stored_answer(app, pid, number) == before


@pytest.mark.parametrize("route", ["", "/autosave"])
def test_repeated_choices_within_the_options_are_stored_once(app, learner, route):
    pid = start(learner)
    number, slot, version = multiple_slot(app, pid)
    picks = form_for(slot, version)["answer"]
    response = learner.post(
        f"/attempts/{pid}/questions/{number}{route}", data={"answer": [picks[0]] * len(slot["order"])}
    )
    assert response.status_code in (200, 303)
    assert stored_answer(app, pid, number) == {"choices": [slot["order"][int(picks[0])]]}


def test_the_service_normalises_whoever_calls_it(app, learner):
    pid = start(learner)
    number, slot, _ = multiple_slot(app, pid)
    with app.app_context():
        attempt = db.session.execute(select(Attempt).where(Attempt.public_id == pid)).scalar_one()
        saved = attempts.save(attempt, number - 1, {"choices": [1, 0, 1, 1, 0]}, False)
        assert saved.answer == {"choices": [0, 1]}
        with pytest.raises(AnswerError):
            attempts.save(attempt, number - 1, {"choices": [0, len(slot["order"])]}, False)
        db.session.rollback()
