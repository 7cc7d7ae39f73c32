"""Ordering questions: drag and drop, and Up and Down buttons announced, on top of the position menus (which work
without JavaScript and are what is posted); the menu's label is never cut off."""

from __future__ import annotations

import re

import pytest

from quizapp.taking import grading
from tests.browser import flows, support
from tests.browser.support import DESKTOP, PHONE

pytestmark = pytest.mark.browser
SAVED = re.compile(r"Saved at \d")
expect = pytest.importorskip("playwright.sync_api").expect

SIZES = pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
# The menu's width against the width it takes when left to size itself to its longest option (and its arrow).
MENU_JS = """sel => {
  const free = sel.cloneNode(true);
  free.removeAttribute('id');
  Object.assign(free.style, {width: 'auto', minWidth: '0', maxWidth: 'none'});
  Object.assign(free.style, {position: 'absolute', visibility: 'hidden'});
  sel.parentNode.appendChild(free);
  const need = free.getBoundingClientRect().width;
  free.remove();
  return {need, has: sel.getBoundingClientRect().width};
}"""


def open_ordering(page, app) -> tuple[str, int, dict]:
    """Start the every-type quiz and open its first ordering question; return (attempt id, number, slot)."""
    public_id = flows.start(page, "browser-all-types")
    number = flows.numbers(app, public_id)["ordering"][0]
    page.goto(f"/attempts/{public_id}/questions/{number}")
    return public_id, number, support.slots(app, public_id)[number - 1][0]


def words(state: dict) -> str:
    """Return the focused element's text with its spaces collapsed."""
    return " ".join(state["text"].split())


def focused_item(page) -> str | None:
    """Return the menu name of the ordering item that holds the focus."""
    return page.evaluate(
        "(document.activeElement.closest('ol.ordering > li') || {querySelector: () => null})"
        ".querySelector('select')?.name ?? null"
    )


def assert_menus_follow_the_list(page) -> list[str]:
    """Every menu holds its item's place in the list as shown; return the menu names top to bottom."""
    items = flows.ordering_items(page)
    assert [item["value"] for item in items] == [str(n) for n in range(1, len(items) + 1)]
    return [item["name"] for item in items]


def assert_saved_right(page, app, public_id: str, number: int) -> None:
    """Next (reached with Tab, pressed with Enter) posts the menus, and the order shown is saved as the right one."""
    support.tab_until(page, lambda s: s["tag"] == "button" and s["text"] == "Next")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/questions/{number + 1}")
    q = support.slots(app, public_id)[number - 1][1]
    assert grading.is_correct(q, support.saved_answers(app, public_id).get(number - 1))


@SIZES
def test_up_and_down_buttons_by_keyboard_are_announced(size, new_context, watched, learner_email, live_app):
    """Space and Enter on an item's Up and Down buttons move it, keep the focus on it and say where it went."""
    page = watched(new_context(learner_email, viewport=size).new_page())
    public_id, number, slot = open_ordering(page, live_app)
    live = page.locator("[data-ordering-live]")
    assert live.get_attribute("aria-live") == "polite"
    expect(page.locator("[data-ordering-hint]")).to_be_visible()
    first = flows.ordering_items(page)[0]
    support.tab_until(page, lambda s: s["tag"] == "button" and words(s).startswith("Move Down"))
    page.keyboard.press("Space")
    assert assert_menus_follow_the_list(page)[1] == first["name"]
    total = len(slot["order"])
    expect(live).to_have_text(f"\u201c{first['label']}\u201d is now at position 2 of {total}.")
    assert focused_item(page) == first["name"], "the focus stays on the moved item's button"
    page.keyboard.press("Shift+Tab")
    assert words(support.focused(page)).startswith("Move Up")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    expect(live).to_have_text(f"\u201c{first['label']}\u201d is already first.")

    # Now put every item in its place with the Up buttons alone, as a keyboard user would.
    wanted = flows.right_order(slot)
    for rank, name in enumerate(wanted):
        shown = [item["name"] for item in flows.ordering_items(page)]
        if shown.index(name) == rank:
            continue
        support.tab_until(page, lambda s, name=name: words(s).startswith("Move Up") and focused_item(page) == name)
        for _ in range(shown.index(name) - rank):
            page.keyboard.press("Space")
    expect(live).to_contain_text("is now at position")
    assert assert_menus_follow_the_list(page) == wanted
    expect(page.locator("[data-save-state]")).to_have_text(SAVED)  # a move tells the autosave
    assert_saved_right(page, live_app, public_id, number)
    assert page.console_errors == []


def drag(page, name: str, rank: int) -> None:
    """Drag the item of menu `name` by its handle to the top of the item now shown at `rank` (from 0)."""
    grip = page.locator(f"ol.ordering > li:has(select[name={name}]) .ordering-grip")
    target = page.locator("ol.ordering > li").nth(rank).bounding_box()
    box = grip.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2, target["y"] + 4, steps=8)
    page.mouse.up()


def test_drag_and_drop_with_the_mouse(new_context, watched, learner_email, live_app):
    """Dragging an item by its handle puts it where it is dropped, fills every menu and saves."""
    page = watched(new_context(learner_email).new_page())
    public_id, number, slot = open_ordering(page, live_app)
    right = flows.right_order(slot)
    if [item["name"] for item in flows.ordering_items(page)] == right:  # shuffled into the right order: 1 in 120
        drag(page, right[0], len(right) - 1)
    for rank, name in enumerate(right):
        drag(page, name, rank)
    assert assert_menus_follow_the_list(page) == right
    expect(page.locator("[data-ordering-live]")).to_contain_text("is now at position")
    expect(page.locator("[data-save-state]")).to_have_text(SAVED)  # a move tells the autosave
    assert_saved_right(page, live_app, public_id, number)


def test_a_menu_changed_by_hand_swaps_and_the_list_follows(new_context, watched, learner_email, live_app):
    """Once every item has a place, choosing a taken position swaps the two items and the list shows the result."""
    page = watched(new_context(learner_email).new_page())
    open_ordering(page, live_app)
    page.locator("ol.ordering > li").first.get_by_role("button", name=re.compile("^Move Down")).click()
    before = assert_menus_follow_the_list(page)
    page.locator(f"select[name={before[0]}]").select_option("3")
    after = assert_menus_follow_the_list(page)
    assert after[2] == before[0] and after[0] == before[2] and after[1] == before[1]


def test_without_javascript_the_menus_do_it_all(new_context, learner_email, live_app):
    """No script: no buttons or handles, the position menus alone answer the question."""
    page = new_context(learner_email, java_script_enabled=False).new_page()
    public_id, number, slot = open_ordering(page, live_app)
    expect(page.locator(".ordering-move, .ordering-grip")).to_have_count(0)
    expect(page.locator("[data-ordering-hint]")).to_be_hidden()
    for rank, name in enumerate(flows.right_order(slot), start=1):
        page.locator(f"select[name={name}]").select_option(str(rank))
    page.get_by_role("button", name="Next").click()
    page.wait_for_url(f"**/questions/{number + 1}")
    q = support.slots(live_app, public_id)[number - 1][1]
    assert grading.is_correct(q, support.saved_answers(live_app, public_id).get(number - 1))


@SIZES
def test_the_menu_label_is_not_cut_off(size, new_context, watched, learner_email, live_app):
    """Every position menu is wide enough for its longest option, and the item labels wrap rather than clip."""
    page = watched(new_context(learner_email, viewport=size).new_page())
    open_ordering(page, live_app)
    for menu in page.locator("select.ordering-select").all():
        got = menu.evaluate(MENU_JS)
        assert got["has"] >= got["need"] - 0.5, f"the menu's text is cut off: {got}"
    for label in page.locator(".ordering-label").all():
        assert label.evaluate("el => el.scrollWidth <= el.clientWidth")
    assert support.no_horizontal_scroll(page)[0] <= size["width"]
    assert support.axe_violations(page) == []
    support.screenshot(page, f"ordering-question-{'phone' if size == PHONE else 'desktop'}")
