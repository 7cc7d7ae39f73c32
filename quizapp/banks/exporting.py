"""Exporting a bank as a file of a registered format (YAML, GIFT, Moodle XML): the live questions' current versions."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

from quizapp import audit
from quizapp.authoring import media
from quizapp.banks import sync
from quizapp.banks.formats import drafts
from quizapp.banks.formats.registry import FORMATS
from quizapp.banks.holdings import live_questions
from quizapp.banks.schema import Bank as BankSpec
from quizapp.errors import DomainError
from quizapp.models import Bank, User


class ExportError(DomainError):
    """The bank's stored content does not make a valid bank file."""


@dataclass(frozen=True)
class Export:
    """A file to download: its server-chosen name, media type and text, and what the format left out."""

    filename: str
    mimetype: str
    text: str
    skipped: list[str]


def bank_spec(bank: Bank) -> BankSpec:
    """Build the bank file from the database: current versions of live questions, in position order."""
    rows = live_questions(bank).scalars()
    data = {"format": "quizapp-bank/1", "bank": bank.slug, "title": bank.title, "topic": bank.topic}
    data |= {"level": bank.level, "description": bank.description or "", "references": dict(bank.references or {})}
    data["questions"] = [sync.file_entry(q) for q in rows]
    try:
        return BankSpec.model_validate(data)
    except ValidationError as exc:
        raise ExportError(f"Bank {bank.slug} cannot be exported until this is fixed: {drafts.describe(exc)}") from None


def export_bank(bank: Bank, fmt: str, actor: User | None = None) -> Export:
    """Return the bank written in a format of the registry and record the export in the audit log (flushes)."""
    form = FORMATS.get(fmt)
    if form is None or form.write is None:
        choices = " or ".join(name for name, f in FORMATS.items() if f.write)
        raise ExportError(f"Unknown export format {fmt!r}; choose {choices}.")
    spec = bank_spec(bank)
    written = form.write(spec, media.stored_bytes)
    result = Export(f"{bank.slug}{form.suffix}", form.mimetype, written.text, written.skipped)
    audit.record(actor, "export", target=f"bank:{bank.slug}", format=fmt, questions=len(spec.questions))
    return result
