"""The Moodle XML reader: each supported type as Moodle reads it, skips and refusals with their lines."""

from __future__ import annotations

import base64
from fractions import Fraction

import pytest

from quizapp import qtypes
from quizapp.banks.formats.drafts import to_question
from quizapp.banks.formats.moodlexml.reader import parse_moodle_xml


def quiz(*questions: str) -> str:
    """Return a Moodle XML file holding these <question> elements."""
    return '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n' + "\n".join(questions) + "\n</quiz>\n"


def question(kind: str, body: str, text: str = "Q?", fmt: str = "html", name: str = "N", files: str = "") -> str:
    """Return one <question> with a name, question text (and its files) and type-specific body."""
    return (
        f'<question type="{kind}"><name><text>{name}</text></name>'
        f'<questiontext format="{fmt}"><text><![CDATA[{text}]]></text>{files}</questiontext>{body}</question>'
    )


def answer(fraction: str, text: str, feedback: str = "", extra: str = "") -> str:
    """Return one <answer> with its grade, text and feedback."""
    return (
        f'<answer fraction="{fraction}"><text><![CDATA[{text}]]></text>'
        f"<feedback><text><![CDATA[{feedback}]]></text></feedback>{extra}</answer>"
    )


def only_draft(text: str) -> dict:
    """Parse a file expected to hold exactly one valid question and return its data."""
    result = parse_moodle_xml(text)
    assert result.errors == [] and result.skipped == [] and len(result.drafts) == 1, result
    return result.drafts[0].data


# ---------------------------------------------------------------- the shared Moodle fixtures


def test_invalid_grade_33_is_reported_on_its_question(moodle):
    result = parse_moodle_xml((moodle / "xml_error_invalid_grades.xml").read_text())
    assert result.drafts == [] and result.skipped == [] and len(result.errors) == 1
    error = result.errors[0]
    assert error.line == 4 and error.message.startswith("answer 2 has grade 33%, which is not one of Moodle's grades")


def test_nested_categories_file_each_question_under_its_path(moodle):
    result = parse_moodle_xml((moodle / "xml_nested_categories_with_questions.xml").read_text())
    assert [(d.line, d.title, d.category) for d in result.drafts] == [
        (15, "Iota Question", "$course$/Iota"),
        (83, "Kappa Question", "$course$/Iota/Kappa"),
        (123, "Lambda Question", "$course$/Iota/Kappa/Lambda"),
        (163, "Mu Question", "$course$/Iota/Mu"),
    ]
    assert [(s.line, s.title, s.reason) for s in result.skipped] == [
        (55, "Kappa Essay Question", "essay is not supported")
    ]
    assert result.drafts[0].data == {"type": "true_false", "stem": "Testing Iota Question", "answer": True, "points": 1}


# ---------------------------------------------------------------- multichoice


def test_single_choice_with_per_answer_feedback_and_general_feedback():
    body = (
        "<generalfeedback><text>Because.</text></generalfeedback><single>true</single>"
        "<shuffleanswers>0</shuffleanswers><defaultgrade>2</defaultgrade>"
        + answer("100", "<p>Right</p>", "Yes!")
        + answer("0", "Wrong", "No.")
        + answer("0", "<p> </p>")  # an empty answer, dropped as Moodle drops it
    )
    assert only_draft(quiz(question("multichoice", body))) == {
        "type": "single",
        "stem": "Q?",
        "choices": [
            {"text": "Right", "feedback": "Yes!", "correct": True},
            {"text": "Wrong", "feedback": "No.", "correct": False},
        ],
        "shuffle": False,
        "explanation": "Because.",
        "points": 2,
    }


def test_multiple_choice_marks_positive_grades_correct_and_keeps_them_as_weights():
    body = "<single>false</single>" + answer("33.33333", "a") + answer("66.66667", "b") + answer("-100", "c")
    data = only_draft(quiz(question("multichoice", body)))
    assert data["type"] == "multiple" and [c["correct"] for c in data["choices"]] == [True, True, False]
    assert [c["weight"] for c in data["choices"]] == [33.33333, 66.66667, -100]
    spec = to_question(parse_moodle_xml(quiz(question("multichoice", body))).drafts[0], "q-1")
    assert qtypes.get("multiple").fraction(spec, {"choices": [0]}) == Fraction("0.3333333")  # as Moodle grades it
    assert qtypes.get("multiple").fraction(spec, {"choices": [0, 1, 2]}) == 0


@pytest.mark.parametrize(
    ("single", "grades", "weights"),
    [
        ("true", ["100", "50", "0", "-50"], [100, 50, 0, -50]),
        ("true", ["100", "0", "0"], None),  # what a single choice does anyway
        ("false", ["50", "50", "0"], [50, 50, 0]),  # a wrong pick costs nothing, as in Moodle
        ("false", ["33.33333", "33.33333", "33.33333", "-33.33333"], None),  # our partial scoring
    ],
    ids=["single-partial", "single-plain", "multiple-no-penalty", "multiple-plain"],
)
def test_grades_become_weights_unless_they_are_our_default(single, grades, weights):
    body = f"<single>{single}</single>" + "".join(answer(g, f"choice {n}") for n, g in enumerate(grades))
    choices = only_draft(quiz(question("multichoice", body)))["choices"]
    assert (None if "weight" not in choices[0] else [c["weight"] for c in choices]) == weights


@pytest.mark.parametrize(
    ("single", "answers", "message"),
    [
        ("true", answer("50", "a") + answer("0", "b"), "no answer has grade 100%: one answer must give full credit"),
        ("false", answer("50", "a") + answer("40", "b"), "the positive grades add up to 90%, not 100%"),
        ("false", answer("abc", "a"), "the grade of answer 1 'abc' is not a number"),
        ("true", answer("100", "a") + answer("1e400", "b"), "the grade of answer 2 '1e400' is not a number"),
    ],
    ids=["no-full-credit", "sum-90", "grade-not-a-number", "grade-overflow"],
)
def test_malformed_choice_questions_are_refused_on_their_line(single, answers, message):
    result = parse_moodle_xml(quiz(question("multichoice", f"<single>{single}</single>{answers}")))
    assert [(e.line, e.message) for e in result.errors] == [(3, message)] and result.drafts == []


def test_two_full_credit_answers_in_a_single_choice_question_are_skipped():
    body = answer("100", "a") + answer("100", "b")
    result = parse_moodle_xml(quiz(question("multichoice", body, name="Two")))
    assert [(s.title, s.reason) for s in result.skipped] == [
        ("Two", "2 answers with grade 100% in a single-answer question (Moodle credits each)")
    ]


# ---------------------------------------------------------------- true/false, numerical, ordering


@pytest.mark.parametrize(
    ("true_grade", "false_grade", "key", "wrong", "right"),
    [("100", "0", True, "Picked false.", "Picked true."), ("0", "100", False, "Picked true.", "Picked false.")],
)
def test_true_false_key_and_both_answers_feedback(true_grade, false_grade, key, wrong, right):
    body = answer(true_grade, "true", "Picked true.") + answer(false_grade, "false", "Picked false.")
    data = only_draft(quiz(question("truefalse", body)))
    assert data == {"type": "true_false", "stem": "Q?", "answer": key, "feedback": wrong, "right_feedback": right}


def test_old_true_false_files_with_translated_answers_are_read_true_first():
    body = answer("0", "wahr") + answer("100", "falsch")
    assert only_draft(quiz(question("truefalse", body)))["answer"] is False


def test_numerical_with_tolerance_partial_ranges_unit_and_catch_all_feedback():
    body = (
        answer("100", "110", "Good.", "<tolerance>10</tolerance>")
        + answer("50", "150", "Half.", "<tolerance>5</tolerance>")
        + answer("0", "60", "Too slow.")
        + answer("0", "70")  # a 0% number without feedback says nothing
        + answer("0", "*", "Between 100 and 120.")
        + "<units><unit><multiplier>0.001</multiplier><unit_name>mm</unit_name></unit>"
        + "<unit><multiplier>1</multiplier><unit_name>cm</unit_name></unit></units>"
    )
    data = only_draft(quiz(question("numerical", body)))
    assert data["answer"] == {
        "value": 110,
        "tolerance": 10,
        "unit": "cm",
        "partial": [
            {"value": 150, "tolerance": 5, "credit": 50, "feedback": "Half."},
            {"value": 60, "tolerance": 0, "credit": 0, "feedback": "Too slow."},
        ],
    }
    assert data["feedback"] == "Between 100 and 120." and data["right_feedback"] == "Good."
    assert data["type"] == "numeric"


def test_numerical_grades_are_moodle_grades_too():
    result = parse_moodle_xml(quiz(question("numerical", answer("100", "3") + answer("33", "4"))))
    assert result.errors[0].message.startswith("answer 2 has grade 33%, which is not one of Moodle's grades")


def test_numerical_without_a_full_credit_number_is_refused():
    result = parse_moodle_xml(quiz(question("numerical", answer("50", "3"))))
    assert [e.message for e in result.errors] == ["no answer has grade 100%: one number must give full credit"]


@pytest.mark.parametrize(("grading", "scoring"), [("ALL_OR_NOTHING", None), ("ABSOLUTE_POSITION", "partial")])
def test_ordering_items_in_file_order_with_their_grading(grading, scoring):
    body = f"<gradingtype>{grading}</gradingtype><selecttype>ALL</selecttype>" + "".join(
        f'<answer fraction="{n}"><text>{word}</text></answer>'
        for n, word in enumerate(["Check", "Call", "Compress"], 1)
    )
    data = only_draft(quiz(question("ordering", body)))
    assert [c["text"] for c in data["choices"]] == ["Check", "Call", "Compress"] and data.get("scoring") == scoring


def test_ordering_showing_a_subset_of_its_items_is_skipped():
    body = "<selecttype>RANDOM</selecttype><selectcount>2</selectcount>" + "".join(
        f"<answer><text>{word}</text></answer>" for word in ["a", "b", "c"]
    )
    result = parse_moodle_xml(quiz(question("ordering", body)))
    assert [s.reason for s in result.skipped] == ["an ordering question showing 2 of its 3 items is not supported"]


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("essay", "essay is not supported"),
        ("shortanswer", "short answer is not supported"),
        ("matching", "matching is not supported"),
        ("cloze", "cloze (embedded answers) is not supported"),
        ("description", "description is not supported"),
        ("calculatedsimple", "calculated is not supported"),
        ("ddwtos", "question type 'ddwtos' is not supported"),
    ],
)
def test_unsupported_types_are_skipped_with_a_reason(kind, reason):
    result = parse_moodle_xml(quiz(question(kind, "")))
    assert [(s.line, s.title, s.reason) for s in result.skipped] == [(3, "N", reason)] and result.errors == []


# ---------------------------------------------------------------- text formats, tags, images


def test_text_formats_and_tags():
    body = (
        '<generalfeedback format="plain_text"><text>a *b*</text></generalfeedback>'
        + answer("100", "true")
        + answer("0", "false")
        + "<tags><tag><text>Adult BLS</text></tag><tag><text>adult-bls</text></tag><tag><text>!!</text></tag></tags>"
    )
    data = only_draft(quiz(question("truefalse", body, text="**kept**", fmt="markdown")))
    assert data["stem"] == "**kept**" and data["explanation"] == r"a \*b\*" and data["tags"] == ["adult-bls"]


PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"pixels").decode()


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        ("markdown", "See ![chest](@@PLUGINFILE@@/chest%20rise.png) and ![gone](@@PLUGINFILE@@/missing.png)"),
        (
            "html",
            '<p>See <img src="@@PLUGINFILE@@/chest%20rise.png" alt="chest"> and '
            '<img src="@@PLUGINFILE@@/missing.png" alt="gone"></p>',
        ),
    ],
)
def test_pluginfile_images_are_lifted_out_as_inline_images(fmt, text):
    files = f'<file name="chest rise.png" path="/" encoding="base64">{PNG[:8]}\n{PNG[8:]}</file>'
    body = answer("100", "true") + answer("0", "false")
    [draft] = parse_moodle_xml(quiz(question("truefalse", body, text=text, fmt=fmt, files=files))).drafts
    [image] = draft.images
    assert image.mime == "image/png" and image.data == base64.b64decode(PNG)
    assert draft.data["stem"].startswith(f"See ![chest]({image.ref}) and ")
    assert draft.data["stem"].endswith("gone" if fmt == "html" else "![gone](@@PLUGINFILE@@/missing.png)")


def test_an_image_moodle_has_but_we_do_not_take_refuses_its_question():
    files = '<file name="anim.gif" path="/" encoding="base64">R0lGODlh</file>'
    body = answer("100", "true") + answer("0", "false")
    result = parse_moodle_xml(
        quiz(question("truefalse", body, text="![a](@@PLUGINFILE@@/anim.gif)", fmt="markdown", files=files))
    )
    assert result.drafts == [] and "only PNG, JPEG and WebP images can be imported" in result.errors[0].message


def test_a_relative_ordering_grading_is_noted_with_its_line():
    order = question("ordering", "<answer><text>a</text></answer><answer><text>b</text></answer>")
    result = parse_moodle_xml(quiz(order))
    assert [d.data.get("scoring") for d in result.drafts] == ["partial"]
    assert result.notes == ["line 3: ordering grading RELATIVE is read as credit for each item in its place"]
