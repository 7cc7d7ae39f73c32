"""The certificate PDF: its text against a golden file, the same bytes for the same content, fixed metadata (pure)."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import segno
from pypdf import PdfReader

from quizapp.credentials import layout

GOLDEN = Path(__file__).parent / "data" / "certificate.txt"
CONTENT = layout.Content(
    name="Zoë Łukasz-Learner",
    quiz="BLS readiness check",
    completed_on=date(2026, 2, 28),
    score="93.3% (28 of 30 points)",
    topics=(("Airway", "100%"), ("Team CPR", "90%"), ("Bag-valve-mask (BVM)", "90%")),
    track="BLS for Healthcare Providers",
    code="7KQ2MX-9HRT4P-WC3N8D",
    url="https://quiz.example.org/verify/7KQ2MX-9HRT4P-WC3N8D",
    issued_at=datetime(2026, 3, 1, 9, 30, 0),
)


def text_of(pdf: bytes) -> str:
    """Return the text of the one page, as pypdf extracts it."""
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    return reader.pages[0].extract_text()


def test_the_text_matches_the_golden_file():
    """Regenerate with: python -c 'from tests.credentials.test_certificate_pdf import write_golden; write_golden()'."""
    assert text_of(layout.render(CONTENT)) == GOLDEN.read_text(encoding="utf-8")


def write_golden() -> None:
    """Rewrite the golden file from the current layout (review the diff before committing it)."""
    GOLDEN.write_text(text_of(layout.render(CONTENT)), encoding="utf-8")


def test_the_same_content_gives_the_same_bytes():
    assert layout.render(CONTENT) == layout.render(CONTENT)


def test_other_content_gives_other_bytes_and_another_id():
    first, other = layout.render(CONTENT), layout.render(replace(CONTENT, name="Someone Else"))
    assert first != other
    ids = [PdfReader(io.BytesIO(pdf)).trailer["/ID"][0] for pdf in (first, other)]
    assert ids[0] != ids[1]


def test_metadata_is_fixed_by_the_issue_time():
    meta = PdfReader(io.BytesIO(layout.render(CONTENT))).metadata
    assert meta["/CreationDate"].startswith("D:20260301093000")
    assert meta["/Title"] == "Certificate of completion: BLS readiness check"
    assert meta["/Subject"] == layout.NOT_A_CARD


def test_the_qr_code_is_drawn_from_the_verification_address():
    """One filled square per run of dark modules of the address's QR code: the drawing is that code's matrix."""
    matrix = segno.make(CONTENT.url, error="m", micro=False).matrix
    runs = sum(1 for line in matrix for i, dark in enumerate(line) if dark and (i == 0 or not line[i - 1]))
    page = PdfReader(io.BytesIO(layout.render(CONTENT))).pages[0]
    drawn = page.get_contents().get_data().decode("latin-1").count(" re f")
    assert drawn == runs


def test_characters_outside_the_font_become_question_marks():
    """A script the embedded font lacks never breaks the PDF: the name keeps its other letters."""
    assert "Li ?" in text_of(layout.render(replace(CONTENT, name="Li 李")))
