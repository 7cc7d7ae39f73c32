"""One registry of bank file formats: every writer's output reads back through the same registry's parsers."""

from __future__ import annotations

import yaml

from quizapp.banks.formats import yamlfile
from quizapp.banks.formats.registry import EXPORTS, FORMATS, IMPORTS
from quizapp.banks.schema import Bank
from tests.conftest import DATA

BANK = Bank.model_validate(yaml.safe_load((DATA / "demo-bank.yaml").read_text()))


def test_imports_and_exports_are_read_off_the_registry():
    assert IMPORTS == {"yaml": "quizapp YAML bank", "gift": "Moodle GIFT", "aiken": "Aiken", "xml": "Moodle XML"}
    assert EXPORTS == ("yaml", "gift", "xml")


def test_the_yaml_writer_round_trips_the_whole_bank():
    written = FORMATS["yaml"].write(BANK)
    assert written.skipped == [] and yamlfile.parse(written.text, "demo.yaml") == BANK


def test_the_gift_writer_reads_back_through_the_gift_parser():
    written = FORMATS["gift"].write(BANK)
    result = FORMATS["gift"].parse(written.text)
    assert result.errors == [] and len(result.drafts) + len(written.skipped) == len(BANK.questions)
    assert {d.category for d in result.drafts} == {BANK.bank}


def test_the_moodle_xml_writer_reads_back_through_the_xml_parser():
    written = FORMATS["xml"].write(BANK)
    result = FORMATS["xml"].parse(written.text)
    assert result.errors == result.skipped == written.skipped == [] and len(result.drafts) == len(BANK.questions)
    assert {d.category for d in result.drafts} == {"$course$/" + BANK.bank}
