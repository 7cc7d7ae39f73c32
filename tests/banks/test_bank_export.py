"""Export: the YAML writer (byte-identical round trips), the bank built from the database, and downloads."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from quizapp.banks import exporting, sync, transfer
from quizapp.banks.formats import gift, yamlfile
from quizapp.banks.formats.yamldump import dump_bank
from quizapp.banks.schema import Bank as BankSpec
from quizapp.extensions import db
from quizapp.models import AuditEvent, Question
from tests.conftest import DATA, PROJECT, count, import_paths

BANK_FILES = [DATA / "demo-bank.yaml", *sorted((PROJECT / "questions").glob("*.yaml"))]
BANK_FILES = [p for p in BANK_FILES if p.name not in ("quizzes.yaml", "tracks.yaml")]


def parse(text_: str) -> BankSpec:
    """Parse bank YAML text."""
    return yamlfile.parse(text_, "bank.yaml")


def export_text(app, slug: str) -> str:
    """Export a bank as YAML through the service."""
    with app.app_context():
        result = exporting.export_bank(transfer.find_bank(slug), "yaml")
        db.session.commit()
        return result.text


def wipe_banks(app) -> None:
    """Delete every bank and question, to import an export into an empty database."""
    with app.app_context():
        db.session.execute(text("UPDATE question SET current_version_id = NULL"))
        for table in ("question_version", "question", "bank"):
            db.session.execute(text(f'DELETE FROM "{table}"'))  # noqa: S608 - fixed table names
        db.session.commit()


# ---------------------------------------------------------------- the writer (pure)


def test_demo_bank_is_written_in_the_documented_shape():
    written = dump_bank(parse((DATA / "demo-bank.yaml").read_text()))
    assert written.startswith("format: quizapp-bank/1\nbank: demo\ntitle: Demo bank\ntopic: demo\nlevel: lay\n")
    assert "references:\n  ref: Test reference.\nquestions:\n  - key: demo-single\n    type: single\n" in written
    assert "    shuffle: false\n    stem: Which breath length is right?\n    choices:\n      - text: About 1" in written
    assert "    answer: {value: 6, unit: seconds}\n" in written and "tolerance" not in written
    assert "    tags: [adult, lay]\n\n  - key: demo-multiple\n" in written
    assert "difficulty" not in written and "points" not in written and "correct: false" not in written


def test_multiline_text_is_a_block_and_unicode_is_kept():
    spec = parse((PROJECT / "questions" / "airway-management.yaml").read_text())
    written = dump_bank(spec)
    assert "description: |\n  Recognising cardiac arrest" in written
    assert "    stem: |\n      In a shopping centre" in written
    assert "head tilt–chin" in written and "\\u" not in written


@pytest.mark.parametrize("path", BANK_FILES, ids=lambda p: p.name)
def test_shipped_files_round_trip_through_the_writer(path: Path):
    spec = parse(path.read_text())
    once = dump_bank(spec)
    assert parse(once) == spec
    assert dump_bank(parse(once)) == once


SPECIAL = [*"ab é–“”✓ :#-?*&!|>'\"%@`{}[],\\\t\n", "\n\n", "  ", ": ", " #", "- ", "yes", "null", "1.5", "~"]
SPECIAL += ["\u2028", "\x85", "\r"]  # line breaks a YAML reader would turn into \n unless quoted
texts = st.lists(st.sampled_from(SPECIAL), min_size=1, max_size=10).map("".join).map(str.strip).filter(bool)
numbers = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e18, max_value=1e18)
tags = st.lists(st.from_regex(r"[a-z0-9][a-z0-9-]{0,8}", fullmatch=True), max_size=3, unique=True)


@st.composite
def questions(draw, key: str):
    """Draw a valid question of any type, full of YAML's special characters."""
    kind = draw(st.sampled_from(["single", "multiple", "true_false", "ordering", "numeric"]))
    data = {"key": key, "type": kind, "stem": draw(texts), "explanation": draw(st.just("") | texts)}
    data |= {"tags": draw(tags), "difficulty": draw(st.integers(1, 3)), "points": draw(st.sampled_from([1, 2, 0.5]))}
    data["group"] = draw(st.none() | st.from_regex(r"[a-z0-9][a-z0-9-]{0,8}", fullmatch=True))
    if kind in ("single", "multiple", "ordering"):
        labels = draw(st.lists(texts, min_size=2, max_size=5, unique_by=str.casefold))
        right = {0} if kind == "single" else draw(st.sets(st.integers(0, 1), min_size=1))
        right = set() if kind == "ordering" else right
        data["choices"] = [
            {"text": t, "correct": i in right, "feedback": draw(st.none() | texts)} for i, t in enumerate(labels)
        ]
        data["shuffle"] = draw(st.booleans())
    elif kind == "true_false":
        data |= {"answer": draw(st.booleans()), "feedback": draw(st.none() | texts)}
    else:
        low, high = sorted(draw(st.lists(numbers, min_size=2, max_size=2)))
        unit = draw(st.none() | texts)
        data["answer"] = draw(
            st.sampled_from([{"value": low, "tolerance": abs(high - low), "unit": unit}, {"min": low, "max": high}])
        )
    if kind in ("multiple", "ordering"):
        data["scoring"] = draw(st.sampled_from([None, "partial", "all_or_nothing"]))
    return data


@st.composite
def bank_specs(draw):
    """Draw a valid bank of up to four questions."""
    refs = draw(st.dictionaries(st.sampled_from(["r1", "r-2", "yes"]), texts, max_size=2))
    qs = [draw(questions(f"q-{i}")) for i in range(draw(st.integers(0, 4)))]
    for q in qs:
        q["reference"] = draw(st.sampled_from([None, *refs]))
    data = {"format": "quizapp-bank/1", "bank": "b1", "title": draw(texts).replace("\n", " "), "topic": "t1"}
    data |= {"level": "lay", "description": draw(st.just("") | texts), "references": refs, "questions": qs}
    return BankSpec.model_validate(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bank_specs())
def test_any_bank_round_trips_byte_for_byte(spec):
    written = dump_bank(spec)
    assert parse(written) == spec
    assert dump_bank(parse(written)) == written


# ---------------------------------------------------------------- from the database


@pytest.mark.parametrize("path", BANK_FILES, ids=lambda p: p.name)
def test_import_export_import_export(app, path: Path):
    in_file = parse(path.read_text())
    original = in_file.model_copy(update={"questions": [q for q in in_file.questions if not q.retired]})
    import_paths(app, path)
    first = export_text(app, original.bank)
    assert parse(first) == original  # every live question, in order, with the bank's details and references
    wipe_banks(app)
    with app.app_context():
        report = sync.ImportReport()
        sync.import_bank(parse(first), report)
        db.session.commit()
        assert len(report.created) == len(original.questions) + 1
    assert export_text(app, original.bank) == first
    with app.app_context():
        again = transfer.import_sources(transfer.find_bank(original.bank), "yaml", [transfer.Source("x", first)])
        assert again.created == again.updated == []
        db.session.rollback()


def test_export_uses_current_versions_positions_and_leaves_out_retired(app, demo):
    changed = (DATA / "demo-bank.yaml").read_text().replace("Gasping is normal", "Gasping is regular")
    with app.app_context():
        sync.import_bank(parse(changed), sync.ImportReport())
        for question in db.session.scalars(select(Question)):
            question.position = {"demo-numeric": -1}.get(question.key, question.position)
            question.retired = question.key == "demo-order"
        db.session.commit()
    spec = parse(export_text(app, "demo"))
    assert [q.key for q in spec.questions] == ["demo-numeric", "demo-single", "demo-multiple", "demo-tf"]
    assert spec.questions[3].stem == "Gasping is regular breathing."
    assert spec.references == {"ref": "Test reference."}


def test_gift_export_is_moodle_gift_without_ordering(app, demo):
    with app.app_context():
        result = exporting.export_bank(transfer.find_bank("demo"), "gift")
    assert result.filename == "demo.gift.txt" and result.skipped == ["demo-order"]
    parsed = gift.parse_gift(result.text)
    assert [d.title for d in parsed.drafts] == ["demo-single", "demo-multiple", "demo-tf", "demo-numeric"]
    assert parsed.errors == [] and parsed.skipped == []
    assert result.text.startswith("$CATEGORY: demo\n")


def test_download_as_yaml_and_gift(app, instructor):
    response = instructor.post("/author/banks/demo/export", data={"format": "yaml"})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="demo.yaml"'
    assert response.headers["Content-Type"] == "application/yaml; charset=utf-8"
    assert response.get_data(as_text=True) == export_text(app, "demo")
    response = instructor.post("/author/banks/demo/export", data={"format": "gift"})
    assert response.headers["Content-Disposition"] == 'attachment; filename="demo.gift.txt"'
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert "::demo-single::" in response.get_data(as_text=True)
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export").order_by(AuditEvent.id))
        by_instructor = [e.details["format"] for e in events if e.actor_id is not None]
        assert by_instructor == ["yaml", "gift"]


def test_a_get_of_the_export_address_exports_nothing(app, instructor):
    # An image in authored Markdown pointing here must not write an export (and its audit record) when fetched.
    assert instructor.get("/author/banks/demo/export?format=yaml").status_code == 405
    assert count(app, AuditEvent) == 0


def test_download_refusals(app, instructor):
    response = instructor.post("/author/banks/demo/export", data={"format": "xlsx"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/author/banks/demo/import")
    assert "Unknown export format &#39;xlsx&#39;" in instructor.get("/author/banks/demo/import").get_data(as_text=True)
    assert instructor.post("/author/banks/nowhere/export").status_code == 404
    assert count(app, AuditEvent) == 0


def test_a_bank_that_no_longer_validates_explains_why(app, instructor):
    with app.app_context():
        transfer.find_bank("demo").references = {}
        db.session.commit()
    response = instructor.post("/author/banks/demo/export")
    assert response.status_code == 303
    page = instructor.get("/author/banks/demo/import").get_data(as_text=True)
    assert "Bank demo cannot be exported until this is fixed" in page and "not one of this bank" in page
