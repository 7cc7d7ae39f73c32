"""Every page type the app shows, with who sees it and how to reach it, for the axe and phone-width checks."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import OutboxMessage
from tests.browser.support import ADMIN, INSTRUCTOR, LEARNER, QUESTION_TYPES


@dataclass(frozen=True)
class PageType:
    """One page type: a name, the account that sees it (None: anonymous) and how to open it."""

    name: str
    who: str | None
    open: Callable  # (page, seeded, app) -> None


def go(path: str) -> Callable:
    """Open a fixed path."""
    return lambda page, seeded, app: page.goto(path)


def question(kind: str) -> Callable:
    """Open the seeded every-type attempt at its first question of `kind`."""
    return lambda page, seeded, app: page.goto(f"/attempts/{seeded['every']}/questions/{seeded['types'][kind]}")


def register_with_errors(page, seeded, app) -> None:
    """The registration form sent empty: every field shows its error."""
    page.goto("/auth/register")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector(".error")


def recommend_with_result(page, seeded, app) -> None:
    """The course recommendation answered, with readiness from the signed-in learner's latest result."""
    page.goto("/recommend")
    fill_intake(page)
    page.get_by_role("button", name="Show my recommendation").click()
    page.wait_for_selector("#rec-title")


def profile_with_errors(page, seeded, app) -> None:
    """The profile form sent without a role or an employer answer: the errors, in place (nothing is saved)."""
    page.goto("/profile")
    page.get_by_label("Which best describes your role?").select_option("")
    page.get_by_role("button", name="Save my answers").click()
    page.wait_for_selector(".error")


def fill_intake(page) -> None:
    """Answer the intake questions as a nurse whose employer asks for BLS."""
    page.get_by_label("Which best describes your role?").select_option("nurse")
    page.get_by_label("BLS or “CPR for Healthcare Providers”").check()
    page.get_by_label("Adults").check()


def ordering_error(page, seeded, app) -> None:
    """An ordering question sent with two items in the same position: the error alert."""
    question("ordering")(page, seeded, app)
    for menu in page.locator("select.ordering-select").all():
        menu.select_option("1")
    page.get_by_role("button", name="Next").click()
    page.wait_for_selector(".alert-error")


def preview_checked(page, seeded, app) -> None:
    """An instructor's question preview after checking an answer: the feedback shown."""
    page.goto("/author/questions/tcpr-001/preview")
    page.locator("input[name=answer]").first.check()
    page.get_by_role("button", name="Check my answer").click()
    page.wait_for_selector(".feedback")


def import_dry_run(page, seeded, app) -> None:
    """The import page with a dry-run report of a small GIFT file."""
    page.goto("/author/banks/team-cpr/import")
    page.get_by_label("File to import").set_input_files(
        files=[{"name": "cpr.gift.txt", "mimeType": "text/plain", "buffer": GIFT.encode()}]
    )
    page.get_by_role("button", name="Preview (dry run)").click()
    page.wait_for_load_state()


def new_question_errors(page, seeded, app) -> None:
    """The new-question form saved empty: the error summary and field errors."""
    page.goto("/author/banks/team-cpr/questions/new")
    page.locator(".actions").get_by_role("button", name="Save").click()
    page.wait_for_selector("#error-summary")


def user_edit(page, seeded, app) -> None:
    """The admin's page for one user (the seeded learner)."""
    page.goto("/admin/users?q=seeded.learner")  # found by search: the tests' new learners fill the first page
    page.get_by_role("link", name=LEARNER).first.click()
    page.wait_for_url("**/admin/users/*")


def reset_requested(page, seeded, app) -> None:
    """The reset form sent for the seeded learner: the same answer for any address (its mail goes to the outbox)."""
    page.goto("/auth/reset")
    page.get_by_label("Email").fill(LEARNER)
    page.get_by_role("button", name="Send the link").click()
    page.wait_for_selector(".flashes")


def reset_link(app) -> str:
    """Return the path of the newest reset link mailed to the seeded learner (read from the outbox)."""
    with app.app_context():
        stmt = select(OutboxMessage.text_body).where(OutboxMessage.to == LEARNER).order_by(OutboxMessage.id.desc())
        return re.search(r"/auth/reset/\S+", db.session.scalars(stmt).first()).group(0)


def reset_form(page, seeded, app) -> None:
    """The page a mailed reset link opens: choose a new password (the link is asked for first, and stays unused)."""
    reset_requested(page, seeded, app)
    page.goto(reset_link(app))


def reset_form_errors(page, seeded, app) -> None:
    """The new-password form sent with two different passwords: the errors, and the link still unused."""
    reset_form(page, seeded, app)
    page.get_by_label("New password", exact=True).fill("a fresh compression rhythm 42")
    page.get_by_label("Repeat new password").fill("something else entirely 42")
    page.get_by_role("button", name="Set the new password").click()
    page.wait_for_selector(".error")


def outbox_message(page, seeded, app) -> None:
    """One message in the admin's outbox: a reset link mailed to the seeded learner."""
    reset_requested(page, seeded, app)
    page.goto("/admin/outbox")
    page.get_by_role("link", name="Reset your CPR quiz password").first.click()
    page.wait_for_url("**/admin/outbox/*")


GIFT = """// Two questions for the browser tests.
::Rate::What compression rate is recommended for adults? {
=100 to 120 per minute#Right: at least 100, at most 120.
~60 to 80 per minute#Too slow.
~140 to 160 per minute#Too fast for the chest to recoil.
####Push at 100 to 120 compressions per minute.
}

::Depth::Adult compressions should be at least 5 cm deep.{TRUE}
"""

LEARNER_PAGES = [
    PageType("catalog-anonymous", None, go("/")),
    PageType("catalog", LEARNER, go("/")),
    PageType("intro-with-intake", LEARNER, go("/quizzes/lay-rescuer-essentials")),
    PageType("intro-anonymous", None, go("/quizzes/bls-readiness")),
    *(PageType(f"question-{kind}", LEARNER, question(kind)) for kind in QUESTION_TYPES),
    PageType("question-error", LEARNER, ordering_error),
    PageType(
        "question-feedback", LEARNER, lambda page, seeded, app: page.goto(f"/attempts/{seeded['practice']}/questions/1")
    ),
    PageType("review", LEARNER, lambda page, seeded, app: page.goto(f"/attempts/{seeded['every']}/review")),
    PageType("result", LEARNER, lambda page, seeded, app: page.goto(f"/attempts/{seeded['result']}/result")),
    PageType("history", LEARNER, go("/history")),
    PageType("login", None, go("/auth/login")),
    PageType("register", None, go("/auth/register")),
    PageType("register-errors", None, register_with_errors),
    PageType("password", LEARNER, go("/auth/password")),
    PageType("reset-request", None, go("/auth/reset")),
    PageType("reset-requested", None, reset_requested),
    PageType("reset-password", None, reset_form),
    PageType("reset-password-errors", None, reset_form_errors),
    PageType("reset-invalid", None, go("/auth/reset/no-such-token")),
    PageType("profile", LEARNER, go("/profile")),
    PageType("profile-errors", LEARNER, profile_with_errors),
    PageType("recommend", None, go("/recommend")),
    PageType("recommend-with-result", LEARNER, recommend_with_result),
    PageType("courses", None, go("/courses")),
    PageType("error-404", None, go("/no-such-page")),
]
STAFF_PAGES = [
    PageType("author-index", INSTRUCTOR, go("/author/")),
    PageType("author-bank", INSTRUCTOR, go("/author/banks/team-cpr")),
    *(
        PageType(f"author-new-{kind}", INSTRUCTOR, go(f"/author/banks/team-cpr/questions/new?type={kind}"))
        for kind in ("single", "true_false", "ordering", "numeric")
    ),
    PageType("author-new-errors", INSTRUCTOR, new_question_errors),
    PageType("author-edit", INSTRUCTOR, go("/author/questions/tcpr-001/edit")),
    PageType("author-preview", INSTRUCTOR, go("/author/questions/tcpr-001/preview")),
    PageType("author-preview-checked", INSTRUCTOR, preview_checked),
    PageType("author-history", INSTRUCTOR, go("/author/questions/tcpr-001/history")),
    PageType("author-regrade", INSTRUCTOR, go("/author/questions/tcpr-001/regrade")),
    PageType("author-images", INSTRUCTOR, go("/author/images")),
    PageType("author-import", INSTRUCTOR, go("/author/banks/team-cpr/import")),
    PageType("author-import-dry-run", INSTRUCTOR, import_dry_run),
    PageType("author-quizzes", INSTRUCTOR, go("/author/quizzes")),
    PageType("author-quiz-new", INSTRUCTOR, go("/author/quizzes/new")),
    PageType("author-quiz-edit", INSTRUCTOR, go("/author/quizzes/bls-readiness/edit")),
    PageType("author-quiz-preview", INSTRUCTOR, go("/author/quizzes/bls-readiness/preview")),
    PageType("admin-index", ADMIN, go("/admin/")),
    PageType("admin-users", ADMIN, go("/admin/users")),
    PageType("admin-user", ADMIN, user_edit),
    PageType("admin-exports", ADMIN, go("/admin/exports")),
    PageType("admin-outbox", ADMIN, go("/admin/outbox")),
    PageType("admin-outbox-message", ADMIN, outbox_message),
    PageType("admin-certificates", ADMIN, go("/admin/certificates")),
    PageType("admin-certificates-filtered", ADMIN, go("/admin/certificates?state=valid&since=2020-01-01")),
    PageType("admin-certificates-errors", ADMIN, go("/admin/certificates?since=2024-06-02&until=2024-06-01")),
    PageType("reports-index", INSTRUCTOR, go("/reports/")),
    PageType("reports-quiz", INSTRUCTOR, go("/reports/bls-readiness")),
    PageType("reports-items", INSTRUCTOR, go("/reports/bls-readiness/items")),
]
ALL_PAGES = LEARNER_PAGES + STAFF_PAGES
