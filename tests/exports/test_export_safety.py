"""/admin/exports safety: every download audited, bad requests refused, constant query count, no formula cells."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import select

from quizapp.exports import datasets, queries
from quizapp.exports.formats import FORMATS
from quizapp.extensions import db
from quizapp.models import User
from quizapp.textfmt import FORMULA_TRIGGERS, safe_cell
from tests.conftest import ADMIN
from tests.exports.conftest import clone_attempts, take
from tests.exports.support import URL, audit_events, download
from tests.support import counted_queries, csrf_token, login_with_token


def test_every_export_is_audited_with_filters_and_row_count(app, admin, scores):
    download(admin, dataset="responses", format="xlsx", quiz="demo-exam", since="2026-03-02", status="submitted")
    download(admin, dataset="attempts", format="csv-excel", status="all")
    first, second = audit_events(app)
    with app.app_context():
        admin_id = db.session.execute(select(User.id).where(User.role == "admin")).scalar_one()
    assert (first.actor_id, first.target) == (admin_id, "responses")
    assert first.details == {
        "filters": {"quiz": "demo-exam", "since": "2026-03-02", "until": None, "status": "submitted"},
        "format": "xlsx",
        "rows": 20,
        "source": "web",
    }
    assert (second.target, second.details["rows"], second.details["format"]) == ("attempts", 6, "csv-excel")


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
    response = admin.post(URL, data=params)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True) and "Content-Disposition" not in response.headers
    assert audit_events(app) == []


def test_a_get_of_the_download_address_exports_nothing_and_opens_the_filled_chooser(app, admin, scores):
    # An instructor's Markdown image pointing here, fetched by an admin's browser, must not run an export.
    response = admin.get(URL, query_string={"dataset": "responses", "format": "xlsx", "_external": "1"})
    assert response.status_code == 303 and "Content-Disposition" not in response.headers
    assert response.headers["Location"] == "/admin/exports?dataset=responses&format=xlsx"
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert re.search(r'<input checked[^>]* value="responses"', page) and '<option selected value="xlsx">' in page
    assert audit_events(app) == []


def test_the_download_needs_a_csrf_token(app, csrf_app, scores):
    client = csrf_app.test_client()
    assert login_with_token(client, ADMIN).status_code == 303
    response = client.post(URL, data={"dataset": "attempts", "format": "csv"})
    assert response.status_code == 303 and "Content-Disposition" not in response.headers
    token = csrf_token(client, "/admin/exports")
    response = client.post(URL, data={"dataset": "attempts", "format": "csv", "csrf_token": token})
    assert response.status_code == 200 and response.headers["Content-Disposition"].startswith("attachment")
    assert [e.target for e in audit_events(app)] == ["attempts"]


def count_statements(app, dataset: str) -> list[str]:
    """Run a whole export (prepare, log, write) and return the SQL statements it executed."""
    with app.app_context(), counted_queries(app) as statements:
        export = datasets.prepare(dataset, datasets.Filters(status="all"))
        body = b"".join(FORMATS["csv"].write(export.columns, export.rows, dataset))
        db.session.rollback()
    assert body.count(b"\r\n") == export.total + 1
    return statements


def test_query_count_does_not_grow_with_rows(app, learner, monkeypatch):
    monkeypatch.setattr(queries, "BATCH", 7)  # several batches, still one query each
    public_id = take(app, "learner@example.org")
    clone_attempts(app, public_id, 4)
    small = {d: count_statements(app, d) for d in datasets.DATASETS}
    clone_attempts(app, public_id, 45)
    large = {d: count_statements(app, d) for d in datasets.DATASETS}
    assert small == large
    assert len(small["attempts"]) == 3 and len(small["responses"]) == 3  # COUNT, topics or specs, rows


# The property: whatever learners call themselves, no text cell of a CSV or XLSX export starts a formula.
texts = st.text(max_size=12) | st.sampled_from(["=1+1", "+1", "-2", "@cmd", "\t=x", "\r=x", '=HYPERLINK("x")'])


def attempt_record(name: str, email: str, topic: str, track: str, percent: float, topics: list[str]) -> tuple:
    """A row shaped like the attempts query's (a percent in its topic's column), without a database."""
    started = datetime(2026, 1, 1, 9)
    scores = tuple(percent if t == topic else None for t in topics)
    return (
        email,
        name,
        email,
        track,
        1,
        started,
        started + timedelta(minutes=1),
        "submitted",
        percent,
        5.0,
        percent,
        percent >= 60,
        *scores,
        track,
        name,
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
    columns = queries.attempt_columns(topics)
    rows = [queries.attempt_row(attempt_record(*p, topics)) for p in people]
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
    no_formula_cells(queries.RESPONSE_COLUMNS, [queries.response_row(record, spec)])


SEPARATORS = (",", ";", "\t")
# Text built from what matters here: separators, line ends, quotes, spaces, formula starts, letters and digits.
cell_texts = st.text(alphabet=",;\t\r\n\" =+-@'a1", max_size=14)


def formula_fields(line_fields) -> list[str]:
    """Return the fields a spreadsheet could run as a formula: after skipped blanks and quotes, a formula start."""
    starts = [f.lstrip(' "\t\r\n') for fields in line_fields for f in fields]
    return [f for f in starts if f.startswith(("=", "+", "-", "@"))]


@settings(max_examples=200, deadline=None)
# Numbers in exports are never negative (scores, percents, counts), so a number cell cannot start a formula.
@given(st.lists(st.lists(cell_texts | st.floats(0, 100) | st.integers(0, 5), min_size=1, max_size=4), max_size=4))
def test_no_csv_field_starts_a_formula_whatever_separator_the_spreadsheet_uses(rows):
    width = max((len(r) for r in rows), default=1)
    columns = [f"c{i}" for i in range(width)]
    rows = [r + [None] * (width - len(r)) for r in rows]
    for fmt in ("csv", "csv-excel"):
        data = b"".join(FORMATS[fmt].write(columns, rows, "t")).decode("utf-8-sig")
        for sep in SEPARATORS:
            # A spreadsheet in a locale whose list separator is `sep`, reading the quoting as CSV does...
            assert formula_fields(csv.reader(io.StringIO(data, newline=""), delimiter=sep)) == []
            # ...or ignoring the quotes altogether, splitting at every separator and line end.
            naive = data.replace("\r", "\n")
            for other in SEPARATORS:
                naive = naive.replace(other, "\n")
            assert formula_fields([naive.split("\n")]) == []


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=1+1", "'=1+1"),
        ('Lee;=HYPERLINK("http://x")', 'Lee;\'=HYPERLINK("http://x")'),
        ("a,+1", "a,'+1"),
        ("a\t-2", "a\t'-2"),
        ('a; "@cmd', "a; \"'@cmd"),
        ("line\n=1", "line\n'=1"),
        ("Ann-Marie; Lee", "Ann-Marie; Lee"),
    ],
)
def test_formula_starts_after_a_separator_are_neutralised(text, safe):
    assert safe_cell(text) == safe


def test_filters_record_as_json_ready_values():
    filters = datasets.Filters("demo-exam", date(2026, 1, 1), None, "all")
    assert filters.as_dict() == {"quiz": "demo-exam", "since": "2026-01-01", "until": None, "status": "all"}
