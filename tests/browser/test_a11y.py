"""WCAG 2.1 A and AA with axe-core on every page type, and what a screen reader needs on the quiz pages."""

from __future__ import annotations

import re

import pytest

from tests.browser import support
from tests.browser.pages import ALL_PAGES

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect


@pytest.mark.parametrize("kind", ALL_PAGES, ids=lambda p: p.name)
def test_no_axe_violations(kind, new_context, watched, seeded, live_app):
    """axe-core finds no WCAG 2.1 A or AA violation, and the page logs no error (CSP included)."""
    page = watched(new_context(kind.who).new_page())
    kind.open(page, seeded, live_app)
    assert page.locator("h1").count() == 1, "every page has one main heading"
    assert support.axe_violations(page) == []
    assert page.console_errors == []


@pytest.mark.parametrize("kind", support.QUESTION_TYPES)
def test_each_question_is_a_group_named_by_its_legend(kind, new_context, seeded):
    """Every question type is a fieldset whose legend names it, with the stem as its description."""
    page = new_context(support.LEARNER).new_page()
    number = seeded["types"][kind]
    page.goto(f"/attempts/{seeded['every']}/questions/{number}")
    group = page.get_by_role("group", name=f"Question {number} of ")
    expect(group).to_have_count(1)
    expect(group).to_have_accessible_description(re.compile(r"\w{3,}"))
    expect(page.locator("fieldset.question > legend")).to_have_count(1)
    if kind in ("single", "multiple", "true_false"):
        expect(group.locator("input[name=answer]").first).to_have_accessible_name(re.compile(r"\w"))
    elif kind == "ordering":
        for select in group.locator("select").all():
            expect(select).to_have_accessible_name(re.compile(r"\w{3,}"))
    else:
        expect(group.get_by_role("textbox")).to_have_accessible_name(re.compile(r"^Your answer"))


def test_result_chart_has_a_table_alternative(new_context, seeded):
    """The result's chart is hidden from screen readers, labels each bar in words, and a table has the figures."""
    page = new_context(support.LEARNER).new_page()
    page.goto(f"/attempts/{seeded['result']}/result")
    figure = page.locator("figure.chart")
    expect(figure.locator(".topic-bars")).to_have_attribute("aria-hidden", "true")
    expect(figure.locator("figcaption")).to_contain_text("The same figures are in the table below")
    bars = figure.locator(".topic-bar-label").all_inner_texts()
    table = page.locator("figure.chart + table")
    expect(table.locator("caption")).to_have_text("Score by topic")
    rows = table.locator("tbody tr").all_inner_texts()
    assert len(rows) == len(bars) == 3
    for bar, row in zip(bars, rows, strict=True):
        name, score = row.split("\t")[:2]
        assert bar.startswith(name) and score in bar
        assert "mark" in bar, "above or below the mark is said in words, not only in colour"
