"""The question page's default action (what Enter does), and answers marked in place on checks and the review."""

from __future__ import annotations

import html
import re

from tests.taking.helpers import answer_all, form_for, layout, start

FIRST_SUBMIT = re.compile(
    r'<form method="post" class="question-form".*?<button type="submit" name="go" value="(\w+)"', re.S
)


def first_submit(page: str) -> str:
    """Return the `go` value of the question form's first submit button: the one Enter presses."""
    return FIRST_SUBMIT.search(page).group(1)


def text(fragment: str) -> str:
    """Return the words of an HTML fragment, tags dropped and spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def marked(fragment: str, cls: str = "marked-option") -> list[tuple[str, str]]:
    """Return each marked option in the fragment as (state, its words)."""
    return [
        (state, text(body))
        for state, body in re.findall(rf'<li class="{cls} mark-([\w-]+)">(.*?)</li>', fragment, re.S)
    ]


def article(page: str, number: int) -> str:
    """Return one question's part of the result page's review."""
    return page.split(f'id="q{number}"', 1)[1].split("</article>", 1)[0]


def test_enter_saves_and_moves_on_in_an_exam(app, learner):
    """Every question's default button is Next, never Previous; pressed on the last it leads to the review."""
    pid = start(learner)
    slots = layout(app, pid)
    for n, (slot, version) in enumerate(slots, start=1):
        page = learner.get(f"/attempts/{pid}/questions/{n}").get_data(as_text=True)
        assert first_submit(page) == "next"
        response = learner.post(f"/attempts/{pid}/questions/{n}", data={**form_for(slot, version), "go": "next"})
        assert response.headers["Location"].endswith(f"/questions/{n + 1}" if n < len(slots) else "/review")


def test_enter_checks_in_practice_then_moves_on(app, learner):
    """In a practice quiz the default button is Check answer, as the primary button; once checked it is Next."""
    pid = start(learner, "demo-practice")
    slot, version = layout(app, pid)[1]
    assert first_submit(learner.get(f"/attempts/{pid}/questions/2").get_data(as_text=True)) == "check"
    learner.post(f"/attempts/{pid}/questions/2", data={**form_for(slot, version), "go": "check"})
    assert first_submit(learner.get(f"/attempts/{pid}/questions/2").get_data(as_text=True)) == "next"


def test_enter_in_the_instructor_quiz_preview(auth, demo):
    """The quiz preview shares the page, and its default button."""
    client = auth.sign_in("instructor", "ines@example.org", "Ines")
    client.post("/author/quizzes/demo-practice/preview")
    page = client.get("/author/quizzes/demo-practice/preview/3").get_data(as_text=True)
    assert first_submit(page) == "check"
    client.post("/author/quizzes/demo-practice/preview/3", data={"answer": "true", "go": "check"})
    checked = client.get("/author/quizzes/demo-practice/preview/3").get_data(as_text=True)
    assert first_submit(checked) == "next"
    assert marked(checked, cls="choice marked"), "the checked preview marks the options in place"


def test_the_review_marks_each_option_in_place(app, learner):
    """Each option carries the learner's choice, right or wrong in words, and its own feedback beside it."""
    pid = start(learner)
    answer_all(learner, app, pid, correct=False)
    learner.post(f"/attempts/{pid}/submit")
    page = learner.get(f"/attempts/{pid}/result").get_data(as_text=True)
    assert marked(article(page, 1)) == [
        ("missed", "○ About 1 second ✔ Correct answer (not chosen) Right."),
        ("picked-wrong", "◉ About 3 seconds ✖ Your answer: not correct Too long."),
        ("plain", "○ About 5 seconds"),
    ]
    multiple = {words[2:].split(" ✔")[0].split(" ✖")[0]: state for state, words in marked(article(page, 2))}
    assert multiple == {"Unresponsive": "missed", "No normal breathing": "missed", "Talking": "picked-wrong"}
    assert marked(article(page, 3)) == [
        ("picked-wrong", "◉ True ✖ Your answer: not correct Gasps are agonal breaths, a sign of arrest."),
        ("missed", "○ False ✔ Correct answer (not chosen)"),
    ]


def test_the_review_puts_the_learner_s_order_beside_the_right_order(app, learner):
    """Ordering: the learner's order, each item marked in words, beside the right order as a list."""
    pid = start(learner)
    answer_all(learner, app, pid, correct=False)
    learner.post(f"/attempts/{pid}/submit")
    ordering = article(learner.get(f"/attempts/{pid}/result").get_data(as_text=True), 4)
    yours, key = ordering.split("Your order", 1)[1].split("Correct order", 1)
    assert re.findall(r'<li class="order-(\w+)">', yours) == ["wrong", "wrong", "wrong"]
    first_two = "Stand clear and shock ✖ Belongs at position 3 Turn the AED on ✖ Belongs at position 1"
    assert text(yours).startswith(first_two)
    assert text(key).startswith("Turn the AED on Attach the pads Stand clear and shock")


def test_the_right_review_says_so_for_every_pick(app, learner):
    """A right answer is marked as the learner's and right, not only coloured."""
    pid = start(learner)
    answer_all(learner, app, pid, correct=True)
    learner.post(f"/attempts/{pid}/submit")
    page = learner.get(f"/attempts/{pid}/result").get_data(as_text=True)
    assert marked(article(page, 1))[0] == ("picked-right", "◉ About 1 second ✔ Your answer: correct Right.")
    assert "Right place" in article(page, 4) and "Belongs at" not in article(page, 4)


def test_a_checked_answer_is_marked_in_the_question_itself(app, learner):
    """Practice: after Check answer the question's own options carry the marks and feedback; before, nothing."""
    pid = start(learner, "demo-practice")
    slot, version = layout(app, pid)[0]
    before = learner.get(f"/attempts/{pid}/questions/1").get_data(as_text=True)
    assert "option-mark" not in before and "choice-feedback" not in before and "Too long." not in before
    learner.post(f"/attempts/{pid}/questions/1", data={**form_for(slot, version, correct=False), "go": "check"})
    page = learner.get(f"/attempts/{pid}/questions/1").get_data(as_text=True)
    question = page.split("<fieldset", 1)[1].split("</fieldset>", 1)[0]
    assert marked(question, cls="choice marked") == [
        ("missed", "About 1 second ✔ Correct answer (not chosen) Right."),
        ("picked-wrong", "About 3 seconds ✖ Your answer: not correct Too long."),
        ("plain", "About 5 seconds"),
    ]
    feedback = page.split('class="live-feedback"', 1)[1]
    assert "marked-option" not in feedback, "the options are marked once, in place, not again below"


def test_the_ordering_enhancement_is_a_static_script(app, learner):
    """The drag-and-drop script is a static file (CSP script-src 'self'), with no inline script in the page."""
    pid = start(learner)
    numbers = [n for n, (_, version) in enumerate(layout(app, pid), start=1) if version.spec().type == "ordering"]
    page = learner.get(f"/attempts/{pid}/questions/{numbers[0]}").get_data(as_text=True)
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert '<script src="/static/js/ordering.js" defer>' in page
    assert all('src="/static/js/' in attrs and not body.strip() for attrs, body in scripts)
    assert " onclick=" not in page and "javascript:" not in page
