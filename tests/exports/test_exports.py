"""/admin/exports: attempts and responses as CSV, CSV for Excel, XLSX and JSON Lines: columns, values, filters."""

from __future__ import annotations

import json
import re

import pytest

from quizapp.exports import datasets
from quizapp.exports.queries import ATTEMPT_COLUMNS, ATTEMPT_TAIL, RESPONSE_COLUMNS
from tests.exports.conftest import NAMES, NEUTRALISED
from tests.exports.support import audit_events, csv_rows, download, xlsx_rows

ATTEMPT_HEADER = [
    *ATTEMPT_COLUMNS,
    "topic_percent_demo",
    "recommended_track",
    "readiness",
    "platform",
    "platform_user_id",
]


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
    assert list(rows[0]) == RESPONSE_COLUMNS
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
    assert header == RESPONSE_COLUMNS and len(rows) == 25
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
        for dataset in datasets.DATASETS:
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
    assert data == (",".join(ATTEMPT_COLUMNS + ATTEMPT_TAIL) + "\r\n").encode()
    header, rows = xlsx_rows(download(admin, dataset="responses", format="xlsx").data)
    assert header == RESPONSE_COLUMNS and rows == []
    assert [e.details["rows"] for e in audit_events(app)] == [0, 0]


def test_export_page_offers_every_quiz_and_format(admin):
    page = admin.get("/admin/exports").get_data(as_text=True)
    assert 'action="/admin/exports/download"' in page and 'method="post"' in page
    for value in ("demo-exam", "demo-timed", "csv-excel", "xlsx", "jsonl", "responses", "submitted"):
        assert f'value="{value}"' in page
