"""GIFT export: Moodle-importable output, and dump-then-parse round trips."""

from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.banks.formats.drafts import to_question
from quizapp.banks.formats.gift import dump_gift, export_gift, parse_gift
from quizapp.banks.schema import Question


def make_question(**fields) -> Question:
    """Build a valid question with a key and stem unless given."""
    return Question.model_validate({"key": "q-1", "stem": "Stem", **fields})


def test_dump_writes_moodle_gift():
    """Titles are keys, texts are [markdown] and escaped, weights are Moodle's fractions."""
    questions = [
        make_question(
            type="single",
            stem="30:2 {ratio}?",
            explanation="See #7.",
            choices=[{"text": "Yes", "correct": True, "feedback": "a = b"}, {"text": "%No"}],
        ),
        make_question(
            key="q-2",
            type="multiple",
            choices=[
                {"text": "A", "correct": True},
                {"text": "B", "correct": True},
                {"text": "C", "correct": True},
                {"text": "[html]D"},
            ],
        ),
        make_question(key="q-3", type="numeric", answer={"min": 5, "max": 6.5}),
    ]
    assert dump_gift(questions, category="bvm") == (
        "$CATEGORY: bvm\n\n"
        "::q-1::[markdown]30\\:2 \\{ratio\\}?{\n\t=Yes#a \\= b\n\t~%0%%No\n\t####See \\#7.\n}\n\n"
        "::q-2::[markdown]Stem{\n\t~%33.33333%A\n\t~%33.33333%B\n\t~%33.33333%C\n"
        "\t~%-33.33333%[markdown][html]D\n}\n\n"
        "::q-3::[markdown]Stem{#\n\t=5..6.5\n}\n"
    )


def test_dump_skips_ordering_and_names_lost_fields():
    """Ordering has no GIFT form: a comment and its key in skipped; a lost unit is noted."""
    ordering = make_question(key="order-1", type="ordering", choices=[{"text": "a"}, {"text": "b"}])
    numeric = make_question(key="num-1", type="numeric", answer={"value": 6, "unit": "seconds"})
    export = export_gift([ordering, numeric])
    assert export.skipped == ["order-1"]
    assert export.text.startswith("// ordering question order-1 not representable in GIFT\n\n")
    assert "// num-1: unit not representable in GIFT\n::num-1::" in export.text
    result = parse_gift(export.text)
    assert [d.title for d in result.drafts] == ["num-1"]
    assert (result.skipped, result.errors) == ([], [])


SPECIAL = [*"ab ~=#{}:\\%[]->*_<&/\n\t", "[html]", "[plain]", "//", "####", "\\n", "$CATEGORY:"]
texts = st.lists(st.sampled_from(SPECIAL), min_size=1, max_size=8).map("".join).map(str.strip).filter(bool)
feedbacks = st.none() | texts
numbers = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12)


@st.composite
def questions(draw, key: str = "q-1") -> Question:
    """Draw a valid single, multiple, true_false or numeric question full of GIFT specials."""
    kind = draw(st.sampled_from(["single", "multiple", "true_false", "numeric"]))
    data = {"key": key, "type": kind, "stem": draw(texts), "explanation": draw(st.just("") | texts)}
    if kind in ("single", "multiple"):
        labels = draw(st.lists(texts, min_size=2, max_size=6, unique_by=str.casefold))
        right = draw(st.sets(st.integers(0, len(labels) - 1), min_size=1, max_size=1 if kind == "single" else 6))
        data["choices"] = [
            {"text": text, "correct": i in right, "feedback": draw(feedbacks)} for i, text in enumerate(labels)
        ]
    elif kind == "true_false":
        data.update(answer=draw(st.booleans()), feedback=draw(feedbacks))
    else:
        low, high = sorted(draw(st.lists(numbers, min_size=2, max_size=2)))
        tolerance = draw(st.floats(min_value=0, max_value=1e6))
        answer = draw(st.sampled_from([{"value": low, "tolerance": tolerance}, {"min": low, "max": high}]))
        data.update(answer=answer, feedback=draw(feedbacks))
    return Question.model_validate(data)


@settings(max_examples=300, deadline=None)
@given(questions())
def test_dump_then_parse_round_trips(question):
    """Type, stem, choices, correctness, feedback, answer and explanation survive GIFT."""
    result = parse_gift(dump_gift([question]))
    assert (result.skipped, result.errors) == ([], [])
    [draft] = result.drafts
    assert draft.title == question.key
    assert to_question(draft, question.key) == question


@settings(max_examples=50, deadline=None)
@given(st.lists(questions(), max_size=5), texts)
def test_dump_then_parse_round_trips_a_bank(bank, category):
    """A list of questions comes back in order, under the category written."""
    bank = [q.model_copy(update={"key": f"q-{i}"}) for i, q in enumerate(bank)]
    result = parse_gift(dump_gift(bank, category=category))
    assert [to_question(d, d.title) for d in result.drafts] == bank
    assert {d.category for d in result.drafts} <= {category}
