"""The learner's attempt and the instructor's quiz preview share one question-page flow: the same posts lead to the
same pages and messages, while only the attempt writes anything."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Quiz
from quizapp.taking import sitting
from tests.taking.helpers import form_for, layout, preview_layout, start

PRACTICE = "demo-practice"
PREVIEW = f"/author/quizzes/{PRACTICE}/preview"

# (question, answer: True right, False wrong, None blank, "bad" not one of the options; extra fields; button)
STEPS = [
    (1, "bad", {}, "next"),
    (1, False, {}, "check"),
    (1, True, {}, "next"),
    (1, False, {"flag": "y"}, "next"),
    (2, True, {}, "prev"),
    (1, None, {}, "4"),
    (4, True, {}, "99"),
    (5, None, {}, "check"),
    (5, True, {}, "check"),
    (5, True, {}, "next"),
    (3, None, {"flag": "y"}, "review"),
]


def words(fragment: str) -> str:
    """Return the words of an HTML fragment, tags dropped and spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def digest(page: str) -> dict:
    """Return what a question or review page says and offers, whatever question it shows."""
    form = page.split('class="question-form"', 1)[-1]
    title = re.sub(r"^Preview: ", "", re.search(r"<title>(.*?)(?: · |</title>)", page).group(1))
    return {
        "title": title[0].upper() + title[1:],
        "preview banner": "Preview: nothing is recorded." in page,
        "legend": re.findall(r'<legend class="question-legend">(.*?)</legend>', page),
        "messages": [words(m) for m in re.findall(r'<p class="flash [^"]*">(.*?)</p>', page, re.S)],
        "alerts": [words(m) for m in re.findall(r'<div class="alert alert-error"[^>]*>(.*?)</div>', page, re.S)],
        "verdict": [words(v) for v in re.findall(r'class="feedback-verdict">(.*?)</h\d>', page, re.S)],
        "key shown": "Correct answer" in page,
        "locked": bool(re.search(r'<fieldset class="question"[^>]*disabled', page)),
        "buttons": re.findall(r'<button type="submit" name="go" value="(\w+)"', form),
        "navigator": re.findall(r'class="nav-item([^"]*)"', page),
        "review lists": re.findall(r"<h2>((?:Not answered|Flagged for review) \(\d+\))</h2>", page),
    }


def where(location: str | None) -> str | None:
    """Return a redirect's place within its sitting: a question number or "review"."""
    return location and location.rsplit("/", 1)[1]


def answer(slot: dict, version, kind) -> dict:
    """Return the answer fields of one step."""
    if kind == "bad":
        return {"answer": "9"}
    return {} if kind is None else form_for(slot, version, correct=kind)


def run(client, base: str, question_path: str, slots) -> list[tuple]:
    """Post every step to a sitting and return, per step, the status, where it led and what the next page said."""
    trace = []
    for number, kind, extra, go in STEPS:
        slot, version = slots[number - 1]
        response = client.post(f"{question_path}/{number}", data={**answer(slot, version, kind), **extra, "go": go})
        place = where(response.headers.get("Location"))
        if response.status_code == 303:
            shown = client.get(f"{base}/review" if place == "review" else f"{question_path}/{place}")
        else:
            shown = response
        trace.append((response.status_code, place, digest(shown.get_data(as_text=True))))
    return trace


def table_rows(app) -> dict[str, int]:
    """Count the rows of every table."""
    with app.app_context():
        tables = db.metadata.sorted_tables
        return {t.name: db.session.execute(select(func.count()).select_from(t)).scalar() for t in tables}


def set_review(app, review: str) -> None:
    """Set the practice quiz's review setting."""
    with app.app_context():
        quiz = db.session.execute(select(Quiz).where(Quiz.slug == PRACTICE)).scalar_one()
        quiz.settings = {**quiz.settings, "review": review}
        db.session.commit()


@pytest.mark.parametrize("review", ["full", "correctness", "score_only"])
def test_the_same_posts_give_the_same_pages_to_a_learner_and_in_the_preview(app, auth, learner, review):
    set_review(app, review)
    pid = start(learner, PRACTICE)
    learned = run(learner, f"/attempts/{pid}", f"/attempts/{pid}/questions", layout(app, pid))
    instructor = auth.sign_in("instructor", client=app.test_client())
    assert instructor.post(PREVIEW).status_code == 303
    slots = preview_layout(instructor, app)
    before = table_rows(app)
    previewed = run(instructor, PREVIEW, PREVIEW, slots)
    assert table_rows(app) == before, "the preview writes nothing"
    for step, (mine, theirs) in enumerate(zip(learned, previewed, strict=True)):
        status, place, page = theirs
        assert (status, place) == mine[:2], STEPS[step]
        assert page["preview banner"] and not mine[2]["preview banner"], STEPS[step]
        assert {**page, "preview banner": None} == {**mine[2], "preview banner": None}, STEPS[step]
    assert [(status, place) for status, place, _ in learned] == [
        (422, None), (303, "1"), (422, None), (303, "2"), (303, "1"), (303, "4"), (303, "5"), (303, "5"),
        (303, "5"), (303, "review"), (303, "review"),
    ]
    pages = [page for _, _, page in learned]
    assert "Not a valid choice" in pages[0]["alerts"][0] and pages[0]["buttons"][0] == "check"
    assert "already checked" in pages[2]["alerts"][0] and pages[3]["navigator"][0] == " nav-answered nav-flagged"
    checked = [] if review == "score_only" else ["✖ Not correct (0 of 1 points)"]
    assert pages[1]["verdict"] == checked and pages[1]["locked"] and pages[1]["buttons"][0] == "next"
    assert pages[1]["key shown"] == (review == "full")
    notice = ["Your answer is checked and can no longer change. This quiz shows only your total score."]
    assert pages[1]["messages"] == (notice if review == "score_only" else [])
    assert pages[7]["messages"] == [] and not pages[7]["locked"], "a blank answer is not checked"
    assert pages[8]["locked"] and pages[8]["messages"] == (notice if review == "score_only" else [])
    assert pages[4]["navigator"][:2] == [" nav-answered nav-flagged nav-current", " nav-answered"]
    assert pages[5]["navigator"][0] == " nav-answered", "a post without the flag box unflags a locked answer"
    assert pages[-1]["review lists"] == ["Not answered (1)", "Flagged for review (1)"]


@pytest.mark.parametrize(
    ("number", "go", "lands"),
    [
        (2, "next", 3), (2, "prev", 1), (1, "prev", 1), (5, "next", None), (2, "review", None), (2, "4", 4),
        (2, "99", 5), (2, "0", 1), (2, None, 2), (2, "check", 2), (2, "-3", 2), (5, "5", 5),
    ],
)
def test_each_button_leads_where_it_says(number, go, lands):
    assert sitting.destination(number, 5, go) == lands


def test_the_question_preview_refuses_an_answer_with_the_same_message(app, auth, learner):
    pid = start(learner, PRACTICE)
    on_attempt = learner.post(f"/attempts/{pid}/questions/1", data={"answer": "9", "go": "next"})
    instructor = auth.sign_in("instructor", client=app.test_client())
    on_preview = instructor.post("/author/questions/demo-single/preview", data={"answer": "9"})
    message = "Please check your answer: Not a valid choice."
    assert on_attempt.status_code == on_preview.status_code == 422
    assert digest(on_attempt.get_data(as_text=True))["alerts"] == digest(on_preview.get_data(as_text=True))["alerts"]
    assert digest(on_preview.get_data(as_text=True))["alerts"] == [message]
