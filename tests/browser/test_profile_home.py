"""The intake asked once (profile, pre-filled quiz starts), the learner's home page, and times in their time zone,
with the mouse and with the keyboard only, at desktop and phone widths."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Attempt, LearnerProfile, Quiz, User
from quizapp.taking import attempts
from tests.browser import support
from tests.browser.support import DESKTOP, PHONE

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect

PARIS_TIME = re.compile(r"\d\d:\d\d CES?T")


def start_in_server(app, email: str, slug: str, intake: dict | None = None) -> str:
    """Start an attempt for a learner through the attempts service; return its public id."""
    with app.app_context():
        user = db.session.execute(select(User).where(User.email == email)).scalar_one()
        quiz = db.session.execute(select(Quiz).where(Quiz.slug == slug)).scalar_one()
        attempt = attempts.start(quiz, user, intake=intake)
        db.session.commit()
        return attempt.public_id


def finish_in_server(app, public_id: str) -> None:
    """Answer an attempt (every fourth question wrong) and submit it through the attempts service."""
    with app.app_context():
        attempt = db.session.execute(select(Attempt).where(Attempt.public_id == public_id)).scalar_one()
        for index, (slot, q) in enumerate(support.slots_of(attempt)):
            attempts.save(attempt, index, support.stored_answer(slot, q, correct=index % 4 != 0), flagged=False)
        attempts.submit(attempt)
        db.session.commit()


def profile_of(app, email: str) -> LearnerProfile | None:
    """Read a learner's stored profile straight from the server's database."""
    with app.app_context():
        user = db.session.execute(select(User).where(User.email == email)).scalar_one()
        return db.session.get(LearnerProfile, user.id)


def fill_coach_intake(page) -> None:
    """Answer the intake as a coach whose employer asks for CPR/AED, looking after children."""
    page.get_by_label("Which best describes your role?").select_option("coach")
    page.get_by_label("CPR/AED, not BLS").check()
    page.get_by_label("Children (1 year to puberty)").check()


def expect_coach_intake(page) -> None:
    """The intake on the page shows the coach's answers."""
    expect(page.get_by_label("Which best describes your role?")).to_have_value("coach")
    expect(page.get_by_label("CPR/AED, not BLS")).to_be_checked()
    expect(page.get_by_label("Children (1 year to puberty)")).to_be_checked()
    expect(page.get_by_label("Adults")).not_to_be_checked()


def test_intake_once_prefilled_next_time_and_the_home_page(new_context, watched, learner_email, live_app):
    """Intake answered once is pre-filled next time; home shows Resume, the last result and advice, local times."""
    page = watched(new_context(learner_email, timezone_id="Europe/Paris").new_page())
    page.goto("/quizzes/lay-rescuer-essentials")
    fill_coach_intake(page)
    page.get_by_role("button", name="Start the quiz").click()
    page.wait_for_url("**/questions/1")
    finish_in_server(live_app, support.attempt_id(page.url))
    stored = profile_of(live_app, learner_email)
    assert stored.intake["role"] == "coach" and stored.time_zone == "Europe/Paris"

    page.goto("/quizzes/bls-readiness")
    expect_coach_intake(page)
    expect(page.get_by_role("link", name="your profile")).to_be_visible()
    page.get_by_role("button", name="Start the quiz").click()
    page.wait_for_url("**/questions/1")
    second = support.attempt_id(page.url)

    page.goto("/")
    in_progress = page.get_by_role("region", name="In progress")
    expect(in_progress).to_contain_text("BLS readiness check")
    expect(in_progress).to_contain_text(PARIS_TIME)
    last = page.get_by_role("region", name="Your last result")
    expect(last).to_contain_text("Lay rescuer essentials")
    expect(last).to_contain_text("Recommended course:")
    expect(last).to_contain_text(PARIS_TIME)
    expect(page.get_by_role("heading", name="Quizzes", level=2)).to_be_visible()  # the catalog, below
    assert support.axe_violations(page) == []
    support.screenshot(page, "home-desktop")
    page.set_viewport_size(PHONE)
    width, window = support.no_horizontal_scroll(page)
    assert width <= window, f"the home page is {width}px wide on a {window}px screen"
    support.screenshot(page, "home-phone")
    page.set_viewport_size(DESKTOP)

    in_progress.get_by_role("link", name="Resume your attempt at BLS readiness check").click()
    page.wait_for_url(f"**/attempts/{second}/questions/1")
    page.goto("/history")
    expect(page.locator("main table time").first).to_have_text(PARIS_TIME)
    assert page.console_errors == []


def test_profile_by_keyboard_only(new_context, watched, learner_email, live_app):
    """The profile is filled and saved with Tab, the arrow keys, Space and Enter; then Resume on the home page."""
    open_id = start_in_server(live_app, learner_email, "browser-short")
    page = watched(new_context(learner_email, timezone_id="America/New_York").new_page())
    page.goto("/profile")
    support.tab_until(page, lambda s: s["tag"] == "select" and s["name"] == "role")
    page.keyboard.press("ArrowDown")  # the first role: nurse
    expect(page.get_by_label("Which best describes your role?")).to_have_value("nurse")
    support.tab_until(page, lambda s: s["name"] == "employer_requires")
    page.keyboard.press("Space")  # the first answer: BLS
    support.tab_until(page, lambda s: s["name"] == "clinical_setting")
    page.keyboard.press("Space")
    support.tab_until(page, lambda s: s["name"] == "cares_for" and s["value"] == "adults")
    page.keyboard.press("Space")
    support.tab_until(page, lambda s: s["tag"] == "button" and s["text"] == "Save my answers")
    page.keyboard.press("Enter")
    expect(page.locator(".flash")).to_contain_text("Your profile is saved")
    stored = profile_of(live_app, learner_email)
    assert stored.intake["role"] == "nurse" and stored.intake["employer_requires"] == "bls"
    assert stored.intake["clinical_setting"] is True and stored.intake["cares_for"] == ["adults"]
    assert stored.time_zone == "America/New_York"
    expect(page.locator("#time-zone-note")).to_contain_text("America/New_York")
    assert support.axe_violations(page) == []

    page.goto("/")
    support.tab_until(page, lambda s: s["tag"] == "a" and s["text"].startswith("Resume"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/attempts/{open_id}/questions/1")
    assert page.console_errors == []


def test_recommend_page_starts_from_the_profile(new_context, watched, learner_email):
    """Once saved in the profile, /recommend shows the answers and the recommendation they give."""
    page = watched(new_context(learner_email).new_page())
    page.goto("/profile")
    fill_coach_intake(page)
    page.get_by_role("button", name="Save my answers").click()
    expect(page.locator(".flash")).to_contain_text("Your profile is saved")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Which course?").click()
    expect(page.locator("#rec-title")).to_contain_text("Adult, child and infant CPR/AED")
    expect_coach_intake(page)
