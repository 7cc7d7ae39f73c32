"""Files saved by Windows Notepad as "Unicode" (UTF-16) or with a UTF-8 byte order mark import; `Answer:` is a hint."""

from __future__ import annotations

import pytest

from quizapp.banks import transfer
from quizapp.banks.formats.aiken import parse_aiken
from quizapp.banks.formats.file_errors import BankFileError
from quizapp.extensions import db

AIKEN = "Rate?\r\nA) 100 to 120\r\nB) 60 to 80\r\nANSWER: A\r\n"


@pytest.mark.parametrize(
    "raw",
    [
        b"\xff\xfe" + AIKEN.encode("utf-16-le"),  # Notepad "Unicode"
        b"\xfe\xff" + AIKEN.encode("utf-16-be"),  # Notepad "Unicode big endian"
        b"\xef\xbb\xbf" + AIKEN.encode(),  # Notepad "UTF-8" (with BOM)
        AIKEN.encode(),
    ],
)
def test_utf16_and_utf8_files_decode_to_the_same_text(raw):
    assert transfer.decode(raw, "f", 1024 * 1024) == AIKEN


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"\xff\xfe" + "Rate?".encode("utf-16-le") + b"\x00", "the file is not UTF-16 text (byte 12)"),
        (b"\xff\xfe\x00\xd8A\x00", "the file is not UTF-16 text (byte 2)"),  # a lone surrogate
        (b"\xfe\xff" + "  \n".encode("utf-16-be"), "the file is empty"),
        (b"\xff\xfe" + "Q\x00".encode("utf-16-le"), "this is a binary file"),
        ("Rate? 30 €".encode("cp1252"), "the file is not UTF-8 text (byte 9); save it as UTF-8 and try again"),
    ],
)
def test_undecodable_bytes_are_refused_in_words(raw, message):
    with pytest.raises(BankFileError) as info:
        transfer.decode(raw, "f", 1024 * 1024)
    assert message in info.value.errors[0].message


def test_aiken_answer_in_any_case_is_read_with_a_hint():
    result = parse_aiken("Q1?\nA) a\nB) b\nAnswer: B\n\nQ2?\nA) a\nB) b\nanswer: a\n\nQ3?\nA) a\nB) b\nANSWER: A\n")
    assert result.errors == [] and [[c["correct"] for c in d.data["choices"]] for d in result.drafts] == [
        [False, True],
        [True, False],
        [True, False],
    ]
    assert result.notes == [
        "lines 4, 9: 'Answer:' was read as 'ANSWER:'; the Aiken standard writes it in capitals "
        "(Moodle would refuse these questions)"
    ]


def test_a_utf16_aiken_file_imports_with_the_hint_in_the_report(app, demo, tmp_path):
    path = tmp_path / "notepad.txt"
    path.write_bytes(b"\xff\xfe" + AIKEN.replace("ANSWER", "Answer").encode("utf-16-le"))
    with app.app_context():
        report = transfer.import_sources(transfer.find_bank("demo"), "aiken", transfer.read_sources([path]))
        db.session.commit()
    assert len(report.created) == 1 and report.refused == []
    assert report.notes[0].startswith("line 4: 'Answer:' was read as 'ANSWER:'")
