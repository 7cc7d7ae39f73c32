"""The renewal calendar file follows RFC 5545: CRLF lines folded at 75 octets, escaped text, a stable UID (pure)."""

from __future__ import annotations

from datetime import date, datetime

from quizapp.credentials import ics

RENEWAL = ics.Renewal(
    seed="user-7|2025-03-15",
    course="BLS Provider",
    provider="American Heart Association (AHA)",
    expires_on=date(2027, 3, 31),
    stamp=datetime(2025, 3, 16, 9, 5, 0),
    link="https://quiz.example.org/quizzes/bls-readiness",
    host="quiz.example.org",
)


def unfolded(body: bytes) -> list[str]:
    """Return the content lines with folding undone (RFC 5545 section 3.1)."""
    return body.decode("utf-8").replace("\r\n ", "").split("\r\n")[:-1]


def test_every_line_ends_in_crlf_and_fits_75_octets():
    body = ics.calendar(RENEWAL)
    assert body.endswith(b"\r\n") and b"\n" not in body.replace(b"\r\n", b"")
    assert max(len(line) for line in body.split(b"\r\n")) <= 75


def test_folding_never_splits_a_character_and_unfolds_to_the_original():
    line = "DESCRIPTION:" + "Zoë Łukasz — ✓ " * 20
    folded = ics.fold(line)
    pieces = folded.encode("utf-8").split(b"\r\n")
    assert all(len(piece) <= 75 for piece in pieces) and all(p.startswith(b" ") for p in pieces[1:])
    assert [p.decode("utf-8") for p in pieces]  # each piece is whole UTF-8
    assert folded.replace("\r\n ", "") == line
    assert ics.fold("SHORT:x") == "SHORT:x"


def test_a_line_of_exactly_75_octets_is_not_folded():
    assert "\r\n" not in ics.fold("X:" + "a" * 73) and "\r\n" in ics.fold("X:" + "a" * 74)


def test_the_event_is_an_all_day_event_on_the_last_valid_day():
    lines = unfolded(ics.calendar(RENEWAL))
    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"] and lines[-1] == "END:VCALENDAR"
    assert "DTSTART;VALUE=DATE:20270331" in lines and "DTEND;VALUE=DATE:20270401" in lines
    assert "DTSTAMP:20250316T090500Z" in lines
    assert [line for line in lines if line.startswith("TRIGGER")] == ["TRIGGER:-P90D", "TRIGGER:-P30D", "TRIGGER:-P7D"]
    assert any(line.startswith("PRODID:") for line in lines)


def test_text_is_escaped():
    assert ics.escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    summary = next(line for line in unfolded(ics.calendar(RENEWAL)) if line.startswith("SUMMARY:"))
    assert summary == "SUMMARY:Last valid day of your BLS Provider card from American Heart Association (AHA)"


def test_the_uid_is_stable_for_the_same_card_and_changes_with_the_expiry():
    uid = next(line for line in unfolded(ics.calendar(RENEWAL)) if line.startswith("UID:"))
    assert uid.endswith("@quiz.example.org") and ics.calendar(RENEWAL) == ics.calendar(RENEWAL)
    moved = ics.Renewal(**{**RENEWAL.__dict__, "expires_on": date(2027, 4, 30)})
    assert ics.uid(moved) != ics.uid(RENEWAL)
