"""/admin/exports: attempts and responses as CSV, CSV for Excel, XLSX and JSON Lines, filtered, audited, safe."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import event, select

from quizapp.extensions import db
from quizapp.models import AuditEvent
from quizapp.services import exports
from quizapp.services.export_formats import FORMATS
from quizapp.textfmt import FORMULA_TRIGGERS
from tests.admin.conftest import NAMES, NEUTRALISED, clone_attempts, take

URL = "/admin/exports/download"
ATTEMPT_HEADER = [*exports.ATTEMPT_COLUMNS, "topic_percent_demo", "recommended_track", "readiness"]


def download(client, **params):
    """GET an export and return the response, asserting it is a download."""
    response = client.get(URL, query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)[-2000:]
    return response


def csv_rows(data: bytes) -> list[dict]:
    """Parse CSV bytes (RFC 4180, CRLF) into dicts."""
    text = data.decode("utf-8")
    assert "\r\n" in text and not re.search(r"(?<!\r)\n", text)
    return list(csv.DictReader(io.StringIO(text, newline="")))


def xlsx_rows(data: bytes) -> tuple[list, list[list]]:
    """Parse an XLSX download into (header, rows of cells)."""
    sheet = load_workbook(io.BytesIO(data)).active
    rows = [list(r) for r in sheet.iter_rows()]
    return [c.value for c in rows[0]], rows[1:]


def audit_events(app) -> list[AuditEvent]:
    """Return the export audit events, oldest first."""
    with app.app_context():
        return list(db.session.execute(select(AuditEvent).where(AuditEvent.action == "export")).scalars())


def test_attempts_csv_columns_and_values(admin, scores):
    rows = csv_rows(download(admin, dataset="attempts", format="csv").data)
    assert list(rows[0]) == ATTEMPT_HEADER
    assert len(rows) == 5  # finished attempts only, by default
    ada = rows[0]
    assert ada["attempt_id"] == scores["ada@example.org"]
    assert (ada["learner_name"], ada["learner_email"], ada["quiz"], ada["attempt_number"]) == (
        "Ada Lovelace",
        "ada@example.org",
        "demo-exam",
        "1",
    )
    assert (ada["started_at"], ada["submitted_at"], ada["duration_seconds"]) == (
        "2026-03-01T09:00:00Z",
        "2026-03-01T09:05:00Z",
        "300",
    )
    assert (ada["status"], ada["score"], ada["max_score"], ada["percent"], ada["passed"]) == (
        "submitted",
        "5",
        "5",
        "100",
        "true",
    )
    assert (ada["topic_percent_demo"], ada["recommended_track"], ada["readiness"]) == ("100", "bls-provider", "ready")
    wrong = rows[1]
    assert (wrong["score"], wrong["percent"], wrong["passed"], wrong["recommended_track"]) == ("0", "0", "false", "")
    assert {r["learner_name"] for r in rows[1:]} == NEUTRALISED


def test_responses_csv_columns_and_values(admin, scores):
    rows = csv_rows(download(admin, dataset="responses", format="csv").data)
    assert list(rows[0]) == exports.RESPONSE_COLUMNS
    assert len(rows) == 25
    ada = [r for r in rows if r["learner_email"] == "ada@example.org"]
    assert [r["slot"] for r in ada] == ["1", "2", "3", "4", "5"]
    assert {r["attempt_id"] for r in ada} == {scores["ada@example.org"]}
    by_key = {r["question_key"]: r for r in ada}
    assert by_key["demo-single"]["answer"] == "About 1 second"
    assert by_key["demo-multiple"]["answer"] == "Unresponsive; No normal breathing"
    assert by_key["demo-tf"]["answer"] == "False"
    assert by_key["demo-order"]["answer"] == "Turn the AED on > Attach the pads > Stand clear and shock"
    assert by_key["demo-numeric"]["answer"] == "6 seconds"
    first = by_key["demo-single"]
    assert (first["quiz"], first["bank"], first["question_version"], first["type"]) == (
        "demo-exam",
        "demo",
        "1",
        "single",
    )
    assert {(r["correct"], r["score"]) for r in ada} == {("true", "1")}
    wrong = [r for r in rows if r["learner_email"] == "evil@example.org"]
    assert {(r["correct"], r["score"]) for r in wrong} == {("false", "0")}
    assert {r["answer"] for r in wrong if r["question_key"] == "demo-tf"} == {"True"}


def test_xlsx_attempts_and_responses_parse_back_with_types_and_no_formulas(admin, scores):
    header, rows = xlsx_rows(download(admin, dataset="attempts", format="xlsx").data)
    assert header == ATTEMPT_HEADER
    values = [[c.value for c in row] for row in rows]
    ada = dict(zip(header, values[0], strict=True))
    assert (ada["learner_name"], ada["score"], ada["percent"], ada["passed"], ada["duration_seconds"]) == (
        "Ada Lovelace",
        5,
        100,
        True,
        300,
    )
    assert {v[header.index("learner_name")] for v in values[1:]} == NEUTRALISED
    assert all(c.data_type != "f" for row in rows for c in row)
    header, rows = xlsx_rows(download(admin, dataset="responses", format="xlsx").data)
    assert header == exports.RESPONSE_COLUMNS and len(rows) == 25
    assert {type(row[header.index("score")].value) for row in rows} <= {int, float}


def test_jsonl_keeps_values_as_they_are(admin, scores):
    lines = download(admin, dataset="attempts", format="jsonl").data.decode("utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 5 and list(records[0]) == ATTEMPT_HEADER
    assert records[0]["percent"] == 100 and records[0]["passed"] is True and records[0]["duration_seconds"] == 300
    assert records[1]["learner_name"] == '=HYPERLINK("http://x")'  # data for programs: not altered
    assert records[1]["recommended_track"] is None
    responses = download(admin, dataset="responses", format="jsonl").data.decode("utf-8").splitlines()
    assert json.loads(responses[0])["slot"] == 1 and len(responses) == 25


def test_csv_for_excel_starts_with_a_bom(admin, scores):
    data = download(admin, dataset="attempts", format="csv-excel").data
    assert data.startswith(b"\xef\xbb\xbfattempt_id,")
    assert data[3:] == download(admin, dataset="attempts", format="csv").data


@pytest.mark.parametrize(
    ("fmt", "content_type", "extension"),
    [
        ("csv", "text/csv; charset=utf-8; header=present", "csv"),
        ("csv-excel", "text/csv; charset=utf-8; header=present", "csv"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
        ("jsonl", "application/x-ndjson; charset=utf-8", "jsonl"),
    ],
)
def test_download_headers(admin, fmt, content_type, extension):
    response = download(admin, dataset="responses", format=fmt)
    assert response.headers["Content-Type"] == content_type
    assert response.headers["Cache-Control"] == "no-store"
    disposition = response.headers["Content-Disposition"]
    assert re.fullmatch(rf"attachment; filename=quizapp-responses-\d{{8}}T\d{{4}}Z\.{extension}", disposition)


def test_every_export_is_audited_with_filters_and_row_count(app, admin, scores):
    download(admin, dataset="responses", format="xlsx", quiz="demo-exam", since="2026-03-02", status="submitted")
    download(admin, dataset="attempts", format="csv-excel", status="all")
    first, second = audit_events(app)
    with app.app_context():
        from quizapp.models import User

        admin_id = db.session.execute(select(User.id).where(User.role == "admin")).scalar_one()
    assert (first.actor_id, first.target) == (admin_id, "responses")
    assert first.details == {
        "filters": {"quiz": "demo-exam", "since": "2026-03-02", "until": None, "status": "submitted"},
        "format": "xlsx",
        "rows": 20,
        "source": "web",
    }
    assert (second.target, second.details["rows"], second.details["format"]) == ("attempts", 6, "csv-excel")


FILTER_CASES = [
    ({}, set(NAMES)),
    ({"status": "all"}, {*NAMES, "ian@example.org"}),
    ({"status": "all", "quiz": "demo-timed"}, {"ian@example.org"}),
    ({"quiz": "demo-timed"}, set()),
    ({"quiz": "demo-exam", "since": "2026-03-04"}, {"minus@example.org", "at@example.org"}),
    ({"until": "2026-03-02"}, {"ada@example.org", "evil@example.org"}),
    ({"since": "2026-03-02", "until": "2026-03-03"}, {"evil@example.org", "plus@example.org"}),
    ({"since": "2026-03-05", "until": "2026-03-10", "status": "all"}, {"at@example.org", "ian@example.org"}),
]


def test_filters(admin, scores):
    # One set of attempts for every case: building it signs in six learners, which is the slow part.
    for params, emails in FILTER_CASES:
        for dataset in exports.DATASETS:
            rows = csv_rows(download(admin, dataset=dataset, format="csv", **params).data)
            assert {r["learner_email"] for r in rows} == emails, (dataset, params)


def test_open_attempts_export_without_scores(admin, scores):
    rows = csv_rows(download(admin, dataset="attempts", format="csv", status="all", quiz="demo-timed").data)
    [row] = rows
    assert (row["status"], row["submitted_at"], row["duration_seconds"], row["score"], row["passed"]) == (
        "in_progress",
        "",
        "",
        "",
        "",
    )
    responses = csv_rows(download(admin, dataset="responses", format="csv", status="all", quiz="demo-timed").data)
    assert len(responses) == 5 and {(r["correct"], r["score"]) for r in responses} == {("", "")}


def test_an_empty_export_has_its_header_and_is_logged(app, admin):
    data = download(admin, dataset="attempts", format="csv").data
    assert data == (",".join(exports.ATTEMPT_COLUMNS + exports.ATTEMPT_TAIL) + "\r\n").encode()
    header, rows = xlsx_rows(download(admin, dataset="responses", format="xlsx").data)
    assert header == exports.RESPONSE_COLUMNS and rows == []
    assert [e.details["rows"] for e in audit_events(app)] == [0, 0]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"dataset": "users", "format": "csv"}, "Not a valid choice"),
        ({"dataset": "attempts", "format": "pdf"}, "Not a valid choice"),
        ({"dataset": "attempts", "format": "csv", "status": "some"}, "Not a valid choice"),
        ({"dataset": "attempts", "format": "csv", "quiz": "nope"}, "Not a valid choice"),
        ({"dataset": "attempts", "format": "csv", "since": "yesterday"}, "Not a valid date"),
        ({"dataset": "attempts", "format": "csv", "since": "2026-03-02", "until": "2026-03-01"}, "before the start"),
    ],
)
def test_bad_parameters_show_the_form_with_a_message(app, admin, params, message):
    response = admin.get(URL, query_string=params)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True) and "Content-Disposition" not in response.headers
    assert audit_events(app) == []


def test_download_without_a_choice_goes_to_the_form(app, admin):
    response = admin.get(URL)
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/exports")
    assert audit_events(app) == []


def test_export_page_offers_every_quiz_and_format(admin):
    page = admin.get("/admin/exports").get_data(as_text=True)
    assert 'action="/admin/exports/download"' in page and 'method="get"' in page
    for value in ("demo-exam", "demo-timed", "csv-excel", "xlsx", "jsonl", "responses", "submitted"):
        assert f'value="{value}"' in page


def count_statements(app, dataset: str) -> list[str]:
    """Run a whole export (prepare, log, write) and return the SQL statements it executed."""
    statements: list[str] = []

    def listen(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            export = exports.prepare(dataset, exports.Filters(status="all"))
            body = b"".join(FORMATS["csv"].write(export.columns, export.rows, dataset))
            db.session.rollback()
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
    assert body.count(b"\r\n") == export.total + 1
    return statements


def test_query_count_does_not_grow_with_rows(app, learner, monkeypatch):
    monkeypatch.setattr(exports, "BATCH", 7)  # several batches, still one query each
    public_id = take(app, "learner@example.org")
    clone_attempts(app, public_id, 4)
    small = {d: count_statements(app, d) for d in exports.DATASETS}
    clone_attempts(app, public_id, 45)
    large = {d: count_statements(app, d) for d in exports.DATASETS}
    assert small == large
    assert len(small["attempts"]) == 3 and len(small["responses"]) == 3  # COUNT, topics or specs, rows


# The property: whatever learners call themselves, no text cell of a CSV or XLSX export starts a formula.
texts = st.text(max_size=12) | st.sampled_from(["=1+1", "+1", "-2", "@cmd", "\t=x", "\r=x", '=HYPERLINK("x")'])


def attempt_record(name: str, email: str, topic: str, track: str, percent: float) -> SimpleNamespace:
    """A row shaped like the attempts query's, without a database."""
    return SimpleNamespace(
        public_id=email,
        display_name=name,
        email=email,
        quiz=track,
        number=1,
        started_at=datetime(2026, 1, 1, 9),
        submitted_at=datetime(2026, 1, 1, 9, 1),
        status="submitted",
        score=percent,
        max_score=5.0,
        percent=percent,
        passed=percent >= 60,
        topic_scores={topic: percent},
        recommendation={"track": track, "readiness": name},
    )


def no_formula_cells(columns: list[str], rows: list[list]) -> None:
    """Write rows as CSV and XLSX and check every text cell that comes back."""
    data = b"".join(FORMATS["csv"].write(columns, rows, "t")).decode("utf-8")
    for cells in csv.reader(io.StringIO(data, newline="")):
        for cell in cells:
            if cell.startswith(FORMULA_TRIGGERS):
                float(cell)  # only a (negative) number may start with "-"
    sheet = load_workbook(io.BytesIO(b"".join(FORMATS["xlsx"].write(columns, rows, "t")))).active
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
            if isinstance(cell.value, str):
                assert not cell.value.startswith(FORMULA_TRIGGERS), cell.value


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(texts, texts, texts, texts, st.floats(-100, 100)), min_size=1, max_size=3),
    texts,
)
def test_no_exported_text_cell_starts_a_formula(people, answer):
    topics = sorted({p[2] for p in people})
    columns = exports.ATTEMPT_COLUMNS + [exports.TOPIC_PREFIX + t for t in topics] + exports.ATTEMPT_TAIL
    rows = [exports.attempt_row(attempt_record(*p), topics) for p in people]
    no_formula_cells(columns, rows)
    spec = SimpleNamespace(type="single", choices=[SimpleNamespace(text=answer)])
    record = SimpleNamespace(
        public_id=answer,
        email=answer,
        quiz=answer,
        slot=0,
        bank=answer,
        key=answer,
        version=1,
        type="single",
        answer={"choice": 0},
        correct=False,
        score=-0.5,
    )
    no_formula_cells(exports.RESPONSE_COLUMNS, [exports.response_row(record, spec)])


def test_filters_record_as_json_ready_values():
    filters = exports.Filters("demo-exam", date(2026, 1, 1), None, "all")
    assert filters.as_dict() == {"quiz": "demo-exam", "since": "2026-01-01", "until": None, "status": "all"}
