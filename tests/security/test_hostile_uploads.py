"""Hostile bank uploads and numbers through the web (issue 15 items 2, 3, 4, 7): refused on their line, never a 500."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from quizapp.models import Question
from tests.authoring.test_author_questions import NEW
from tests.conftest import count
from tests.security.test_fuzz_posts import fill, post_routes

HEAD = "format: quizapp-bank/1\nbank: demo\ntitle: Demo bank\ntopic: demo\nlevel: lay\nquestions:\n"


@pytest.fixture
def teacher(auth, demo):
    """A signed-in instructor with the demo bank; returns the client."""
    return auth.sign_in("instructor", "hostile@example.org")


def post_file(client, url: str, fields: dict, content: bytes, name: str = "file"):
    """Post a multipart form with one file field (encoded in memory) plus plain fields."""
    body = {**fields, name: FileStorage(io.BytesIO(content), "upload.txt")}
    boundary, data = encode_multipart(body)
    return client.post(url, data=data, content_type=f"multipart/form-data; boundary={boundary}")


def preview(client, text: str, fmt: str):
    """Preview an upload into the demo bank."""
    return post_file(client, "/author/banks/demo/import", {"format": fmt, "preview": "1"}, text.encode())


@pytest.mark.parametrize(
    ("fmt", "text", "shown"),
    [
        ("yaml", "[" * 30_000, "<strong>line 1</strong>: the YAML is nested more than 32 levels deep"),
        ("yaml", HEAD + "  - &a [*a]\n", "the alias *a is used inside its own anchor &a"),
        ("yaml", HEAD + "  - 1" + ":1" * 50_000 + "\n", "a number may have at most 100 characters"),
        ("gift", "Q {#" + "1" * 40_000 + "x}\n", "Numerical answer &#39;" + "1" * 37 + "...&#39; is not a number"),
        ("yaml", HEAD + "  - {key: q1, type: numeric, stem: s, answer: {value: 6, tolerance: .inf}}\n",
         "answer.tolerance: Input should be a finite number"),
    ],
    ids=["deep-nesting", "recursive-alias", "base-60-number", "gift-40000-digits", "infinite-tolerance"],
)
def test_hostile_uploads_are_refused_with_a_located_message(app, teacher, fmt, text, shown):
    before = count(app, Question)
    response = preview(teacher, text, fmt)
    if len(text.encode()) > app.config["IMPORT_INLINE_BYTES"]:  # a large file is previewed by a job (eager here)
        assert response.status_code == 303
        response = teacher.get(response.headers["Location"])
        assert "Nothing was imported" in response.get_data(as_text=True)
    else:
        assert response.status_code == 422
    assert shown in response.get_data(as_text=True)
    assert count(app, Question) == before


def test_thousands_of_errors_are_capped_on_the_page(teacher):
    text = HEAD + "  - &q {key: bad, type: numeric, stem: s, answer: {value: x}}\n" + "  - *q\n" * 8000
    html = preview(teacher, text, "yaml").get_data(as_text=True)
    assert "Nothing was imported: 8001 errors in the file" in html
    assert html.count("<li><strong>line") == 100 and "and 7901 more errors" in html


@pytest.mark.parametrize(
    ("change", "error_id", "message"),
    [
        ({"tolerance": "1e400"}, "tolerance-error", "That number is too large"),
        ({"value": "1e308", "tolerance": "1e308"}, "answer-error", "Value plus or minus tolerance must stay a finite"),
        ({"numeric_mode": "range", "min": "-1e999", "max": "1e999"}, "min-error", "That number is too large"),
    ],
)
def test_the_question_form_refuses_non_finite_numbers(app, teacher, change, error_id, message):
    before = count(app, Question)
    response = teacher.post("/author/banks/demo/questions/new", data={**NEW["numeric"], **change})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html.split(f'id="{error_id}"', 1)[1][:300]
    assert count(app, Question) == before


# ---------------------------------------------------------------- fuzzing every POST with hostile files

HOSTILE_FILES = [
    "[" * 30_000,
    "{a: " * 20_000,
    "- " * 20_000 + "x",
    HEAD + "  - &q {key: q, type: true_false, stem: s, answer: true}\n" + "  - *q\n" * 5000,
    "a: &a [" + ", ".join(["x"] * 50) + "]\n" + "".join(f"b{i}: &b{i} [*{'a' if i == 0 else f'b{i - 1}'}] * 9\n"
                                                         for i in range(9)),
    HEAD + "  - {key: q1, type: numeric, stem: s, answer: {value: .nan, tolerance: .inf}}\n",
    HEAD + "  - {key: q1, type: numeric, stem: s, answer: {min: -.inf, max: .inf}}\n",
    "a: " + "1" * 10_000 + "\nb: 1" + ":1" * 10_000 + "\nc: 0000-01-01\n",
    "Q {#" + "9" * 40_000 + "x}\n\nQ {#1e400:1e400}\n\nQ {~%" + "1" * 500 + "%a ~b}\n",
    "Q\nA) " + "x" * 100_000 + "\nANSWER: " + "Z" * 1000 + "\n",
    "<b> " * 50_000 + "{T}",
    "\x00\xff\xfe",
]
FORMATS = ["yaml", "gift", "aiken", "", "xml"]
file_contents = st.sampled_from(HOSTILE_FILES).map(str.encode) | st.binary(max_size=200) | st.text(max_size=200).map(
    str.encode
)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_post_routes_never_500_on_hostile_files(app, fuzz_client, data):
    client, values = fuzz_client
    for endpoint, template in post_routes(app):
        content = data.draw(file_contents, label=endpoint)
        fields = {"format": data.draw(st.sampled_from(FORMATS)), "preview": "1", "alt": "x"}
        for name in ("file", "image"):
            response = post_file(client, fill(template, values), fields, content, name)
            assert response.status_code < 500, (endpoint, name, content[:80], response.status_code)
