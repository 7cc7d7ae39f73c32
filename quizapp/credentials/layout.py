"""The certificate as a one-page A4 PDF: the same content gives the same bytes (pure: fpdf2 and segno only)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import segno
from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONTS = Path(__file__).resolve().parent.parent / "data" / "fonts"
FAMILY = "DejaVu"
NOT_A_CARD = "Self-assessment — not a certification card"
EXPLAINED = (
    "quizapp is a self-assessment for learning. This document records an online quiz result only: it is not a CPR, "
    "BLS or first-aid card, it does not replace a hands-on course with a skills test, and no employer or licensing "
    "body should accept it as one."
)
INK, ACCENT, MUTED = (20, 20, 20), (160, 20, 40), (90, 90, 90)


@dataclass(frozen=True)
class Content:
    """Everything the certificate shows, as stored when it was issued (so a later download is the same file)."""

    name: str
    quiz: str
    completed_on: date
    score: str
    topics: tuple[tuple[str, str], ...]
    track: str
    code: str
    url: str
    issued_at: datetime


class CertificatePDF(FPDF):
    """fpdf2 with a file identifier taken from the content, not from the clock."""

    def __init__(self, content: Content) -> None:
        """Start an A4 portrait page whose /ID is a digest of the certificate's content."""
        super().__init__(orientation="P", unit="mm", format="A4")
        self.digest = hashlib.sha256(repr(content).encode()).hexdigest()[:32].upper()

    def file_id(self) -> str:
        """Return the same /ID for the same certificate."""
        return f"<{self.digest}><{self.digest}>"


def render(content: Content) -> bytes:
    """Return the certificate's PDF bytes."""
    pdf = _document(content)
    _heading(pdf)
    _statement(pdf, content)
    _topics(pdf, content.topics)
    _verification(pdf, content)
    pdf.set_y(-42)
    _text(pdf, 9, EXPLAINED, colour=MUTED)
    return bytes(pdf.output())


def _document(content: Content) -> CertificatePDF:
    """Return a new document with fixed metadata: title, creator, and the issue time as its creation date."""
    pdf = CertificatePDF(content)
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_title(f"Certificate of completion: {content.quiz}")
    pdf.set_subject(NOT_A_CARD)
    pdf.set_creator("quizapp")
    pdf.set_creation_date(content.issued_at.replace(tzinfo=UTC))
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    return pdf


def _heading(pdf: FPDF) -> None:
    """Write the title and, boxed and in the accent colour, that this is not a certification card."""
    _text(pdf, 24, "Certificate of completion", bold=True, align="C")
    pdf.ln(4)
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.8)
    pdf.set_text_color(*ACCENT)
    pdf.set_font(FAMILY, "B", 16)
    pdf.cell(0, 14, NOT_A_CARD, border=1, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*INK)
    pdf.ln(8)


def _statement(pdf: FPDF, content: Content) -> None:
    """Write who completed which quiz, when, the score and the track whose readiness marks it met."""
    _text(pdf, 12, "This records that", align="C")
    _text(pdf, 20, _printable(pdf, content.name), bold=True, align="C")
    _text(pdf, 12, f"completed the online self-assessment “{content.quiz}”", align="C")
    _text(pdf, 12, f"on {content.completed_on:%d %B %Y} with a score of {content.score},", align="C")
    _text(pdf, 12, "meeting the readiness marks for", align="C")
    _text(pdf, 14, f"{content.track} (recommended course)", bold=True, align="C")
    pdf.ln(6)


def _topics(pdf: FPDF, topics: tuple[tuple[str, str], ...]) -> None:
    """Write the score per topic as a two-column table."""
    _text(pdf, 12, "Score by topic", bold=True)
    pdf.set_font(FAMILY, "", 11)
    pdf.set_draw_color(*MUTED)
    pdf.set_line_width(0.2)
    for label, percent in topics:
        pdf.cell(130, 8, label, border="B")
        pdf.cell(40, 8, percent, border="B", align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(8)


def _verification(pdf: FPDF, content: Content) -> None:
    """Write the verification code and address beside a QR code of the address."""
    top = pdf.get_y()
    _qr(pdf, content.url, x=pdf.l_margin, y=top, size=40)
    pdf.set_left_margin(pdf.l_margin + 48)
    pdf.set_xy(pdf.l_margin, top)
    _text(pdf, 12, "Check this certificate", bold=True)
    _text(pdf, 11, "Anyone can confirm it at this address or by scanning the code; it says if it was revoked.")
    _text(pdf, 11, f"Verification code: {content.code}", bold=True)
    _text(pdf, 10, content.url)
    pdf.set_left_margin(pdf.l_margin - 48)


def _qr(pdf: FPDF, url: str, x: float, y: float, size: float) -> None:
    """Draw the QR code of `url` as vector squares (a run of dark modules in a row is one rectangle)."""
    matrix = segno.make(url, error="m", micro=False).matrix
    module = size / len(matrix)
    pdf.set_fill_color(*INK)
    for row, line in enumerate(matrix):
        col = 0
        while col < len(line):
            if not line[col]:
                col += 1
                continue
            end = col
            while end < len(line) and line[end]:
                end += 1
            pdf.rect(x + col * module, y + row * module, (end - col) * module, module, style="F")
            col = end


def _text(pdf: FPDF, size: float, text: str, bold: bool = False, align: str = "L", colour=INK) -> None:
    """Write a paragraph in the certificate font, wrapped to the margins."""
    pdf.set_font(FAMILY, "B" if bold else "", size)
    pdf.set_text_color(*colour)
    pdf.multi_cell(0, size * 0.5, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*INK)


def _printable(pdf: FPDF, text: str) -> str:
    """Replace the characters the embedded font cannot draw (its Latin, Greek and Cyrillic subset) with '?'."""
    drawable = pdf.fonts[pdf.font_family + pdf.font_style.replace("B", "b")].ttfont.getBestCmap()
    return "".join(c if ord(c) in drawable or c.isspace() else "?" for c in text)
