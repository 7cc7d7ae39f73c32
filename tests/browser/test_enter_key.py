"""Enter in an answer does what the primary button does (Next in an exam, Check answer in practice), never Previous:
every question type, at desktop and phone widths, with and without JavaScript, and in the instructor's preview."""

from __future__ import annotations

import pytest

from quizapp.taking import grading
from tests.browser import flows, support
from tests.browser.support import DESKTOP, INSTRUCTOR, PHONE
from tests.browser.test_keyboard import answer_with_keys

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect

KINDS = pytest.mark.parametrize("kind", support.QUESTION_TYPES)
SIZES = pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])


def open_question(page, app, slug: str, kind: str) -> tuple[str, int, dict, object]:
    """Start `slug` and open its first question of `kind` after question 1; return (id, number, slot, question)."""
    public_id = flows.start(page, slug)
    number = flows.after_the_first(app, public_id, kind)
    page.goto(f"/attempts/{public_id}/questions/{number}")
    expect(page.get_by_role("button", name="Previous")).to_be_visible()
    return public_id, number, *support.slots(app, public_id)[number - 1]


def assert_saved_right(app, public_id: str, number: int, q) -> None:
    """The answer given on question `number` was saved, and is the right one."""
    assert grading.is_correct(q, support.saved_answers(app, public_id).get(number - 1))


@KINDS
@SIZES
def test_enter_saves_and_shows_the_next_question(kind, size, new_context, watched, learner_email, live_app):
    """Exam: answer from the keyboard, press Enter in the answer: the next question shows and the answer is saved."""
    page = watched(new_context(learner_email, viewport=size).new_page())
    public_id, number, slot, q = open_question(page, live_app, "browser-all-types", kind)
    answer_with_keys(page, slot, q)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/questions/{number + 1}")
    expect(page.locator("fieldset.question > legend")).to_have_text(f"Question {number + 1} of 45")
    assert_saved_right(live_app, public_id, number, q)
    assert page.console_errors == []


@KINDS
@SIZES
def test_enter_checks_the_answer_in_practice(kind, size, new_context, watched, learner_email, live_app):
    """Practice: Enter in the answer checks it, as the primary button does; Enter again (on the flag) moves on."""
    page = watched(new_context(learner_email, viewport=size).new_page())
    public_id, number, slot, q = open_question(page, live_app, "browser-all-types-practice", kind)
    answer_with_keys(page, slot, q)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/questions/{number}")
    expect(page.locator(".feedback-verdict")).to_contain_text("Correct")
    expect(page.locator("fieldset.question")).to_have_attribute("disabled", "")
    assert_saved_right(live_app, public_id, number, q)
    support.tab_until(page, lambda s: s["tag"] == "input" and s["name"] == "flag")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/questions/{number + 1}")
    expect(page.locator(".feedback")).to_have_count(0)


@KINDS
def test_enter_works_without_javascript(kind, new_context, learner_email, live_app):
    """No script: Enter in a field still submits with Next."""
    page = new_context(learner_email, java_script_enabled=False).new_page()
    public_id, number, slot, q = open_question(page, live_app, "browser-all-types", kind)
    answer_with_keys(page, slot, q)
    # In a position menu Enter is the menu's own key, so the ordering question is sent with Enter on the flag box.
    if kind == "ordering":
        support.tab_until(page, lambda s: s["tag"] == "input" and s["name"] == "flag")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/questions/{number + 1}")
    assert_saved_right(live_app, public_id, number, q)


def test_enter_in_the_instructor_preview(new_context, watched, live_app, seeded):
    """The quiz preview shares the page: Enter in a numeric answer shows the next question and keeps the answer."""
    page = watched(new_context(INSTRUCTOR).new_page())
    page.goto("/author/quizzes/browser-all-types/preview")
    page.get_by_role("button", name="Start the preview").click()
    page.wait_for_url("**/preview/1")
    number = next(n for n in flows.numbers(live_app, seeded["every"])["numeric"] if n > 1)
    page.goto(f"/author/quizzes/browser-all-types/preview/{number}")
    support.tab_until(page, lambda s: s["tag"] == "input" and s["name"] == "answer")
    page.keyboard.type("42")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/preview/{number + 1}")
    page.goto(f"/author/quizzes/browser-all-types/preview/{number}")
    expect(page.locator("input[name=answer]")).to_have_value("42")
