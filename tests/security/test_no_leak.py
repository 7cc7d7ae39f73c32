"""No answer key, correctness flag, feedback or rationale reaches the question page before it is allowed."""

from tests.taking.helpers import layout, start


def test_question_pages_hold_no_key_feedback_or_rationale(app, learner):
    pid = start(learner)
    for n, (_, version) in enumerate(layout(app, pid), start=1):
        page = learner.get(f"/attempts/{pid}/questions/{n}").get_data(as_text=True)
        spec = version.spec()
        assert spec.explanation not in page
        assert "Test reference." not in page
        assert "correct" not in page.lower().replace("not correct", "")
        for choice in spec.choices or []:
            if choice.feedback:
                assert choice.feedback not in page
        if spec.feedback:
            assert spec.feedback not in page


def test_choice_values_are_display_positions_not_stored_indexes(app, learner):
    pid = start(learner)
    for n, (slot, version) in enumerate(layout(app, pid), start=1):
        if version.spec().type != "single":
            continue
        page = learner.get(f"/attempts/{pid}/questions/{n}").get_data(as_text=True)
        for pos in range(len(slot["order"])):
            assert f'value="{pos}"' in page


def test_review_page_has_no_answers(app, learner):
    pid = start(learner)
    page = learner.get(f"/attempts/{pid}/review").get_data(as_text=True)
    for _, version in layout(app, pid):
        assert version.spec().explanation not in page
