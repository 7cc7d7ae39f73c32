"""The instructor writes, previews and imports questions; the admin downloads an export and it parses."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.browser import support

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect

BANK = "airway-management"


@pytest.fixture
def instructor_page(new_context, watched):
    """A desktop page signed in as the instructor."""
    return watched(new_context(support.INSTRUCTOR).new_page())


def test_write_a_question_and_preview_it(instructor_page):
    """Write a single-answer question with four choices, save it, and check an answer in the learner's preview."""
    page = instructor_page
    page.goto(f"/author/banks/{BANK}")
    page.get_by_label("New question of type").select_option("single")
    page.get_by_role("button", name="Write a new question").click()
    page.wait_for_url(f"**/author/banks/{BANK}/questions/new?type=single")
    page.locator("#stem").fill("A browser-test question: how often should rescuers **swap compressors**?")
    choices = ["About every 2 minutes", "Every 10 minutes", "Only when the AED arrives", "Never"]
    for n, text in enumerate(choices):
        page.get_by_label(f"Choice {n + 1}", exact=True).fill(text)
        page.get_by_label(f"Feedback when choice {n + 1} is picked").fill("Right." if n == 0 else "Too rare.")
    page.get_by_label("Choice 1 is correct").check()
    page.get_by_label("Rationale").fill("Fatigue lowers compression quality within about 2 minutes.")
    page.get_by_label("Source").select_option(index=1)
    page.locator(".actions").get_by_role("button", name="Save").click()

    expect(page.locator(".flashes")).to_contain_text(re.compile(r"Question [\w-]+ created as version 1"))
    key = re.search(r"/author/questions/([^/]+)/edit", page.url).group(1)
    page.get_by_role("link", name="Preview as a learner").click()
    page.wait_for_url(f"**/author/questions/{key}/preview")
    expect(page.get_by_role("group", name="Question 1 of 1")).to_contain_text("swap compressors")
    page.get_by_label("About every 2 minutes").check()
    page.get_by_role("button", name="Check my answer").click()
    expect(page.locator(".feedback-verdict")).to_contain_text("Correct")
    expect(page.locator(".choice-feedback")).to_have_text("Right.")
    assert support.axe_violations(page) == []


def test_admin_downloads_an_export(new_context, watched):
    """The admin chooses attempts as CSV and downloads a file that parses, with one row per finished attempt."""
    page = watched(new_context(support.ADMIN).new_page())
    page.goto("/admin/")
    page.get_by_role("link", name="Exports").first.click()
    page.get_by_label("Attempts: one row per attempt").check()
    page.get_by_label("Format").select_option("csv")
    page.get_by_label("Quiz").select_option("bls-readiness")
    with page.expect_download() as download:
        page.get_by_role("button", name="Export").click()
    assert re.fullmatch(r"quizapp-attempts-\d{8}T\d{4}Z\.csv", download.value.suggested_filename)
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert len(rows) >= 2
    assert {row["quiz"] for row in rows} == {"bls-readiness"}
    assert all(0 <= float(row["percent"]) <= 100 for row in rows)


def test_admin_gets_an_xlsx_export_as_a_file_from_the_list(new_context, watched):
    """An XLSX export is made by a job (eagerly here): the page lists it and its link downloads the workbook."""
    page = watched(new_context(support.ADMIN).new_page())
    page.goto("/admin/exports")
    page.get_by_label("Responses: one row per answered question").check()
    page.get_by_label("Format").select_option("xlsx")
    page.get_by_role("button", name="Export").click()
    page.get_by_text("The export is ready: download it below.").wait_for()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^Download quizapp-responses-")).first.click()
    assert re.fullmatch(r"quizapp-responses-\d{8}T\d{4}Z\.xlsx", download.value.suggested_filename)
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    assert next(sheet.iter_rows(values_only=True))[0] == "attempt_id" and sheet.max_row >= 2
