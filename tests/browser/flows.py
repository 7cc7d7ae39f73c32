"""Helpers for the question-page browser tests: starting a quiz, finding questions by type, reading an ordering list."""

from __future__ import annotations

from tests.browser import support

ORDER_JS = """() => [...document.querySelectorAll('ol.ordering > li')].map(li => ({
  name: li.querySelector('select').name, value: li.querySelector('select').value,
  label: li.querySelector('.ordering-label').textContent.replace(/\\s+/g, ' ').trim()}))"""


def start(page, slug: str) -> str:
    """Open a quiz's introduction, start it with the keyboard-reachable button and return the attempt's id."""
    page.goto(f"/quizzes/{slug}")
    page.get_by_role("button", name="Start the quiz").click()
    page.wait_for_url("**/questions/1")
    return support.attempt_id(page.url)


def numbers(app, public_id: str) -> dict[str, list[int]]:
    """Return every question number of each type in the attempt."""
    found: dict[str, list[int]] = {}
    for number, (_, q) in enumerate(support.slots(app, public_id), start=1):
        found.setdefault(q.type, []).append(number)
    return found


def after_the_first(app, public_id: str, kind: str) -> int:
    """Return the first question of `kind` that has a Previous button (number 2 or later)."""
    return next(n for n in numbers(app, public_id)[kind] if n > 1)


def ordering_items(page) -> list[dict]:
    """Return the ordering list as shown, top to bottom: each item's menu name, menu value and label."""
    return page.evaluate(ORDER_JS)


def right_order(slot: dict) -> list[str]:
    """Return the menu names of an ordering question's items in the right order."""
    order = slot["order"]
    return [f"item_{pos}" for pos in sorted(range(len(order)), key=lambda pos: order[pos])]
