"""The Moodle XML writer, read back by the reader: every type and its weights, feedback and partial ranges survive."""

from __future__ import annotations

import pytest

from quizapp.banks.formats.drafts import to_question
from quizapp.banks.formats.moodlexml.reader import parse_moodle_xml
from quizapp.banks.formats.moodlexml.writer import export_xml
from quizapp.banks.schema import Question

ROUND_TRIP = [
    {
        "type": "single",
        "stem": "**Rate**?",
        "choices": [
            {"text": "100-120", "weight": 100, "feedback": "Yes."},
            {"text": "60", "weight": 50},
            {"text": "200", "weight": -50},
        ],
        "explanation": "AHA 2020.",
        "points": 2,
        "shuffle": False,
        "tags": ["adult"],
    },
    {
        "type": "multiple",
        "stem": "Signs?",
        "choices": [
            {"text": "a", "correct": True},
            {"text": "b", "correct": True},
            {"text": "c & <d>", "feedback": "No ]]> here."},
        ],
    },
    {
        "type": "multiple",
        "stem": "No penalty",
        "choices": [
            {"text": "a", "weight": 50},
            {"text": "b", "weight": 50},
            {"text": "c", "weight": 0},
        ],
    },
    {"type": "true_false", "stem": "Gasping is breathing.", "answer": False, "feedback": "Agonal gasps are not.",
     "right_feedback": "Yes: not breathing."},
    {"type": "numeric", "stem": "Depth?", "feedback": "5-6", "right_feedback": "Good.", "answer": {
        "value": 5.5, "tolerance": 0.5, "unit": "cm",
        "partial": [
            {"value": 4.5, "tolerance": 0.5, "credit": 50, "feedback": "Shallow."},
            {"value": 8, "credit": 0, "feedback": "Too deep."},
        ],
    }},
    {"type": "ordering", "stem": "Order", "choices": [{"text": "Check"}, {"text": "Call"}], "scoring": "partial"},
]


@pytest.mark.parametrize("data", ROUND_TRIP, ids=[f"{d['type']}-{n}" for n, d in enumerate(ROUND_TRIP)])
def test_every_type_reads_back_as_written(data):
    original = Question.model_validate({**data, "key": "q-1"})
    written = export_xml([original], category="cpr/adult")
    [draft] = parse_moodle_xml(written.text).drafts
    assert draft.category == "$course$/cpr/adult" and draft.title == "q-1" and written.skipped == []
    assert to_question(draft, "q-1") == original


def test_a_numeric_range_is_written_as_its_midpoint_and_half_width():
    original = Question.model_validate({"key": "q-1", "type": "numeric", "stem": "?", "answer": {"min": 4, "max": 6}})
    [draft] = parse_moodle_xml(export_xml([original]).text).drafts
    assert draft.data["answer"] == {"value": 5, "tolerance": 1}
