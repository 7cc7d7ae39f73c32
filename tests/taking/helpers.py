"""Helpers for driving an attempt through the test client."""

from __future__ import annotations

import re

from sqlalchemy import select

from quizapp.authoring import preview
from quizapp.extensions import db
from quizapp.models import Attempt, QuestionVersion


def start(client, slug: str = "demo-exam") -> str:
    """Start a quiz and return the attempt's public id."""
    response = client.post(f"/quizzes/{slug}/start")
    assert response.status_code == 303, response.data
    match = re.search(r"/attempts/([^/]+)/questions/1$", response.headers["Location"])
    assert match, response.headers["Location"]
    return match.group(1)


def layout(app, public_id: str) -> list[tuple[dict, QuestionVersion]]:
    """Return each slot with its pinned version."""
    with app.app_context():
        attempt = db.session.execute(select(Attempt).where(Attempt.public_id == public_id)).scalar_one()
        return [(slot, db.session.get(QuestionVersion, slot["v"])) for slot in attempt.layout]


def preview_layout(client, app) -> list[tuple[dict, QuestionVersion]]:
    """Return the client's quiz preview slots from its session, shaped as `layout` returns an attempt's."""
    with client.session_transaction() as session:
        state = session[preview.SESSION_KEY]
    with app.app_context():
        return [({"order": order}, db.session.get(QuestionVersion, v)) for v, order in state["slots"]]


def form_for(slot: dict, version: QuestionVersion, correct: bool = True) -> dict:
    """Return the form data that answers a slot right (or wrong)."""
    spec = version.spec()
    order = slot["order"]
    if spec.type == "single":
        want = next(i for i, c in enumerate(spec.choices) if c.correct == correct)
        return {"answer": str(order.index(want))}
    if spec.type == "multiple":
        picks = [i for i, c in enumerate(spec.choices) if c.correct == correct]
        return {"answer": [str(order.index(i)) for i in picks]}
    if spec.type == "true_false":
        return {"answer": "true" if spec.answer == correct else "false"}
    if spec.type == "ordering":
        # Wrong: every item one place on (reversing would leave the middle item of an odd list in its place).
        ranks = [(r + (0 if correct else 1)) % len(order) for r in range(len(order))]
        return {f"item_{pos}": str(ranks[item] + 1) for pos, item in enumerate(order)}
    value = spec.answer.bounds()[0] if correct else spec.answer.bounds()[1] + 1000
    return {"answer": f"{value:g}"}


def answer_all(client, app, public_id: str, correct: bool = True) -> None:
    """Answer every question through the question pages."""
    for n, (slot, version) in enumerate(layout(app, public_id), start=1):
        response = client.post(
            f"/attempts/{public_id}/questions/{n}", data={**form_for(slot, version, correct), "go": "next"}
        )
        assert response.status_code == 303, response.data
