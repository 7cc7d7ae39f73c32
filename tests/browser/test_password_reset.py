"""Password reset end to end with the keyboard only, at desktop and phone widths: ask for a link, read the mail in the
admin's outbox (development mail goes to the console and is kept there), follow the link, set a password, sign in."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import User
from tests.browser import support
from tests.browser.support import ADMIN, DESKTOP, PHONE

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect

NEW_PASSWORD = "a fresh compression rhythm 42"


def read_reset_link(admin_page, email: str) -> str:
    """Open the newest reset message to `email` in the admin's outbox and return the link its plain text holds."""
    admin_page.goto("/admin/outbox")
    row = admin_page.get_by_role("row").filter(has_text=email).first
    expect(row).to_contain_text("sent")
    row.get_by_role("link", name="Reset your CPR quiz password").click()
    admin_page.wait_for_url("**/admin/outbox/*")
    text = admin_page.locator("pre").first.inner_text()
    assert "the link works once, for one hour" in text
    return re.search(r"https?://\S+/auth/reset/\S+", text).group(0)


def type_into(page, name: str, text: str) -> None:
    """Tab to the field called `name` and type into it."""
    support.tab_until(page, lambda s: s["name"] == name)
    page.keyboard.type(text)


def password_is(app, email: str, password: str) -> bool:
    """Whether the account's stored password is this one (read straight from the server's database)."""
    with app.app_context():
        return db.session.execute(select(User).where(User.email == email)).scalar_one().check_password(password)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "375px"])
def test_reset_by_keyboard_from_sign_in_to_signed_in(new_context, watched, learner_email, live_app, viewport):
    """Sign-in page → reset request → mail → link → new password (Space on the button) → sign in with it."""
    page = watched(new_context(viewport=viewport).new_page())
    page.goto("/auth/login")
    support.tab_until(page, lambda s: s["tag"] == "a" and s["text"] == "Reset it by email", limit=120)
    page.keyboard.press("Enter")
    page.wait_for_url("**/auth/reset")
    type_into(page, "email", learner_email)
    page.keyboard.press("Enter")
    expect(page.locator(".flashes")).to_contain_text("If this address has an account, a message with a link")
    assert support.axe_violations(page) == []

    link = read_reset_link(watched(new_context(ADMIN).new_page()), learner_email)
    page.goto(link)  # the learner follows the link in their mail
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    assert support.axe_violations(page) == []
    type_into(page, "password", NEW_PASSWORD)
    type_into(page, "confirm", NEW_PASSWORD)
    support.tab_until(page, lambda s: s["tag"] == "button" and s["text"] == "Set the new password")
    page.keyboard.press("Space")
    page.wait_for_url("**/auth/login")
    expect(page.locator(".flashes")).to_contain_text("Your password is changed")
    assert password_is(live_app, learner_email, NEW_PASSWORD)

    type_into(page, "email", learner_email)
    type_into(page, "password", NEW_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/auth/login" not in url)
    expect(page.locator("body")).to_contain_text("Sign out")
    page.goto(link)  # used: the link no longer works
    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not work")
    width, window = support.no_horizontal_scroll(page)
    assert width <= window
    assert page.console_errors == []
