"""Draft → ready: drafts are saved freely and never drawn; marking ready needs a rationale and a source."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from quizapp.authoring import editing, quiz_builder
from quizapp.banks import sync
from quizapp.banks.formats import yamlfile
from quizapp.extensions import db
from quizapp.models import AuditEvent
from quizapp.taking.drawing import pool
from tests.authoring.helpers import read_form
from tests.authoring.test_author_questions import NEW
from tests.banks.test_import_web import run_import
from tests.conftest import DATA
from tests.support import csrf_token


def status(app, key: str) -> str:
    """Return a question's status."""
    with app.app_context():
        return editing.find_question(key).status


def make_draft(app, key: str, **changes) -> None:
    """Turn a demo question into a draft, with its content changed (a new version) when asked."""
    with app.app_context():
        question = editing.find_question(key)
        if changes:
            spec = question.current_version.spec().model_copy(update=changes)
            sync.add_version(question, spec, "", None, "test")
        question.status = "draft"
        db.session.commit()


def drawn_keys(app) -> set[str]:
    """Return the keys quizzes can draw."""
    with app.app_context():
        ids = {c.question_id for c in pool.candidates()}
        return {q.key for q in (db.session.get(editing.Question, i) for i in ids)}


def test_a_new_browser_question_is_a_draft_saved_without_rationale_or_source(app, instructor):
    data = {**NEW["single"], "explanation": "", "reference": ""}
    response = instructor.post("/author/banks/demo/questions/new", data=data)
    assert response.status_code == 303
    assert "a draft: mark it ready" in instructor.get(response.headers["Location"]).get_data(as_text=True)
    assert status(app, "demo-001") == "draft" and "demo-001" not in drawn_keys(app)
    assert instructor.get("/author/questions/demo-001/preview").status_code == 200


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        ("gift", "::g::Compress how fast? {=100-120/min ~60/min}"),
        ("aiken", "Compress how fast?\nA. 100-120\nB. 60\nANSWER: A\n"),
    ],
)
def test_gift_and_aiken_imports_are_drafts_that_no_quiz_draws(app, instructor, fmt, text):
    run_import(app, fmt, text)
    assert status(app, "demo-001") == "draft" and "demo-001" not in drawn_keys(app)
    assert "5 ready · 1 draft · 0 retired" in instructor.get("/author/banks/demo").get_data(as_text=True)


def test_bank_page_counts_statuses_and_lists_the_review_queue(app, instructor):
    make_draft(app, "demo-tf")
    make_draft(app, "demo-order", explanation="")
    html = instructor.get("/author/banks/demo").get_data(as_text=True)
    assert "3 ready · 2 drafts · 0 retired" in html
    queue = html.split('id="review"', 1)[1].split("</section>", 1)[0]
    assert 'name="key" value="demo-tf"' in queue and "Needs a rationale" in queue
    assert 'name="key" value="demo-order"' not in queue and 'value="demo-order"' in queue  # checkbox only
    drafts = instructor.get("/author/banks/demo?status=draft").get_data(as_text=True)
    assert "2 questions found" in drafts


def test_mark_one_ready_is_audited(app, instructor):
    make_draft(app, "demo-tf")
    response = instructor.post("/author/banks/demo/ready", data={"key": "demo-tf"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/author/banks/demo#review")
    assert status(app, "demo-tf") == "ready" and "demo-tf" in drawn_keys(app)
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "question.ready"))
        assert event.target == "bank:demo" and event.details == {"keys": ["demo-tf"]}
    assert "Marked ready: demo-tf" in instructor.get("/author/banks/demo").get_data(as_text=True)


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        (["demo-tf", "demo-order"], "demo-order needs a rationale first"),
        (["demo-tf", "nope"], "nope is not a question of this bank"),
        (["demo-tf", "demo-single"], "demo-single is already ready"),
        ([], "Choose at least one question"),
    ],
)
def test_a_selection_is_all_or_nothing(app, instructor, keys, message):
    make_draft(app, "demo-tf")
    make_draft(app, "demo-order", explanation="")
    response = instructor.post("/author/banks/demo/ready", data={"keys": keys}, follow_redirects=True)
    assert message in response.get_data(as_text=True)
    assert status(app, "demo-tf") == "draft" and status(app, "demo-order") == "draft"


def test_a_selection_of_complete_drafts_is_marked_ready(app, instructor):
    make_draft(app, "demo-tf")
    make_draft(app, "demo-single")
    response = instructor.post("/author/banks/demo/ready", data={"keys": ["demo-tf", "demo-single"]})
    assert response.status_code == 303
    assert status(app, "demo-tf") == status(app, "demo-single") == "ready"


def test_a_draft_without_a_source_cannot_be_marked_ready(app, instructor):
    make_draft(app, "demo-tf", reference=None)
    html = instructor.post("/author/banks/demo/ready", data={"key": "demo-tf"}, follow_redirects=True).get_data(
        as_text=True
    )
    assert "demo-tf needs a source first" in html and status(app, "demo-tf") == "draft"


def test_another_banks_question_is_not_marked_ready_here(app, instructor):
    with app.app_context():
        other = (DATA / "demo-bank.yaml").read_text().replace("bank: demo", "bank: other").replace("demo-", "oth-")
        sync.import_bank(yamlfile.parse(other, "other.yaml"), sync.ImportReport())
        editing.find_question("oth-tf").status = "draft"
        db.session.commit()
    response = instructor.post("/author/banks/demo/ready", data={"key": "oth-tf"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "oth-tf is not a question of this bank" in html and status(app, "oth-tf") == "draft"


def test_learners_and_strangers_cannot_mark_ready(app, auth, demo, client):
    make_draft(app, "demo-tf")
    assert client.post("/author/banks/demo/ready", data={"key": "demo-tf"}).status_code in (302, 303)
    learner = auth.sign_in("learner")
    assert learner.post("/author/banks/demo/ready", data={"key": "demo-tf"}).status_code == 403
    assert status(app, "demo-tf") == "draft"


def test_mark_ready_needs_the_form_token(app, auth, csrf_app, demo):
    make_draft(app, "demo-tf")
    client = auth.sign_in("instructor", client=csrf_app.test_client())
    assert client.post("/author/banks/demo/ready", data={"key": "demo-tf"}).status_code in (303, 400)
    assert status(app, "demo-tf") == "draft"
    token = csrf_token(client, "/author/banks/demo")
    assert client.post("/author/banks/demo/ready", data={"key": "demo-tf", "csrf_token": token}).status_code == 303
    assert status(app, "demo-tf") == "ready"


def test_a_ready_question_keeps_its_rationale_and_source(app, instructor):
    fields = read_form(instructor.get("/author/questions/demo-tf/edit").get_data(as_text=True))
    response = instructor.post("/author/questions/demo-tf/edit", data={**fields, "explanation": "", "action": "save"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "A ready question needs a rationale" in html
    with app.app_context():
        assert editing.find_question("demo-tf").current_version.number == 1


def test_preview_of_unsaved_edits_saves_nothing(app, instructor):
    fields = read_form(instructor.get("/author/questions/demo-tf/edit").get_data(as_text=True))
    response = instructor.post(
        "/author/questions/demo-tf/edit", data={**fields, "stem": "An **unsaved** stem.", "action": "preview"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Preview of your unsaved changes" in html
    assert "<strong>unsaved</strong>" in html.split('id="unsaved-preview"', 1)[1].split("</section>", 1)[0]
    assert read_form(html)["stem"] == "An **unsaved** stem."  # the form keeps what was typed
    with app.app_context():
        assert editing.find_question("demo-tf").current_version.number == 1
    bad = instructor.post("/author/banks/demo/questions/new", data={**NEW["single"], "stem": " ", "action": "preview"})
    assert bad.status_code == 422 and "There is nothing to preview yet" in bad.get_data(as_text=True)
    assert "Preview of your unsaved changes" not in bad.get_data(as_text=True)


def test_publishing_needs_ready_questions_and_says_drafts_would_do(app, instructor):
    instructor.post("/author/quizzes/demo-exam/publish", data={"published": "0"})
    make_draft(app, "demo-tf")
    response = instructor.post("/author/quizzes/demo-exam/publish", data={"published": "1"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "but 4 exist right now; 1 more is a draft: mark it ready on the bank&#39;s page." in html
    with app.app_context():
        assert editing.find_question("demo-tf").status == "draft"
        assert quiz_builder.find("demo-exam").published is False
