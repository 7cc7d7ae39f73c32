"""The learner's journeys in a real browser: register, intake, answer, leave and resume, submit, result; practice
feedback; saving and connection trouble; the timer and the server-side deadline."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.browser import support
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect

SAVED = re.compile(r"Saved at \d")
WATCH_JS = """() => {
  const changes = {childList: true, subtree: true, characterData: true};
  const spoken = document.getElementById('timer-announcer');
  window.__spoken = []; window.__ticks = 0;
  new MutationObserver(() => window.__spoken.push(spoken.textContent)).observe(spoken, changes);
  new MutationObserver(() => window.__ticks++).observe(document.querySelector('.timer-value'), changes);
}"""


def start(page, slug: str) -> str:
    """Open a quiz's introduction, start it and return the attempt's public id."""
    page.goto(f"/quizzes/{slug}")
    page.get_by_role("button", name="Start the quiz").click()
    page.wait_for_url("**/questions/1")
    return support.attempt_id(page.url)


def test_learner_journey(page, live_app):
    """Register, answer the intake, answer, leave, resume, submit, and read the result, chart and recommendation."""
    page.goto("/")
    page.get_by_role("link", name="Create account").click()
    page.get_by_label("Your name").fill("Robin Rescuer")
    page.get_by_label("Email").fill("robin@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_label("Email")).to_have_value("robin@example.org")  # the same answer for a taken address
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    page.goto("/")
    page.get_by_role("link", name="BLS readiness check").click()
    expect(page.get_by_role("heading", name="About you")).to_be_visible()
    page.get_by_role("button", name="Start the quiz").click()
    expect(page.locator(".error").first).to_be_visible()  # the intake is required: its errors, on the same page
    page.get_by_label("Which best describes your role?").select_option("nurse")
    page.get_by_label("BLS or “CPR for Healthcare Providers”").check()
    page.get_by_label("I work, or will work, in a clinical setting").check()
    page.get_by_label("Adults").check()
    page.get_by_role("button", name="Start the quiz").click()
    page.wait_for_url("**/questions/1")
    public_id = support.attempt_id(page.url)
    layout = support.slots(live_app, public_id)
    assert len(layout) == 30

    for number in (1, 2, 3):
        expect(page.locator("fieldset.question > legend")).to_have_text(f"Question {number} of 30")
        support.answer(page, *layout[number - 1])
        expect(page.locator("[data-save-state]")).to_have_text(SAVED)  # the script saved it, and says so
        page.get_by_role("button", name="Next").click()
        page.wait_for_url(f"**/questions/{number + 1}")
    expect(page.locator("label[for=progress]")).to_have_text("3 of 30 answered")
    assert page.locator("progress").get_attribute("value") == "3"

    page.get_by_role("link", name="Quizzes").click()  # leave ...
    page.get_by_role("link", name="Resume BLS readiness check").click()  # ... and come back
    page.wait_for_url(f"**/attempts/{public_id}/questions/1")
    for name, values in support.form_values(*layout[0]).items():
        if not name.startswith("item_") and layout[0][1].type != "numeric":
            for value in values:
                expect(page.locator(f'input[name=answer][value="{value}"]')).to_be_checked()
    page.get_by_role("button", name=re.compile(r"^4\s?: not answered$")).click()
    page.wait_for_url("**/questions/4")
    support.answer(page, *layout[3], correct=False)
    page.get_by_label("Flag this question for review").check()
    page.get_by_role("button", name="Review and submit").click()

    expect(page.get_by_role("heading", name="Review before you submit")).to_be_visible()
    expect(page.get_by_role("heading", name="Not answered (26)")).to_be_visible()
    expect(page.get_by_role("heading", name="Flagged for review (1)")).to_be_visible()
    page.get_by_role("button", name="Submit my answers").click()
    page.wait_for_url(f"**/attempts/{public_id}/result")

    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Your result: [\d.]+%"))
    expect(page.locator(".verdict")).to_contain_text("Not passed yet")
    expect(page.locator(".topic-bar")).to_have_count(3)
    rows = page.locator("table.data-table tbody tr")
    expect(rows).to_have_count(3)  # the chart's table alternative, one row per topic
    expect(page.locator("#rec-title")).to_have_text("Recommended course: BLS for Healthcare Providers")
    expect(page.locator(".readiness")).to_contain_text("Review first")

    page.get_by_role("link", name="My results", exact=True).click()
    expect(page.get_by_role("cell", name=re.compile(r"% \(not passed\)"))).to_be_visible()
    expect(page.get_by_role("cell", name="BLS for Healthcare Providers")).to_be_visible()


def test_practice_feedback_is_shown_and_announced(learner_page, live_app):
    """In a practice quiz, Check answer shows the verdict before the buttons and says it in the polite live region."""
    page = learner_page
    public_id = start(page, "airway-practice")
    slot, q = support.slots(live_app, public_id)[0]
    status = page.locator("[data-save-state]")
    assert status.get_attribute("aria-live") == "polite" and status.get_attribute("role") == "status"
    support.answer(page, slot, q, correct=False)
    expect(status).to_have_text(SAVED)
    page.get_by_role("button", name="Check answer").click()
    page.wait_for_load_state()

    expect(page.locator(".feedback-verdict")).to_contain_text(re.compile("(Not|Partly) correct"))
    expect(status).to_have_text(re.compile(r"^Answer checked: (Not|Partly) correct \([\d.]+ of \d+ points\)\."))
    expect(page.locator("fieldset.question")).to_have_attribute("disabled", "")  # the answer is locked
    expect(page.get_by_role("button", name="Check answer")).to_have_count(0)
    order = page.evaluate("[...document.querySelectorAll('.feedback, .actions')].map(el => el.className.split(' ')[0])")
    assert order == ["feedback", "actions"], "the verdict comes before the buttons that move on"

    page.reload()  # coming back to a checked question shows the feedback but does not announce it again
    expect(page.locator(".feedback-verdict")).to_be_visible()
    page.wait_for_timeout(700)
    expect(status).to_have_text("")


def test_saved_indicator_and_failure_banner(learner_page, live_app):
    """Autosave says Saved; a failed save shows an alert banner that clears when a save works again."""
    page = learner_page
    public_id = start(page, "browser-all-types")
    slot, q = support.slots(live_app, public_id)[0]
    assert q.type == "single"
    right, wrong = support.form_values(slot, q)["answer"][0], support.form_values(slot, q, False)["answer"][0]
    state, banner = page.locator("[data-save-state]"), page.locator("[data-save-alert]")
    assert banner.get_attribute("role") == "alert"
    expect(banner).to_be_hidden()

    page.locator(f'input[name=answer][value="{wrong}"]').check()
    expect(state).to_have_text(SAVED)
    expect(state).to_be_visible()

    page.route("**/autosave", lambda route: route.abort("internetdisconnected"))
    page.locator(f'input[name=answer][value="{right}"]').check()
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Not saved. The connection dropped.")
    expect(state).to_have_text("")
    colour = banner.evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour != "rgba(0, 0, 0, 0)", "the failure is a banner, not a line of text"

    page.unroute("**/autosave")
    page.get_by_label("Flag this question for review").check()
    expect(state).to_have_text(SAVED)
    expect(banner).to_be_hidden()
    page.reload()
    expect(page.locator(f'input[name=answer][value="{right}"]')).to_be_checked()


def test_timer_is_announced_at_thresholds_only(learner_page):
    """The countdown changes every second on screen, but the live region speaks only at 5 minutes and 1 minute."""
    page = learner_page
    page.clock.install(time=datetime.now(UTC))
    start(page, "browser-ten-minutes")
    announcer = page.locator("#timer-announcer")
    assert announcer.get_attribute("aria-live") == "polite"
    page.evaluate(WATCH_JS)
    remaining = int(page.locator(".timer").get_attribute("data-remaining"))
    assert 590 <= remaining <= 600
    page.clock.run_for(5_000)
    assert page.evaluate("window.__spoken") == []
    page.clock.run_for((remaining - 300 - 5 + 3) * 1000)  # just past 5 minutes left
    expect(announcer).to_have_text("5 minutes left.")
    page.clock.run_for((300 - 60 + 3) * 1000)  # just past 1 minute left
    expect(announcer).to_have_text("1 minute left.")
    expect(page.locator(".timer")).to_have_class(re.compile("timer-low"))
    assert page.evaluate("window.__spoken") == ["5 minutes left.", "1 minute left."]
    assert page.evaluate("window.__ticks") >= remaining - 70, "the visible countdown still ticks every second"


def test_timed_quiz_expires_on_the_server(learner_page, live_app, shifted_clock):
    """A one-minute quiz: the countdown shows, time up is announced, and the server scores the saved answers."""
    page = learner_page
    page.clock.install(time=datetime.now(UTC))
    public_id = start(page, "browser-timed")
    expect(page.locator(".timer-value")).to_have_text(re.compile(r"^(1:00|0:5\d)$"))
    slot, q = support.slots(live_app, public_id)[0]
    support.answer(page, slot, q)
    page.clock.run_for(500)  # the autosave waits a quarter of a second for more changes
    expect(page.locator("[data-save-state]")).to_have_text(SAVED)

    shifted_clock.offset = timedelta(seconds=95)  # past the deadline and its 30-second grace
    announcer = page.locator("#timer-announcer")
    for _ in range(70):
        page.clock.run_for(1_000)
        if announcer.text_content():
            break
    expect(announcer).to_have_text("Time is up. Your saved answers will be submitted.")
    with page.expect_navigation():
        page.clock.run_for(2_000)  # the page reloads itself
    page.wait_for_url(f"**/attempts/{public_id}/result")
    expect(page.locator(".flashes")).to_contain_text("Time is up: your attempt was submitted")
    expect(page.locator(".verdict")).to_contain_text("Time ran out")
    expect(page.locator("#q1 .feedback-verdict")).to_have_text(re.compile(r"^\W*Correct\b"))
