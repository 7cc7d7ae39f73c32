"""The review queue by keyboard only: tick drafts and mark them ready, at desktop and phone widths."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Bank, Question
from tests.browser import support

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect

BANK = "team-cpr"


def make_drafts(app, count: int) -> list[str]:
    """Turn the bank's first live ready questions into drafts; return their keys."""
    with app.app_context():
        stmt = (
            select(Question)
            .join(Bank)
            .where(Bank.slug == BANK, Question.status == "ready", Question.retired.is_(False))
            .order_by(Question.position)
            .limit(count)
        )
        questions = list(db.session.scalars(stmt))
        for question in questions:
            question.status = "draft"
        db.session.commit()
        return [q.key for q in questions]


def statuses(app, keys: list[str]) -> set[str]:
    """Return the statuses of the questions `keys`."""
    with app.app_context():
        return set(db.session.scalars(select(Question.status).where(Question.key.in_(keys))))


def is_box(key: str):
    """Match the focused review-queue checkbox of `key`."""
    return lambda s: s["tag"] == "input" and s["name"] == "keys" and s["value"] == key


def test_mark_a_selection_ready_by_keyboard_on_a_desktop(new_context, watched, live_app):
    keys = make_drafts(live_app, 2)
    page = watched(new_context(support.INSTRUCTOR, viewport=support.DESKTOP).new_page())
    page.goto(f"/author/banks/{BANK}")
    expect(page.locator("#status-counts")).to_contain_text("2 drafts")
    for key in keys:
        support.tab_until(page, is_box(key))
        page.keyboard.press("Space")
    support.tab_until(page, lambda s: s["tag"] == "button" and s["text"] == "Mark the selected questions ready")
    page.keyboard.press("Enter")
    expect(page.locator(".flashes")).to_contain_text(f"Marked ready: {', '.join(keys)}")
    assert statuses(live_app, keys) == {"ready"}
    assert support.axe_violations(page) == []


def test_mark_one_ready_by_keyboard_on_a_phone(new_context, watched, live_app):
    (key,) = make_drafts(live_app, 1)
    page = watched(new_context(support.INSTRUCTOR, viewport=support.PHONE).new_page())
    page.goto(f"/author/banks/{BANK}")
    support.tab_until(page, lambda s: s["tag"] == "button" and s["name"] == "key" and s["value"] == key)
    page.keyboard.press("Enter")
    expect(page.locator(".flashes")).to_contain_text(f"Marked ready: {key}")
    assert statuses(live_app, [key]) == {"ready"}
    width, window = support.no_horizontal_scroll(page)
    assert width <= window
