"""Phone and desktop: no sideways scrolling on a phone, readable text, and screenshots to look at."""

from __future__ import annotations

import pytest

from tests.browser import support
from tests.browser.pages import ALL_PAGES
from tests.browser.support import DESKTOP, INSTRUCTOR, LEARNER, PHONE

pytestmark = pytest.mark.browser

SIZES = {"phone": PHONE, "desktop": DESKTOP}
SHOTS = {
    "question-single": (LEARNER, lambda seeded: f"/attempts/{seeded['every']}/questions/{seeded['types']['single']}"),
    "question-ordering": (
        LEARNER,
        lambda seeded: f"/attempts/{seeded['every']}/questions/{seeded['types']['ordering']}",
    ),
    "question-feedback": (LEARNER, lambda seeded: f"/attempts/{seeded['practice']}/questions/1"),
    "result": (LEARNER, lambda seeded: f"/attempts/{seeded['result']}/result"),
    "author-question": (INSTRUCTOR, lambda seeded: "/author/questions/tcpr-001/edit"),
}
TEXT_SIZES_JS = """() => {
  const small = [];
  for (const el of document.querySelectorAll('main p, main li, main label, main td, main th, main dd, main legend')) {
    if (!el.offsetParent || el.closest('.visually-hidden, svg')) { continue; }
    const px = parseFloat(getComputedStyle(el).fontSize);
    if (px < 14) { small.push(el.tagName + ' ' + px + 'px: ' + el.innerText.slice(0, 40)); }
  }
  return {body: parseFloat(getComputedStyle(document.body).fontSize), small: small.slice(0, 5)};
}"""


@pytest.mark.parametrize("kind", ALL_PAGES, ids=lambda p: p.name)
def test_no_sideways_scrolling_on_a_phone(kind, new_context, watched, seeded, live_app):
    """At 375 px wide no page is wider than the screen, wide tables scroll by keyboard, and text stays readable."""
    page = watched(new_context(kind.who, viewport=PHONE).new_page())
    kind.open(page, seeded, live_app)
    width, window = support.no_horizontal_scroll(page)
    assert width <= window, f"{kind.name} is {width}px wide on a {window}px screen"
    assert support.axe_violations(page, support.LAYOUT_RULES) == []
    sizes = page.evaluate(TEXT_SIZES_JS)
    assert sizes["body"] >= 16
    assert sizes["small"] == [], "text under 14px"


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", SHOTS)
def test_screenshots(name, size, new_context, watched, seeded):
    """Save full-page screenshots of the question, result and authoring pages at phone and desktop sizes."""
    who, path = SHOTS[name]
    page = watched(new_context(who, viewport=SIZES[size]).new_page())
    page.goto(path(seeded))
    shot = support.screenshot(page, f"{name}-{size}")
    assert shot.stat().st_size > 10_000
    fonts = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert fonts.startswith("system-ui")
