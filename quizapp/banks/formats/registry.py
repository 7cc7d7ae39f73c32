"""The bank file formats by name: one registry for imports and exports, as the score exports keep theirs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from quizapp.banks.formats import aiken, gift, yamldump
from quizapp.banks.formats.drafts import ParseResult
from quizapp.banks.formats.gift import GiftExport
from quizapp.banks.formats.moodlexml import reader, writer
from quizapp.banks.formats.moodlexml.writer import MediaLoader
from quizapp.banks.schema import Bank


@dataclass(frozen=True)
class BankFormat:
    """A bank file format: its label, how its files become draft questions, and how a bank is written in it."""

    label: str
    parse: Callable[[str], ParseResult] | None = None  # None: a whole quizapp bank file, imported as a bank
    # (bank, stored image bytes by file name) -> file; None: the format is import-only
    write: Callable[[Bank, MediaLoader | None], GiftExport] | None = None
    suffix: str = ""
    mimetype: str = "text/plain"


def _yaml(spec: Bank, media: MediaLoader | None = None) -> GiftExport:
    """Write a bank as a quizapp YAML file (every field kept)."""
    return GiftExport(yamldump.dump_bank(spec), [])


def _gift(spec: Bank, media: MediaLoader | None = None) -> GiftExport:
    """Write a bank as Moodle GIFT, in a category named after the bank."""
    return gift.export_gift(spec.questions, category=spec.bank)


def _xml(spec: Bank, media: MediaLoader | None = None) -> GiftExport:
    """Write a bank as Moodle XML, in a category named after the bank, its images embedded."""
    return writer.export_xml(spec.questions, category=spec.bank, media=media)


FORMATS = {
    "yaml": BankFormat("quizapp YAML bank", write=_yaml, suffix=".yaml", mimetype="application/yaml"),
    "gift": BankFormat("Moodle GIFT", parse=gift.parse_gift, write=_gift, suffix=".gift.txt"),
    "aiken": BankFormat("Aiken", parse=aiken.parse_aiken),
    "xml": BankFormat(
        "Moodle XML", parse=reader.parse_moodle_xml, write=_xml, suffix=".moodle.xml", mimetype="application/xml"
    ),
}
IMPORTS = {name: form.label for name, form in FORMATS.items()}
EXPORTS = tuple(name for name, form in FORMATS.items() if form.write is not None)
