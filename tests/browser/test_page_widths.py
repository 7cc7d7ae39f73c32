"""Issue 14 item 12: "My results" works on a 375 px phone; data pages use the whole window on a desktop."""

from __future__ import annotations

import pytest

from tests.browser import support
from tests.browser.support import ADMIN, DESKTOP, INSTRUCTOR, LEARNER, PHONE

pytestmark = pytest.mark.browser

COLUMN = 960  # the reading column every other page keeps
# The first data table of each page, its width and the page's main column, in CSS pixels.
WIDTHS_JS = """selector => {
  const width = el => el.getBoundingClientRect().width;
  return {table: width(document.querySelector(selector)), main: width(document.querySelector('main'))};
}"""
IN_VIEW_JS = """el => {
  const box = el.getBoundingClientRect();
  return box.width > 0 && box.left >= 0 && box.right <= window.innerWidth;
}"""


def test_my_results_on_a_phone_has_no_sideways_scroll_and_a_reachable_result_link(new_context, watched, seeded):
    page = watched(new_context(LEARNER, viewport=PHONE).new_page())
    page.goto("/history")
    width, window = support.no_horizontal_scroll(page)
    assert width <= window, f"My results is {width}px wide on a {window}px screen"
    result = page.get_by_role("link", name="Result of attempt 1").first
    assert result.is_visible() and result.evaluate(IN_VIEW_JS), "the Result link is off screen"
    # Every cell of the card is on screen: nothing hides in a table that scrolls inside itself.
    cells = page.locator("main .stack-table td")
    assert cells.count() >= 6 and all(cells.nth(i).evaluate(IN_VIEW_JS) for i in range(cells.count()))
    assert (
        page.locator("main .stack-table td[data-label=Score]")
        .first.evaluate("td => getComputedStyle(td, '::before').content")
        .startswith('"Score"')
    )
    # Still a table to assistive technology: the header names each cell's column.
    assert page.get_by_role("columnheader", name="Score").first.count() == 1
    state = support.tab_until(page, lambda s: s["tag"] == "a" and s["text"].startswith("Result"))
    assert state["focusVisible"]
    assert page.evaluate("document.activeElement.getAttribute('href')").endswith("/result")
    assert support.axe_violations(page) == []
    support.screenshot(page, "history-phone")


def test_my_results_on_a_desktop_is_still_a_table(new_context, watched, seeded):
    page = watched(new_context(LEARNER, viewport=DESKTOP).new_page())
    page.goto("/history")
    header = page.locator("main .stack-table thead th").first
    assert header.is_visible() and header.evaluate("th => getComputedStyle(th).display") == "table-cell"
    support.screenshot(page, "history-desktop")


@pytest.mark.parametrize(
    ("who", "path", "table"),
    [
        (INSTRUCTOR, "/reports/bls-readiness/items", "main table.report-items"),
        (INSTRUCTOR, "/author/", "main table"),
        (INSTRUCTOR, "/author/banks/team-cpr", "main table"),
        (ADMIN, "/admin/users", "main table"),
    ],
    ids=["item-statistics", "author-banks", "author-bank", "admin-users"],
)
def test_data_pages_use_the_whole_window_on_a_desktop(new_context, watched, seeded, who, path, table):
    page = watched(new_context(who, viewport=DESKTOP).new_page())
    page.goto(path)
    widths = page.evaluate(WIDTHS_JS, table)
    assert widths["main"] > COLUMN and widths["table"] > COLUMN, widths
    width, window = support.no_horizontal_scroll(page)
    assert width <= window
    phone = watched(new_context(who, viewport=PHONE).new_page())
    phone.goto(path)
    width, window = support.no_horizontal_scroll(phone)
    assert width <= window, f"{path} is {width}px wide on a {window}px screen"


def test_reading_pages_keep_the_column(new_context, watched, seeded):
    page = watched(new_context(LEARNER, viewport=DESKTOP).new_page())
    page.goto("/history")
    assert page.evaluate("document.querySelector('main').getBoundingClientRect().width") <= COLUMN
