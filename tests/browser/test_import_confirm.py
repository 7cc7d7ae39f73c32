"""An instructor imports a GIFT file with the keyboard, at desktop and phone widths: Preview shows what each question
would become (two to add, one refused with its line), and Confirm imports that same file without choosing it again."""

from __future__ import annotations

import pytest

from tests.browser import pages, support
from tests.browser.support import DESKTOP, PHONE

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect

BANK = "airway-management"
BROKEN = "::Broken::Which of these is right? {~only a wrong answer ~another wrong answer}\n"


def gift_file(width: int) -> dict:
    """The browser-test GIFT file made unique to this width, with one malformed question (no right answer) last."""
    run = f"({width} px run)"
    text = pages.GIFT.replace("for adults?", f"for adults {run}?").replace("deep.", f"deep {run}.") + "\n" + BROKEN
    return {"name": f"import-{width}.gift.txt", "mimeType": "text/plain", "buffer": text.encode()}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "375px"])
def test_preview_then_confirm_by_keyboard(new_context, watched, viewport):
    """Choose the file, tick GIFT with Space, Preview with Enter, read the report, Confirm with Enter."""
    page = watched(new_context(support.INSTRUCTOR, viewport=viewport).new_page())
    page.goto(f"/author/banks/{BANK}/import")
    page.get_by_label("File to import").set_input_files(files=[gift_file(viewport["width"])])
    page.get_by_label("File to import").focus()
    support.tab_until(page, lambda s: s["name"] == "format")
    while support.focused(page)["value"] != "gift":
        page.keyboard.press("ArrowDown")  # arrows move through a radio group and select as they go
    expect(page.locator("input[name=format][value=gift]")).to_be_checked()
    support.tab_until(page, lambda s: s["tag"] == "input" and s["value"].startswith("Preview"))
    page.keyboard.press("Enter")

    report = page.locator(".import-report")
    expect(page.get_by_role("heading", name="Preview (dry run): nothing has been saved")).to_be_visible()
    expect(report.locator(".import-counts")).to_contain_text("2 questions to add, 1 refused")
    expect(report.locator(".report-created li")).to_have_count(2)
    expect(report.locator(".report-refused li")).to_have_text(["line 11: a multiple question needs at least 1 correct "
                                                             "choice"])
    assert support.axe_violations(page) == []
    width, window = support.no_horizontal_scroll(page)
    assert width <= window

    support.tab_until(page, lambda s: s["text"] == "Confirm import")
    page.keyboard.press("Enter")
    expect(page.locator(".flashes")).to_contain_text("2 created")
    expect(page.locator(".flashes")).to_contain_text("line 11")
    page.goto(f"/author/banks/{BANK}?q={viewport['width']}+px+run")
    expect(page.locator("table.question-list tbody tr")).to_have_count(2)
