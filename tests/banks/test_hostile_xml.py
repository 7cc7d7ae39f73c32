"""Hostile Moodle XML: entity bombs, external entities and DTDs, deep nesting and huge files are refused in words."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from quizapp.banks.formats.moodlexml.reader import parse_moodle_xml
from quizapp.banks.formats.moodlexml.tree import MAX_DEPTH, MAX_ELEMENTS
from tests.banks.test_moodle_xml import answer, question, quiz

DTD = "the file declares a DTD (<!DOCTYPE ...>); Moodle XML files have none"
TF = question("truefalse", answer("100", "true") + answer("0", "false"))


def errors(text: str) -> list[tuple[int, str]]:
    """Parse and return the (line, message) errors, checking nothing else came out."""
    result = parse_moodle_xml(text)
    assert result.drafts == [] and result.skipped == []
    return [(e.line, e.message) for e in result.errors]


def test_billion_laughs_is_refused_before_any_expansion():
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10)
    )
    bomb = f'<?xml version="1.0"?>\n<!DOCTYPE quiz [{entities}]>\n<quiz>&lol9;</quiz>'
    assert errors(bomb) == [(1, DTD)]


def test_internal_entities_are_refused_too():
    text = '<!DOCTYPE quiz [<!ENTITY t "Q?">]><quiz>' + TF.replace("Q?", "&t;") + "</quiz>"
    assert errors(text) == [(1, DTD)]


class _Recorder(BaseHTTPRequestHandler):
    """Count every request the XML reader might make."""

    hits: list[str] = []

    def do_GET(self) -> None:
        """Record the path and answer with an entity that would show up in a question."""
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'<!ENTITY t "fetched">')

    def log_message(self, *args) -> None:
        """Stay quiet."""


@pytest.fixture
def loopback():
    """A real HTTP server on loopback that records requests; yields its base address."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    _Recorder.hits = []
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE quiz SYSTEM "{base}/quiz.dtd">',
        '<!DOCTYPE quiz [<!ENTITY % remote SYSTEM "{base}/remote.dtd"> %remote;]>',
        '<!DOCTYPE quiz [<!ENTITY t SYSTEM "{base}/t.xml">]>',
        '<!DOCTYPE quiz [<!ENTITY t SYSTEM "file:///etc/passwd">]>',
    ],
    ids=["external-dtd", "parameter-entity", "external-entity", "local-file"],
)
def test_external_dtds_and_entities_are_refused_and_nothing_is_fetched(loopback, doctype):
    text = doctype.format(base=loopback) + "<quiz>" + TF.replace("Q?", "&t;") + "</quiz>"
    assert errors(text) == [(1, DTD)]
    assert _Recorder.hits == []


def test_deep_nesting_is_refused_at_the_limit():
    deep = "<quiz>" + "<question>" * 100_000 + "</question>" * 100_000 + "</quiz>"
    assert errors(deep) == [(1, f"XML elements are nested more than {MAX_DEPTH} deep")]
    at_limit = "<quiz>" + "<a>" * (MAX_DEPTH - 1) + "</a>" * (MAX_DEPTH - 1) + "</quiz>"
    assert errors(at_limit) == []


def test_too_many_elements_are_refused():
    many = "<quiz>" + "<a/>" * MAX_ELEMENTS + "</quiz>"
    assert errors(many) == [(1, f"the file has more than {MAX_ELEMENTS} XML elements")]


def test_a_huge_question_text_is_one_refused_question_not_a_crash():
    huge = question("truefalse", answer("100", "true") + answer("0", "false"), text="x" * 1_000_000)
    result = parse_moodle_xml(quiz(huge, TF))
    assert [(e.line, e.message) for e in result.errors] == [(3, "the question text is longer than 20000 characters")]
    assert len(result.drafts) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<quiz>\n<question>\n</quiz>", (1, "line 3: the file is not well-formed XML: mismatched tag")),
        ("<quiz>&nbsp;</quiz>", (1, "line 1: the file is not well-formed XML: undefined entity")),
        ("just text", (1, "line 1: the file is not well-formed XML: syntax error")),
        (
            "<?xml version='1.0'?>\n<questions/>",
            (2, "this is not a Moodle XML file: its first element is <questions>, not <quiz>"),
        ),
    ],
    ids=["mismatched", "html-entity", "not-xml", "other-root"],
)
def test_files_that_are_not_moodle_xml_are_one_error(text, expected):
    assert errors(text) == [expected]


def test_a_declared_encoding_does_not_apply_to_text_already_decoded():
    text = quiz(TF.replace("Q?", "Réanimation")).replace("UTF-8", "ISO-8859-1")
    assert parse_moodle_xml(text).drafts[0].data["stem"] == "Réanimation"
