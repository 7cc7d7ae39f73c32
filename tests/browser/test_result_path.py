"""The learner's path, keyboard only: a nurse (provider track) and a soccer coach (lay track) take their quiz, read a
result page whose every part agrees, and follow its links to the right quizzes; at desktop and phone widths."""

from __future__ import annotations

import pytest

from tests.browser import support
from tests.browser.test_keyboard import answer_all_and_submit, button, is_

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect


def choose(page, name: str, value: str) -> None:
    """Pick one intake answer from the keyboard: arrows in a menu or a radio group, Space on a box."""
    kind = page.locator(f"[name={name}]").first.evaluate("el => el.tagName.toLowerCase() + ':' + (el.type || '')")
    if kind.startswith("select"):
        options = page.locator(f"select[name={name}] option").evaluate_all("els => els.map(e => e.value)")
        current = page.locator(f"select[name={name}]").input_value()  # a stored intake may fill it in already
        support.tab_until(page, is_("select", name=name))
        key = "ArrowDown" if options.index(value) >= options.index(current) else "ArrowUp"
        for _ in range(abs(options.index(value) - options.index(current))):
            page.keyboard.press(key)
        expect(page.locator(f"select[name={name}]")).to_have_value(value)
    elif kind == "input:radio":
        values = page.locator(f"input[name={name}]").evaluate_all("els => els.map(e => e.value)")
        support.tab_until(page, is_("input", name=name))
        page.keyboard.press("Space")
        start = support.focused(page)["value"]
        key = "ArrowDown" if values.index(value) >= values.index(start) else "ArrowUp"
        for _ in range(abs(values.index(value) - values.index(start))):
            page.keyboard.press(key)
        expect(page.locator(f'input[name={name}][value="{value}"]')).to_be_checked()
    else:
        support.tab_until(page, is_("input", name=name, value=value))
        if not page.locator(f'input[name={name}][value="{value}"]').is_checked():
            page.keyboard.press("Space")
        expect(page.locator(f'input[name={name}][value="{value}"]')).to_be_checked()


def take_by_keyboard(page, live_app, slug: str, intake: list[tuple[str, str]], skip_topic: str) -> str:
    """Start quiz `slug` with the intake, answer every question but those of `skip_topic`, submit; return its id."""
    page.goto(f"/quizzes/{slug}")
    for name, value in intake:
        choose(page, name, value)
    support.tab_until(page, button("Start the quiz"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/questions/1")
    return answer_all_and_submit(page, live_app, lambda slot: slot["topic"] != skip_topic)


def below_everywhere(page) -> dict[str, set[str]]:
    """Return, per part of the result page, the topics it shows as below their mark."""

    def topics(selector: str) -> set[str]:
        return set(page.locator(selector).evaluate_all("els => els.map(e => e.dataset.topic || e.dataset.practice)"))

    return {
        "bars": topics(".topic-bar[data-below=yes]"),
        "table": topics("table[data-topic-table] tr[data-below=yes]"),
        "why": topics("ul[data-why] li[data-topic]") - {"overall"},
        "review": topics(".topics-to-review li[data-topic]"),
        "practice": topics("a[data-practice]"),
    }


def read_result(new_context, watched, email: str, public_id: str, name: str) -> None:
    """At desktop and phone widths: no sideways scrolling, no axe violation, and a screenshot of the result."""
    for width, viewport in (("desktop", support.DESKTOP), ("phone", support.PHONE)):
        page = watched(new_context(email, viewport=viewport).new_page())
        page.goto(f"/attempts/{public_id}/result")
        scroll, inner = support.no_horizontal_scroll(page)
        assert scroll <= inner, f"{name} at {width}: {scroll}px wide in a {inner}px window"
        assert support.axe_violations(page) == []
        assert page.console_errors == []
        support.screenshot(page, f"result-{name}-{width}")


def test_nurse_reads_an_agreeing_result_and_follows_it(learner_page, learner_email, live_app, new_context, watched):
    """Provider track: the skipped topic (BVM) is below its 80% readiness mark in every part, with its practice."""
    page = learner_page
    intake = [("role", "nurse"), ("employer_requires", "bls"), ("clinical_setting", "y"), ("cares_for", "adults")]
    public_id = take_by_keyboard(page, live_app, "bls-readiness", intake, skip_topic="bvm")
    expect(page.locator("#rec-title")).to_have_text("Recommended course: BLS for Healthcare Providers")
    expect(page.locator("[data-readiness]")).to_contain_text("Review first")
    expect(page.locator("[data-verdict]")).to_contain_text("the quiz pass mark is 84%")
    found = below_everywhere(page)
    assert all(topics == {"bvm"} for topics in found.values()), found
    expect(page.locator("table[data-topic-table] tr[data-topic=bvm] td").nth(1)).to_have_text("80%")
    expect(page.locator("ul[data-why] li[data-topic=bvm]")).to_contain_text("below the 80% this track expects")
    expect(page.locator(".topics-to-review li:empty")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text("Not assessed")
    support.tab_until(page, lambda s: s["tag"] == "a" and s["text"] == "Practice: bag-valve-mask ventilation")
    page.keyboard.press("Enter")
    page.wait_for_url("**/quizzes/bvm-practice")
    expect(page.get_by_role("heading", level=1)).to_have_text("Practice: bag-valve-mask ventilation")
    read_result(new_context, watched, learner_email, public_id, "provider")


def test_coach_reads_an_agreeing_result_and_follows_it(new_context, watched, learner_email, live_app):
    """Lay track, on a phone: judged by the lay quiz, team CPR below its 70% mark, and sent to the lay practice."""
    page = watched(new_context(learner_email, viewport=support.PHONE).new_page())
    intake = [("role", "coach"), ("employer_requires", "cpr"), ("cares_for", "adults")]
    public_id = take_by_keyboard(page, live_app, "lay-rescuer-essentials", intake, skip_topic="team-cpr")
    expect(page.locator("#rec-title")).to_have_text("Recommended course: Adult CPR/AED")
    expect(page.locator("[data-readiness]")).to_contain_text("Review first")
    found = below_everywhere(page)
    assert all(topics == {"team-cpr"} for topics in found.values()), found
    expect(page.locator("table[data-topic-table] tr[data-topic=team-cpr] td").nth(1)).to_have_text("70%")
    expect(page.locator("table[data-topic-table] tr[data-topic=bvm] td").nth(2)).to_have_text(
        "Not counted for this course's readiness"
    )
    expect(page.locator("a[href='/quizzes/bls-readiness']")).to_have_count(0)
    expect(page.locator(".next-step-links a[href='/courses#cpr-aed-adult']")).to_have_count(1)
    support.tab_until(page, lambda s: s["tag"] == "a" and s["text"] == "Practice: team CPR")
    page.keyboard.press("Enter")
    page.wait_for_url("**/quizzes/team-cpr-practice")
    read_result(new_context, watched, learner_email, public_id, "lay")

    page.goto("/recommend")
    for name, value in intake:
        choose(page, name, value)
    support.tab_until(page, button("Show my recommendation"))
    page.keyboard.press("Enter")
    expect(page.locator("[data-based-on]")).to_contain_text("your latest Lay rescuer essentials result")
    expect(page.locator("[data-readiness]")).to_contain_text("Review first")
    expect(page.locator(".topics-to-review a[data-practice=team-cpr]")).to_have_attribute(
        "href", "/quizzes/team-cpr-practice"
    )
