"""A learner gets the certificate of a ready result (a PDF with its verification code, which the public page shows)
and records their CPR card with the keyboard only, at desktop and phone widths; a bad date is announced and fixed
from the error summary."""

from __future__ import annotations

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Attempt, LearnerCard, User
from quizapp.taking import attempts
from tests.browser import support
from tests.browser.support import DESKTOP, PHONE
from tests.browser.test_profile_home import start_in_server

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect

NURSE = {
    "role": "nurse",
    "employer_requires": "bls",
    "clinical_setting": True,
    "cares_for": ["adults"],
    "regulatory": "none",
    "current_card": "none",
}


def ready_attempt(app, email: str) -> str:
    """Take the BLS readiness check in the server with every answer right (the result says "Ready"); return its id."""
    public_id = start_in_server(app, email, "bls-readiness", NURSE)
    with app.app_context():
        attempt = db.session.execute(select(Attempt).where(Attempt.public_id == public_id)).scalar_one()
        for index, (slot, q) in enumerate(support.slots_of(attempt)):
            attempts.save(attempt, index, support.stored_answer(slot, q), flagged=False)
        attempts.submit(attempt)
        db.session.commit()
    return public_id


def card_of(app, email: str) -> LearnerCard | None:
    """Read the learner's card straight from the server's database."""
    with app.app_context():
        user = db.session.execute(select(User).where(User.email == email)).scalar_one()
        return db.session.get(LearnerCard, user.id)


def press_on(page, text: str) -> None:
    """Tab to the link or button whose text starts with `text` and press Enter."""
    support.tab_until(page, lambda s: s["tag"] in ("a", "button") and s["text"].startswith(text), limit=120)
    page.keyboard.press("Enter")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "375px"])
def test_certificate_and_card_by_keyboard_only(new_context, watched, learner_email, live_app, tmp_path, viewport):
    """Result → certificate → PDF (its code) → verify page; the card form, a future date refused and fixed, home."""
    public_id = ready_attempt(live_app, learner_email)
    page = watched(new_context(learner_email, viewport=viewport, accept_downloads=True).new_page())
    page.goto(f"/attempts/{public_id}/result")
    expect(page.locator("[data-readiness]")).to_have_attribute("data-readiness", "ready")
    press_on(page, "Get a certificate")
    page.wait_for_url(f"**/attempts/{public_id}/certificate")
    expect(page.get_by_label("Name on the certificate")).to_have_value("Lee Learner")
    assert support.axe_violations(page) == []
    press_on(page, "Get my certificate")
    page.wait_for_url("**/certificates/*")
    expect(page.locator("main")).to_contain_text("Self-assessment — not a certification card")
    assert support.axe_violations(page) == []
    with page.expect_download() as download:
        press_on(page, "Download the certificate (PDF)")
    saved = tmp_path / "certificate.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")
    code = page.locator("dl.facts code").inner_text()  # grouped, as printed
    text = PdfReader(saved).pages[0].extract_text()
    assert "Lee Learner" in text and "not a certification card" in text and f"/verify/{code}" in text
    assert code in text.replace(f"/verify/{code}", "")  # the code on its own too, not only in the address
    # Back up to the verification address (above the download link) and open it, as an employer would.
    support.tab_until(page, lambda s: s["tag"] == "a" and s["text"].startswith("http"), key="Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/verify/{code}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Certificate {code}")
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "valid")
    expect(page.locator("main")).to_contain_text("Lee Learner")
    expect(page.locator("main")).to_contain_text("BLS readiness check")
    assert support.axe_violations(page) == []

    page.goto("/credentials")
    press_on(page, "Record your card")
    page.wait_for_url("**/credentials/card")
    support.tab_until(page, lambda s: s["name"] == "issued_on")
    page.keyboard.type("2099-01-01")
    page.keyboard.press("Enter")  # sends the form
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("The issue date cannot be in the future")
    expect(page.locator("#issued_on")).to_have_attribute("aria-invalid", "true")
    assert support.axe_violations(page) == []
    press_on(page, "The issue date cannot be in the future")  # the summary's link leads to the field
    expect(page.locator("#issued_on")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("2025-03-15")
    page.keyboard.press("Enter")
    page.wait_for_url("**/credentials")
    expect(page.locator("main")).to_contain_text("valid through 31 Mar 2027")
    assert card_of(live_app, learner_email).expires_on.isoformat() == "2027-03-31"
    page.goto("/")
    expect(page.locator("#home-card + *")).to_contain_text("BLS Provider")
    expect(page.locator(".card-standing")).to_contain_text("days left")
    assert support.no_horizontal_scroll(page)[0] <= support.no_horizontal_scroll(page)[1]
    assert page.console_errors == []
