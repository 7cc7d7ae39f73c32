"""Helpers for the browser tests: signing in, reading an attempt's layout, answering, axe and focus checks."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path

from sqlalchemy import select

from quizapp.banks.schema import Question
from quizapp.extensions import db
from quizapp.models import Attempt, QuestionVersion, Response
from quizapp.qtypes import TYPES
from tests.conftest import PASSWORD, PROJECT

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The WCAG rules whose outcome depends on the layout, checked again at phone width.
LAYOUT_RULES = ["scrollable-region-focusable", "meta-viewport"]
SCREENSHOTS = PROJECT / "test-artifacts" / "screenshots"
QUESTION_TYPES = tuple(TYPES)  # every registered question type, in the registry's order
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
INSTRUCTOR = "instructor@example.org"
ADMIN = "admin@example.org"
LEARNER = "seeded.learner@example.org"


def sign_in(page, email: str, password: str = PASSWORD) -> None:
    """Sign in through the real form and wait for the page it leads to."""
    page.goto("/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/auth/login" not in url)


def attempt_id(url: str) -> str:
    """Return the attempt's public id from a question, review or result URL."""
    match = re.search(r"/attempts/([^/]+)/", url)
    assert match, url
    return match.group(1)


def slots(app, public_id: str) -> list[tuple[dict, Question]]:
    """Return each slot of an attempt with its pinned question (read straight from the server's database)."""
    with app.app_context():
        return slots_of(db.session.execute(select(Attempt).where(Attempt.public_id == public_id)).scalar_one())


def slots_of(attempt: Attempt) -> list[tuple[dict, Question]]:
    """Return each slot of a loaded attempt with its pinned question (in the caller's app context)."""
    return [(slot, db.session.get(QuestionVersion, slot["v"]).spec()) for slot in attempt.layout]


def saved_answers(app, public_id: str) -> dict[int, dict | None]:
    """Return the answers saved for an attempt, by slot."""
    with app.app_context():
        attempt = db.session.execute(select(Attempt).where(Attempt.public_id == public_id)).scalar_one()
        rows = db.session.execute(select(Response).where(Response.attempt_id == attempt.id)).scalars()
        return {r.slot: r.answer for r in rows}


def first_of_each_type(app, public_id: str) -> dict[str, int]:
    """Return the question number of the first question of each type in an attempt."""
    found: dict[str, int] = {}
    for number, (_, q) in enumerate(slots(app, public_id), start=1):
        found.setdefault(q.type, number)
    return found


def form_values(slot: dict, q: Question, correct: bool = True) -> dict:
    """Return the form values that answer a question right (or wrong), as the page's inputs name them."""
    order = slot["order"]
    if q.type == "single":
        return {"answer": [str(order.index(next(i for i, c in enumerate(q.choices) if c.correct == correct)))]}
    if q.type == "multiple":
        return {"answer": [str(order.index(i)) for i, c in enumerate(q.choices) if c.correct == correct]}
    if q.type == "true_false":
        return {"answer": ["true" if q.answer == correct else "false"]}
    if q.type == "ordering":
        ranks = list(range(len(order))) if correct else list(reversed(range(len(order))))
        return {f"item_{pos}": str(ranks[item] + 1) for pos, item in enumerate(order)}
    low, high = q.answer.bounds()
    return {"answer": f"{low if correct else high + 1000:g}"}


def stored_answer(slot: dict, q: Question, correct: bool = True) -> dict:
    """Return the answer as the attempts service stores it (for seeding attempts without the browser)."""
    order = slot["order"]
    if q.type == "single":
        return {"choice": next(i for i, c in enumerate(q.choices) if c.correct == correct)}
    if q.type == "multiple":
        return {"choices": [i for i, c in enumerate(q.choices) if c.correct == correct]}
    if q.type == "true_false":
        return {"value": q.answer == correct}
    if q.type == "ordering":
        return {"order": list(range(len(order))) if correct else list(reversed(range(len(order))))}
    low, high = q.answer.bounds()
    return {"value": f"{low if correct else high + 1000:g}"}


def answer(page, slot: dict, q: Question, correct: bool = True) -> None:
    """Answer the question on the page with the mouse and keyboard as a learner would."""
    for name, value in form_values(slot, q, correct).items():
        if name.startswith("item_"):
            page.locator(f"select[name={name}]").select_option(value)
        elif q.type == "numeric":
            page.locator("input[name=answer]").fill(value)
            page.locator("input[name=answer]").dispatch_event("change")
        else:
            for v in value:
                page.locator(f'input[name=answer][value="{v}"]').check()


@cache
def axe_source() -> str:
    """Return axe-core's script, as bundled (pinned) by the axe-playwright-python package."""
    return (resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


def axe_violations(page, rules: list[str] | None = None) -> list[str]:
    """Run axe-core's WCAG 2.1 A and AA rules (or only `rules`) on the page; return each violation as text."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": WCAG_AA}
    result = page.evaluate("only => axe.run(document, {runOnly: only, resultTypes: ['violations']})", only)
    out = []
    for v in result["violations"]:
        nodes = "; ".join(f"{n['target']} {n.get('failureSummary', '')!r}" for n in v["nodes"][:5])
        out.append(f"{v['id']} ({v['impact']}): {v['help']} at {nodes}")
    return out


FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) { return null; }
  const s = getComputedStyle(el);
  return {tag: el.tagName.toLowerCase(), type: el.type || '', name: el.name || '', value: el.value || '',
          text: (el.innerText || el.getAttribute('aria-label') || '').trim().slice(0, 60),
          outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth) || 0, boxShadow: s.boxShadow,
          focusVisible: el.matches(':focus-visible')};
}"""


def focused(page) -> dict | None:
    """Describe the focused element and its focus indicator."""
    return page.evaluate(FOCUS_JS)


def focus_is_visible(state: dict) -> bool:
    """Whether the focused element shows a focus indicator (an outline at least 2px wide, or a box shadow)."""
    return (state["outlineStyle"] != "none" and state["outlineWidth"] >= 2) or state["boxShadow"] not in ("", "none")


def tab_until(page, wanted, limit: int = 80, key: str = "Tab") -> dict:
    """Press Tab until `wanted(state)` holds, checking that focus is visible at every stop; return that state."""
    for _ in range(limit):
        page.keyboard.press(key)
        state = focused(page)
        assert state is not None, "focus was lost to the page body"
        assert focus_is_visible(state), f"focus is not visible on {state}"
        if wanted(state):
            return state
    raise AssertionError(f"never reached the wanted element with {key} ({limit} presses)")


def no_horizontal_scroll(page) -> tuple[int, int]:
    """Return (scrollWidth, innerWidth) once the stylesheets have loaded; a phone page must not be wider than it."""
    page.wait_for_load_state("load")  # measured before the CSS arrives, a busy machine sees the unstyled width
    return tuple(page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]"))


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/screenshots/ and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
