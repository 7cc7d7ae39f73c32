"""Splicing changed questions into a bank file's text: only their items change, or the splice is refused."""

from __future__ import annotations

import pytest

from quizapp.banks.formats import yamlfile
from quizapp.banks.formats.yamldump import dump_bank, dump_question
from quizapp.banks.formats.yamlsplice import CannotSplice, splice
from tests.conftest import DATA

HEAD = """format: quizapp-bank/1
bank: hand
title: "Hand-written bank"
topic: demo
level: lay
references:
  ref: 'A source.'
questions:
  # ------------------------------------------------ first section
"""
ONE = """  - key: hand-1
    type: true_false
    stem: "Gasping is normal breathing."  # quoted on purpose
    answer: false
    explanation: Agonal gasps are not breathing.
    reference: ref
    shuffle: true
    difficulty: 2
"""
TWO = """  - key: hand-2
    type: single
    stem: |
      Which breath length is right?
    choices:
      - text: "About 1 second"
        correct: true
      - text: 'About 3 seconds'
    explanation: One second.
    reference: ref
    tags: [adult]
"""
HAND = HEAD + ONE + "\n  # ------------------------------------------------ second section\n\n" + TWO


def parse(text: str):
    """Read a bank file's text."""
    return yamlfile.parse(text, "hand.yaml")


def edited(bank, key: str, **update):
    """Return the bank with one question changed."""
    questions = [q.model_copy(update=update) if q.key == key else q for q in bank.questions]
    return bank.model_copy(update={"questions": questions})


def test_a_changed_question_replaces_only_its_own_lines():
    held = parse(HAND)
    live = edited(held, "hand-2", stem="Which breath length is best?")
    result = splice(HAND, "hand.yaml", held, live)
    assert result.text == HAND.replace(TWO, dump_question(live.questions[1], 2))
    assert "stem: Which breath length is best?\n" in result.text and result.summary() == "changed hand-2"
    assert parse(result.text) == live


def test_the_replacement_is_the_item_the_whole_file_writer_writes():
    bank = yamlfile.read(DATA / "demo-bank.yaml")
    whole = dump_bank(bank)
    assert all(dump_question(q, 2) in whole for q in bank.questions)


def test_comments_quoting_and_explicit_defaults_of_other_items_stay():
    held = parse(HAND)
    live = edited(held, "hand-1", retired=True)
    result = splice(HAND, "hand.yaml", held, live).text
    assert result.endswith("  # ------------------------------------------------ second section\n\n" + TWO)
    assert result.startswith(HEAD) and "    retired: true\n" in result
    assert '"Gasping' not in result  # the retired item is written as the writer writes it


def new(bank):
    """Return a new draft question for the bank, as the browser would add it."""
    return bank.questions[0].model_copy(update={"key": "hand-3", "status": "draft"})


def test_new_questions_follow_the_last_item_in_the_files_spacing():
    held = parse(HAND)
    live = held.model_copy(update={"questions": [*held.questions, new(held)]})
    item = dump_question(live.questions[2], 2)
    result = splice(HAND, "hand.yaml", held, live)
    assert result.text == HAND + "\n" + item  # a blank line, as between hand-1 and hand-2
    assert result.summary() == "added hand-3" and parse(result.text) == live
    unterminated = HAND.rstrip("\n")
    assert splice(unterminated, "hand.yaml", held, live).text == HAND + "\n" + item
    close = HAND.replace("\n\n", "\n")  # no blank line between the items
    assert splice(close, "hand.yaml", held, live).text == close + item


def test_new_questions_stay_in_the_list_when_other_keys_follow_it():
    tail = "description: Set after the questions.\n"
    text = HAND + tail
    held = parse(text)
    live = held.model_copy(update={"questions": [*held.questions, new(held)]})
    assert splice(text, "hand.yaml", held, live).text == HAND + "\n" + dump_question(live.questions[2], 2) + tail


def test_windows_line_breaks_are_kept():
    crlf = HAND.replace("\n", "\r\n")
    held = parse(crlf)
    live = edited(held, "hand-1", stem="Edited.")
    result = splice(crlf, "hand.yaml", held, live).text
    assert result == HAND.replace(ONE, dump_question(live.questions[0], 2)).replace("\n", "\r\n")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda b: b.model_copy(update={"title": "New title"}), "the bank's title changed"),
        (lambda b: b.model_copy(update={"questions": b.questions[::-1]}), "in another order than the file's"),
        (
            lambda b: b.model_copy(update={"questions": [b.questions[0], new(b), b.questions[1]]}),
            "questions not in the file (hand-3) come before some that are",
        ),
        (lambda b: b.model_copy(update={"questions": b.questions[1:]}), "questions the bank does not (hand-1)"),
    ],
)
def test_what_cannot_be_spliced_is_refused_with_a_reason(change, reason):
    held = parse(HAND)
    with pytest.raises(CannotSplice, match=reason.replace("(", r"\(").replace(")", r"\)")):
        splice(HAND, "hand.yaml", held, change(held))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (HAND.replace(ONE, "  - {key: hand-1, type: true_false, stem: S, answer: false, reference: ref}\n"), "block"),
        (HEAD + "  [{key: hand-1, type: true_false, stem: S, answer: false, reference: ref}]\n", "block list"),
    ],
)
def test_a_layout_it_cannot_follow_is_refused(text, reason):
    held = parse(text)
    with pytest.raises(CannotSplice, match=reason):
        splice(text, "hand.yaml", held, edited(held, "hand-1", stem="Edited."))


def test_a_splice_that_would_not_read_back_as_the_live_bank_is_refused():
    # hand-2 uses an anchor defined in hand-1: replacing hand-1 would leave the alias dangling.
    text = HAND.replace("    reference: ref\n    shuffle", "    reference: &r ref\n    shuffle").replace(
        "    reference: ref\n    tags", "    reference: *r\n    tags"
    )
    held = parse(text)
    with pytest.raises(CannotSplice, match="would not give the live bank"):
        splice(text, "hand.yaml", held, edited(held, "hand-1", stem="Edited."))
