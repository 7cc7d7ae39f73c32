"""GIFT errors are sentences naming the choice or field, never a schema path or a pydantic type name."""

from __future__ import annotations

import pytest

from quizapp.banks.formats.gift import parse_gift


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Q{~a~}", "choice 2 is empty: a stray ~, or an unescaped # or ="),
        ("Q{=a#~b~}", "choice 3 is empty: a stray ~, or an unescaped # or ="),
        ("{T}", "the question text is empty"),
        ("[html]<p><b> </b></p>{T}", "the question text is empty"),
        ("Q{#1:-1}", "the answer's tolerance must be at least 0"),
        ("Q{#5..1}", "the answer: min must not be greater than max"),
        ("Q{~%-50%a~%-50%b}", "a multiple question needs at least 1 correct choice"),
        ('[html]Q <img src="data:image/png;base64,xx">{T}', "inline image 1 is not valid base64 data"),
    ],
)
def test_errors_read_as_sentences(text, message):
    (error,) = parse_gift(text).errors
    assert error.message == message
    for jargon in ("NumericAnswer", "Input should", "loc", "bool", "[", "function-after"):
        assert jargon not in error.message
