"""The instructor home and a bank's question list: counts, search, filters, pagination, a fixed query count."""

import re

from sqlalchemy import select

from quizapp.authoring import editing
from quizapp.banks import sync
from quizapp.banks.schema import Question as QuestionSpec
from quizapp.extensions import db
from quizapp.models import Bank, Question, User
from tests.conftest import DATA, import_paths
from tests.support import counted_queries


def add_questions(app, count: int, bank_slug: str = "demo", tag: str = "bulk", difficulty: int = 3) -> None:
    """Add `count` single-answer questions to a bank through the service."""
    with app.app_context():
        bank = db.session.execute(select(Bank).where(Bank.slug == bank_slug)).scalar_one()
        instructor = db.session.execute(select(User).where(User.role == "instructor")).scalar_one()
        for n in range(count):
            spec = QuestionSpec.model_validate(
                {
                    "key": "placeholder",
                    "type": "single",
                    "stem": f"Bulk question number {n}?",
                    "reference": "ref",
                    "choices": [{"text": "Yes", "correct": True}, {"text": "No"}],
                    "tags": [tag],
                    "difficulty": difficulty,
                    "explanation": "Because.",
                }
            )
            editing.create_question(bank, spec, instructor)
        db.session.commit()


def keys_on(page: str) -> list[str]:
    """Return the question keys listed on a bank page (in its question list, not its review queue)."""
    _, found, listing = page.partition('class="data-table question-list"')
    return [] if not found else re.findall(r'<th scope="row"><a href="/author/questions/([a-z0-9-]+)/edit">', listing)


def test_index_counts_by_type_and_difficulty(app, instructor):
    add_questions(app, 2)
    with app.app_context():
        for q in db.session.execute(select(Question).where(Question.status == "draft")).scalars():
            q.status = "ready"
        q = db.session.execute(select(Question).where(Question.key == "demo-tf")).scalar_one()
        q.retired = True
        db.session.commit()
    page = instructor.get("/author/").get_data(as_text=True)
    row = page.split('href="/author/banks/demo"', 1)[1].split("</tr>", 1)[0]
    assert "<td>6</td>" in row  # 7 questions, 1 retired
    assert "single answer: 3" in row and "multiple answers: 1" in row and "true/false" not in row
    assert "medium: 4" in row and "hard: 2" in row
    assert row.rstrip().endswith("<td>0</td>\n          <td>1</td>")


def test_index_counts_drafts_apart_from_questions_in_use(app, instructor):
    add_questions(app, 2)
    with app.app_context():
        q = db.session.execute(select(Question).where(Question.key == "demo-tf")).scalar_one()
        q.status = "draft"
        db.session.commit()
    page = instructor.get("/author/").get_data(as_text=True)
    row = page.split('href="/author/banks/demo"', 1)[1].split("</tr>", 1)[0]
    assert "<td>4</td>" in row and "true/false" not in row  # 5 imported, 1 made a draft; 2 new drafts
    assert "single answer: 1" in row and "hard" not in row  # the new drafts are hard
    assert '<a href="/author/banks/demo#review">3</a>' in row


def test_index_query_count_does_not_grow_with_banks(app, instructor, tmp_path):
    with counted_queries(app) as one:
        assert instructor.get("/author/").status_code == 200
    for n in range(3):
        text = (DATA / "demo-bank.yaml").read_text().replace("bank: demo", f"bank: extra{n}")
        (tmp_path / f"extra{n}.yaml").write_text(re.sub(r"key: demo-", f"key: x{n}-", text))
        import_paths(app, tmp_path / f"extra{n}.yaml")
    with counted_queries(app) as four:
        page = instructor.get("/author/").get_data(as_text=True)
    assert 'href="/author/banks/extra2"' in page
    assert len(four) == len(one)


def test_search_by_stem_or_key_and_filters(app, instructor):
    add_questions(app, 3, tag="bulk")
    assert keys_on(instructor.get("/author/banks/demo?q=GASPING").get_data(as_text=True)) == ["demo-tf"]
    assert keys_on(instructor.get("/author/banks/demo?q=demo-num").get_data(as_text=True)) == ["demo-numeric"]
    assert keys_on(instructor.get("/author/banks/demo?q=100%25").get_data(as_text=True)) == []  # % is literal
    assert keys_on(instructor.get("/author/banks/demo?type=ordering").get_data(as_text=True)) == ["demo-order"]
    assert keys_on(instructor.get("/author/banks/demo?tag=provider").get_data(as_text=True)) == ["demo-numeric"]
    assert keys_on(instructor.get("/author/banks/demo?difficulty=3").get_data(as_text=True)) == [
        "demo-001",
        "demo-002",
        "demo-003",
    ]
    both = instructor.get("/author/banks/demo?tag=adult&type=single").get_data(as_text=True)
    assert keys_on(both) == ["demo-single"]
    assert keys_on(instructor.get("/author/banks/demo?status=retired").get_data(as_text=True)) == []
    bad = instructor.get("/author/banks/demo?difficulty=9&type=essay")  # an invalid filter shows everything
    assert bad.status_code == 200 and len(keys_on(bad.get_data(as_text=True))) == 8


def test_pagination_keeps_the_filters(app, instructor):
    add_questions(app, 30, tag="bulk")
    first = instructor.get("/author/banks/demo?tag=bulk").get_data(as_text=True)
    assert len(keys_on(first)) == 25 and "page 1 of 2" in first
    assert '<nav class="pager" aria-label="Pages of questions">' in first
    assert 'href="/author/banks/demo?page=2&amp;tag=bulk" rel="next">Next page</a>' in first
    second = instructor.get("/author/banks/demo?tag=bulk&page=2").get_data(as_text=True)
    assert keys_on(second) == [f"demo-{n:03d}" for n in range(26, 31)]
    assert instructor.get("/author/banks/demo?page=99").status_code == 200


def test_question_list_query_count_does_not_grow_with_questions(app, instructor):
    with counted_queries(app) as few:
        assert len(keys_on(instructor.get("/author/banks/demo").get_data(as_text=True))) == 5
    add_questions(app, 20)
    with counted_queries(app) as many:
        assert len(keys_on(instructor.get("/author/banks/demo").get_data(as_text=True))) == 25
    assert len(many) == len(few) <= 8


def test_bank_page_links_to_writing_and_history(instructor):
    page = instructor.get("/author/banks/demo").get_data(as_text=True)
    assert 'action="/author/banks/demo/questions/new"' in page
    assert 'href="/author/questions/demo-single/history"' in page


def test_add_version_keeps_the_service_contract(app, instructor):
    """A version saved through the service is readable by the importer's hash comparison."""
    with app.app_context():
        q = db.session.execute(select(Question).where(Question.key == "demo-single")).scalar_one()
        assert q.current_version.content_hash == sync.content_hash(q.current_version.spec())
