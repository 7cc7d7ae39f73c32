"""The review marks each option in place (the learner's choice, right or wrong in words and an icon, the option's own
feedback beside it, the right answer) and puts an ordering answer beside the right order, on the result page and
when a practice answer is checked, at desktop and phone widths, by keyboard."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Quiz, User
from quizapp.taking import attempts
from tests.browser import flows, seed, support
from tests.browser.support import DESKTOP, PHONE

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect

SIZES = pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
KEEP_JS = "keep => document.querySelectorAll('.review-item').forEach(a => keep.includes(a.id) || a.remove())"


def width_name(size: dict) -> str:
    """Name a viewport for a screenshot."""
    return "phone" if size == PHONE else "desktop"


@pytest.fixture(scope="module")
def reviewed(live_app) -> tuple[str, str, dict[str, int]]:
    """A learner's submitted every-type attempt: the first question of each type answered wrong, the rest right."""
    with live_app.app_context():
        email = seed.new_learner()
        user = db.session.execute(select(User).where(User.email == email)).scalar_one()
        quiz = db.session.execute(select(Quiz).where(Quiz.slug == "browser-all-types")).scalar_one()
        attempt = attempts.start(quiz, user)
        firsts: dict[str, int] = {}
        for index, (_, q) in enumerate(support.slots_of(attempt)):
            firsts.setdefault(q.type, index)
        for index, (slot, q) in enumerate(support.slots_of(attempt)):
            wrong = index in firsts.values()
            attempts.save(attempt, index, support.stored_answer(slot, q, correct=not wrong), flagged=False)
        attempts.submit(attempt)
        db.session.commit()
        return email, attempt.public_id, {kind: index + 1 for kind, index in firsts.items()}


def assert_choices_marked(scope, q, order: list[int], cls: str) -> None:
    """Each option of a wrongly answered choice question carries its mark in words and its own feedback."""
    items = scope.locator(f"li.{cls}")
    if q.type == "true_false":
        expect(scope.locator(f"li.{cls}.mark-picked-wrong .option-mark")).to_contain_text("Your answer: not correct")
        expect(scope.locator(f"li.{cls}.mark-picked-wrong .choice-feedback")).to_have_text(q.feedback.strip())
        expect(scope.locator(f"li.{cls}.mark-missed .option-mark")).to_contain_text("Correct answer (not chosen)")
        return
    wrong = [i for i, choice in enumerate(q.choices) if not choice.correct]  # as support.form_values answers wrong
    picked = set(wrong[:1]) if q.type == "single" else set(wrong)
    expect(items).to_have_count(len(order))
    for position, index in enumerate(order):
        item, choice = items.nth(position), q.choices[index]
        expect(item).to_contain_text(choice.text.replace("**", "").split("*")[0][:20])
        if index in picked:
            expect(item.locator(".option-mark")).to_contain_text("Your answer: not correct")
        elif choice.correct:
            expect(item.locator(".option-mark")).to_contain_text("Correct answer (not chosen)")
        else:
            expect(item.locator(".option-mark")).to_have_count(0)
        if choice.feedback and (index in picked or choice.correct):
            expect(item.locator(".choice-feedback")).to_contain_text(choice.feedback.split("*")[0][:30])
    expect(scope.locator(".option-mark [aria-hidden=true]").first).to_be_attached()  # an icon, beside the words


def assert_orders_side_by_side(page, scope, size: dict) -> None:
    """The two orders: side by side on a desktop, stacked on a phone, and no item wider than the window."""
    yours, key = scope.locator(".order-column").nth(0), scope.locator(".order-column").nth(1)
    expect(yours.locator(".order-title")).to_have_text("Your order")
    expect(key.locator(".order-title")).to_have_text("Correct order")
    expect(yours.locator("li.order-wrong .option-mark").first).to_contain_text("Belongs at position")
    a, b = yours.bounding_box(), key.bounding_box()
    if size == DESKTOP:
        assert b["x"] >= a["x"] + a["width"] and abs(b["y"] - a["y"]) < 2, (a, b)
    else:
        assert b["y"] >= a["y"] + a["height"] - 1, (a, b)
    for item in scope.locator(".order-list li").all():
        box = item.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= size["width"] and box["width"] >= 200, box


@SIZES
def test_the_review_page_marks_every_type(size, reviewed, new_context, watched, live_app):
    """The result page's review, read with the keyboard: every question type marked in place."""
    email, public_id, firsts = reviewed
    page = watched(new_context(email, viewport=size).new_page())
    page.goto(f"/attempts/{public_id}/result")
    layout = support.slots(live_app, public_id)
    for kind in ("single", "multiple", "true_false"):
        slot, q = layout[firsts[kind] - 1]
        assert_choices_marked(page.locator(f"#q{firsts[kind]}"), q, slot["order"], "marked-option")
    assert_orders_side_by_side(page, page.locator(f"#q{firsts['ordering']}"), size)
    numeric = page.locator(f"#q{firsts['numeric']} .feedback-details")
    expect(numeric).to_contain_text("Your answer")
    expect(numeric).to_contain_text("Correct answer")
    assert support.no_horizontal_scroll(page)[0] <= size["width"]
    assert support.axe_violations(page) == []
    support.tab_until(page, lambda s: s["tag"] == "a" and s["text"] == "All my results", limit=200)
    page.evaluate(KEEP_JS, [f"q{n}" for n in firsts.values()])
    support.screenshot(page, f"review-{width_name(size)}")
    page.keyboard.press("Enter")
    page.wait_for_url("**/history")
    assert page.console_errors == []


def choose_wrong_with_keys(page, slot: dict, q) -> None:
    """Answer a single-choice or ordering question wrong from the keyboard: arrows in the radios or the menus."""
    wanted = support.form_values(slot, q, correct=False)
    if q.type == "single":
        values = page.locator("input[name=answer]").evaluate_all("els => els.map(e => e.value)")
        support.tab_until(page, lambda s: s["tag"] == "input" and s["name"] == "answer")
        page.keyboard.press("Space")
        for _ in range(values.index(wanted["answer"][0])):
            page.keyboard.press("ArrowDown")
        return
    for name, rank in sorted(wanted.items()):
        support.tab_until(page, lambda s, name=name: s["tag"] == "select" and s["name"] == name)
        for _ in range(int(rank)):
            page.keyboard.press("ArrowDown")


@SIZES
@pytest.mark.parametrize("kind", ["single", "ordering"])
def test_a_checked_answer_is_marked_in_place(kind, size, new_context, watched, learner_email, live_app):
    """Practice: Enter checks a keyboard choice; its own options carry the marks (orders side by side), once."""
    page = watched(new_context(learner_email, viewport=size).new_page())
    public_id = flows.start(page, "browser-all-types-practice")
    number = flows.numbers(live_app, public_id)[kind][0]
    page.goto(f"/attempts/{public_id}/questions/{number}")
    slot, q = support.slots(live_app, public_id)[number - 1]
    expect(page.locator(".option-mark, .choice-feedback, .order-compare")).to_have_count(0)
    choose_wrong_with_keys(page, slot, q)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".feedback-verdict")).to_contain_text(re.compile("(Not|Partly) correct"))
    if kind == "single":
        assert_choices_marked(page.locator("fieldset.question"), q, slot["order"], "choice")
        expect(page.locator(".live-feedback .marked-option")).to_have_count(0)
    else:
        assert_orders_side_by_side(page, page.locator(".live-feedback"), size)
    assert support.no_horizontal_scroll(page)[0] <= size["width"]
    assert support.axe_violations(page) == []
    support.screenshot(page, f"checked-{kind}-{width_name(size)}")
    assert page.console_errors == []
