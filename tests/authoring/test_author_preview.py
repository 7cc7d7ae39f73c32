"""Preview shows a question exactly as learners see it; "Check my answer" shows feedback and records nothing."""

import re

from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Attempt, Response
from tests.authoring.helpers import read_form
from tests.authoring.test_author_questions import BASE, rows
from tests.conftest import import_paths, make_user
from tests.taking.helpers import answer_all, start


def test_preview_is_the_learner_view_without_the_key(instructor):
    page = instructor.get("/author/questions/demo-single/preview").get_data(as_text=True)
    assert '<fieldset class="question"' in page and "Which breath length is right?" in page
    assert "About 1 second" in page and 'name="answer"' in page and "Check my answer" in page
    for secret in ("One second, just enough", "Too long.", "Test reference.", "feedback-correct", "Correct answer"):
        assert secret not in page


def test_check_my_answer_shows_feedback_and_rationale_and_records_nothing(app, instructor):
    page = instructor.post("/author/questions/demo-single/preview", data={"answer": "1"}).get_data(as_text=True)
    assert "Not correct" in page and "Too long." in page and "One second, just enough" in page
    assert "Test reference." in page and "About 1 second" in page.split("Correct answer", 1)[1]
    right = instructor.post("/author/questions/demo-single/preview", data={"answer": "0"}).get_data(as_text=True)
    assert "Correct" in right and "Not correct" not in right
    with app.app_context():
        assert db.session.scalar(select(func.count(Response.id))) == 0
        assert db.session.scalar(select(func.count(Attempt.id))) == 0


def test_preview_of_every_type_accepts_a_right_answer(instructor):
    numeric = instructor.post("/author/questions/demo-numeric/preview", data={"answer": "6"}).get_data(as_text=True)
    assert "(1 of 1 points)" in numeric
    tf = instructor.post("/author/questions/demo-tf/preview", data={"answer": "false"}).get_data(as_text=True)
    assert "(1 of 1 points)" in tf
    page = instructor.get("/author/questions/demo-order/preview").get_data(as_text=True)
    labels = re.findall(r'<label class="ordering-label" for="item_(\d)">([^<]+)</label>', page)
    rank = {"Turn the AED on": "1", "Attach the pads": "2", "Stand clear and shock": "3"}
    data = {f"item_{pos}": rank[text] for pos, text in labels}
    assert len(data) == 3
    page = instructor.post("/author/questions/demo-order/preview", data=data).get_data(as_text=True)
    assert "(1 of 1 points)" in page
    multiple = instructor.get("/author/questions/demo-multiple/preview").get_data(as_text=True)
    assert "Choose every answer that applies" in multiple


def test_a_bad_preview_answer_gets_a_message(instructor):
    response = instructor.post("/author/questions/demo-numeric/preview", data={"answer": "six"})
    assert response.status_code == 422 and "Enter a number" in response.get_data(as_text=True)


def test_preview_an_older_version(instructor):
    fields = read_form(instructor.get("/author/questions/demo-tf/edit").get_data(as_text=True))
    instructor.post("/author/questions/demo-tf/edit", data={**fields, "stem": "Agonal gasps are normal breathing."})
    assert "Agonal gasps are normal" in instructor.get("/author/questions/demo-tf/preview").get_data(as_text=True)
    old = instructor.get("/author/questions/demo-tf/preview?version=1").get_data(as_text=True)
    assert "Gasping is normal breathing." in old and "not the current version" in old


XSS = {
    "stem": "Pick <script>alert(1)</script> <img src=x onerror=alert(1)> [a](javascript:alert(1)) "
    '<a href="javascript:alert(2)">b</a> ![i](javascript:alert(8))',
    "explanation": "<iframe src=javascript:alert(7)></iframe> Plain **rationale** [c](javascript:alert(9))",
    **rows(
        ("**Safe** <img src=x onerror=alert(3)>", True, ""),
        ("[click](javascript:alert(4))", False, "<svg onload=alert(5)> [d](javascript:alert(6))"),
    ),
}
TAG = re.compile(r"<[a-zA-Z][^>]*>")
HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
SCRIPT_URL = re.compile(r"\s(href|src)\s*=\s*[\"']?\s*javascript:", re.IGNORECASE)


def assert_sanitised(page: str) -> None:
    """No author script tags, and no real tag with an event handler or a javascript: URL (escaped text is fine)."""
    assert "<script>alert" not in page and "<iframe" not in page and "<svg onload" not in page
    for tag in TAG.findall(page):
        assert HANDLER.search(tag) is None and SCRIPT_URL.search(tag) is None, tag


def test_xss_payloads_are_sanitised_on_author_and_learner_pages(app, instructor, client, tmp_path):
    data = {**BASE, "type": "single", "shuffle": "y", "tags": "xss", **XSS}
    assert instructor.post("/author/banks/demo/questions/new", data=data).status_code == 303
    preview = instructor.get("/author/questions/demo-001/preview").get_data(as_text=True)
    assert "<strong>Safe</strong>" in preview
    checked = instructor.post("/author/questions/demo-001/preview", data={"answer": "1"}).get_data(as_text=True)
    assert "<strong>rationale</strong>" in checked
    for page in (
        preview,
        checked,
        instructor.get("/author/questions/demo-001/edit").get_data(as_text=True),
        instructor.get("/author/questions/demo-001/history").get_data(as_text=True),
        instructor.get("/author/banks/demo").get_data(as_text=True),
    ):
        assert_sanitised(page)

    ready = instructor.post("/author/banks/demo/ready", data={"key": "demo-001"})
    assert ready.status_code == 303  # drafts are not drawn
    quiz = tmp_path / "xss-quiz.yaml"
    quiz.write_text(
        "format: quizapp-quizzes/1\nquizzes:\n  - slug: xss\n    title: XSS\n"
        "    draw: [{bank: demo, tags: [xss], count: 1}]\n"
    )
    import_paths(app, quiz)
    make_user(app, "lee@example.org")
    client.post("/auth/login", data={"email": "lee@example.org", "password": "correct horse battery"})
    pid = start(client, "xss")
    question = client.get(f"/attempts/{pid}/questions/1").get_data(as_text=True)
    assert "<strong>Safe</strong>" in question
    assert_sanitised(question)
    answer_all(client, app, pid, correct=False)
    client.post(f"/attempts/{pid}/submit")
    result = client.get(f"/attempts/{pid}/result").get_data(as_text=True)
    assert "<strong>rationale</strong>" in result
    assert_sanitised(result)
