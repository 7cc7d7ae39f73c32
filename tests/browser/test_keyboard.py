"""Keyboard only: a whole quiz with Tab, the arrow keys, Space and Enter, with focus visible at every stop."""

from __future__ import annotations

import re

import pytest

from quizapp.taking import grading
from tests.browser import support

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect


def is_(tag: str, **attrs) -> callable:
    """Match the focused element by tag and attributes."""
    return lambda state: state["tag"] == tag and all(state[k] == v for k, v in attrs.items())


def button(text: str) -> callable:
    """Match a focused button by its text."""
    return lambda state: state["tag"] == "button" and state["text"] == text


def answer_with_keys(page, slot: dict, q) -> None:
    """Answer the question on the page from the keyboard: arrows for radios, Space for boxes, arrows in menus."""
    wanted = support.form_values(slot, q)
    if q.type in ("single", "true_false"):
        values = page.locator("input[name=answer]").evaluate_all("els => els.map(e => e.value)")
        support.tab_until(page, is_("input", name="answer"))
        page.keyboard.press("Space")
        for _ in range(values.index(wanted["answer"][0])):
            page.keyboard.press("ArrowDown")
        state = support.focused(page)
        assert state["value"] == wanted["answer"][0] and support.focus_is_visible(state)
    elif q.type == "multiple":
        boxes = page.locator("input[name=answer]").evaluate_all("els => els.map(e => e.value)")
        for value in boxes:
            support.tab_until(page, is_("input", name="answer", value=value))
            if value in wanted["answer"]:
                page.keyboard.press("Space")
    elif q.type == "ordering":
        for name, rank in sorted(wanted.items()):
            support.tab_until(page, is_("select", name=name))
            for _ in range(int(rank)):
                page.keyboard.press("ArrowDown")
            assert page.locator(f"select[name={name}]").input_value() == rank
    else:
        support.tab_until(page, is_("input", name="answer"))
        page.keyboard.type(wanted["answer"])
    for name, value in wanted.items():
        if name.startswith("item_"):
            expect(page.locator(f"select[name={name}]")).to_have_value(value)
        elif q.type != "numeric":
            for v in value:
                expect(page.locator(f'input[name=answer][value="{v}"]')).to_be_checked()


def answer_all_and_submit(page, live_app, answers=lambda slot: True) -> str:
    """From question 1, answer the slots `answers` picks, moving on with Enter; submit; return the attempt id."""
    public_id = support.attempt_id(page.url)
    layout = support.slots(live_app, public_id)
    for number, (slot, q) in enumerate(layout, start=1):
        if answers(slot):
            answer_with_keys(page, slot, q)
        support.tab_until(page, button("Next" if number < len(layout) else "Review and submit"))
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(rf"/(questions/{number + 1}|review)$"))
    support.tab_until(page, button("Submit my answers"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/result")
    return public_id

def test_a_whole_quiz_by_keyboard(learner_page, live_app):
    """From the introduction to the result with no mouse: every answer right, so the score is 100%."""
    page = learner_page
    page.goto("/quizzes/browser-short")
    first = support.tab_until(page, lambda state: True)
    assert first["text"] == "Skip to main content"
    assert page.locator(".skip-link").evaluate("el => el.getBoundingClientRect().left") >= 0, "shown when focused"
    page.keyboard.press("Enter")
    support.tab_until(page, button("Start the quiz"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/questions/1")
    public_id = support.attempt_id(page.url)
    layout = support.slots(live_app, public_id)

    for number, (slot, q) in enumerate(layout, start=1):
        expect(page.locator("fieldset.question > legend")).to_have_text(f"Question {number} of {len(layout)}")
        answer_with_keys(page, slot, q)
        support.tab_until(page, button("Next" if number < len(layout) else "Review and submit"))
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(rf"/(questions/{number + 1}|review)$"))

    expect(page.get_by_role("heading", name="Not answered (0)")).to_be_visible()
    support.tab_until(page, button("Submit my answers"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/result")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your result: 100%")
    support.tab_until(page, lambda state: state["tag"] == "a" and state["text"] == "All my results")
    page.keyboard.press("Enter")
    page.wait_for_url("**/history")


def test_navigator_and_flag_by_keyboard(learner_page):
    """Space flags a question, and the question navigator's buttons work with Enter."""
    page = learner_page
    page.goto("/quizzes/browser-short")
    support.tab_until(page, button("Start the quiz"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/questions/1")
    support.tab_until(page, is_("input", name="flag"))
    page.keyboard.press("Space")
    expect(page.get_by_label("Flag this question for review")).to_be_checked()
    support.tab_until(page, lambda state: state["tag"] == "button" and state["text"].startswith("3"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/questions/3")
    expect(page.get_by_role("button", name=re.compile(r"^1\s?: not answered, flagged$"))).to_be_visible()


def test_every_question_type_by_keyboard(learner_page, live_app):
    """Single, multiple, true/false, ordering and numeric questions, each answered from the keyboard and saved."""
    page = learner_page
    page.goto("/quizzes/browser-all-types")
    support.tab_until(page, button("Start the quiz"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/questions/1")
    public_id = support.attempt_id(page.url)
    layout = support.slots(live_app, public_id)
    numbers = support.first_of_each_type(live_app, public_id)
    assert sorted(numbers) == sorted(support.QUESTION_TYPES)
    for number in numbers.values():
        page.goto(f"/attempts/{public_id}/questions/{number}")
        answer_with_keys(page, *layout[number - 1])
        support.tab_until(page, button("Next"))
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/questions/{number + 1}")
    saved = support.saved_answers(live_app, public_id)
    for kind, number in numbers.items():
        q = layout[number - 1][1]
        assert grading.is_correct(q, saved.get(number - 1)), f"the {kind} question was not saved right"
