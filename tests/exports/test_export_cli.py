"""`flask export attempts|responses`: the same export service as the admin download, to a file or stdout."""

from __future__ import annotations

import csv
import dataclasses
import io
import json

import pytest
from openpyxl import load_workbook

from quizapp.cli import export as cli_export
from quizapp.exports import queries
from tests.exports.conftest import NAMES, NEUTRALISED
from tests.exports.support import audit_events


def export(runner, *args: str):
    """Run `flask export ...` and return the result."""
    return runner.invoke(args=["export", *args])


def test_help(runner):
    assert {"attempts", "responses", "sweep"} <= set(export(runner, "--help").output.split())
    result = export(runner, "attempts", "--help")
    assert result.exit_code == 0
    for option in ("--format", "--output", "--quiz", "--since", "--until", "--status", "--excel"):
        assert option in result.output


def test_csv_to_a_file_matches_the_browser_download_and_is_audited(app, admin, scores, runner, tmp_path):
    target = tmp_path / "attempts.csv"
    result = export(runner, "attempts", "--format", "csv", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert "exporting 5 attempts" in result.stderr and "wrote 5 attempts" in result.stderr
    data = target.read_bytes()
    assert data == admin.post("/admin/exports/download", data={"dataset": "attempts", "format": "csv"}).data
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    assert {r["learner_name"] for r in rows} == {"Ada Lovelace", *NEUTRALISED}
    assert not list(tmp_path.glob(".*.partial"))
    cli_event = audit_events(app)[0]
    assert (cli_event.actor_id, cli_event.target) == (None, "attempts")
    assert cli_event.details == {
        "filters": {"quiz": None, "since": None, "until": None, "status": "submitted"},
        "format": "csv",
        "rows": 5,
        "source": "cli",
    }


def test_excel_flag_adds_a_bom(scores, runner, tmp_path):
    target = tmp_path / "r.csv"
    assert export(runner, "responses", "--excel", "-o", str(target)).exit_code == 0
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfattempt_id,learner_email,quiz,slot,")
    assert data.count(b"\r\n") == 26


def test_xlsx_to_a_file(app, scores, runner, tmp_path):
    target = tmp_path / "responses.xlsx"
    result = export(runner, "responses", "--format", "xlsx", "-o", str(target), "--status", "all")
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert list(rows[0]) == queries.RESPONSE_COLUMNS and len(rows) == 31
    assert audit_events(app)[0].details["rows"] == 30


def test_jsonl_to_stdout(scores, runner):
    result = export(runner, "attempts", "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout_bytes.decode("utf-8").splitlines()]
    assert {r["learner_email"] for r in records} == set(NAMES)
    assert {r["learner_name"] for r in records} == set(NAMES.values())
    ada = next(r for r in records if r["learner_name"] == "Ada Lovelace")
    assert ada["percent"] == 100 and ada["passed"] is True and ada["topic_percent_demo"] == 100


@pytest.mark.parametrize(
    ("args", "emails"),
    [
        (["--quiz", "demo-timed", "--status", "all"], {"ian@example.org"}),
        (["--since", "2026-03-02", "--until", "2026-03-03"], {"evil@example.org", "plus@example.org"}),
        (["--since", "2026-03-05", "--status", "all"], {"at@example.org", "ian@example.org"}),
    ],
)
def test_filters(scores, runner, args, emails):
    result = export(runner, "responses", "--format", "jsonl", *args)
    assert result.exit_code == 0, result.stderr
    assert {json.loads(line)["learner_email"] for line in result.stdout_bytes.decode().splitlines()} == emails


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["attempts", "--quiz", "nope"], "There is no quiz 'nope'"),
        (["attempts", "--format", "xlsx", "--excel"], "--excel applies to --format csv only"),
        (["attempts", "--since", "2026-03-02", "--until", "2026-03-01"], "--until is before --since"),
        (["attempts", "--since", "March"], "does not match the format"),
        (["users"], "No such command 'users'"),
    ],
)
def test_user_errors(app, runner, demo, args, message):
    result = export(runner, *args)
    assert result.exit_code in (1, 2) and message in result.output
    assert audit_events(app) == []


def test_a_failed_write_leaves_no_partial_file_and_is_still_logged(app, scores, runner, tmp_path, monkeypatch):
    def broken(columns, rows, title=""):
        yield b"attempt_id\r\n"
        raise OSError(28, "No space left on device")

    monkeypatch.setitem(cli_export.FORMATS, "csv", dataclasses.replace(cli_export.FORMATS["csv"], write=broken))
    target = tmp_path / "attempts.csv"
    result = export(runner, "attempts", "-o", str(target))
    assert result.exit_code == 1 and "No space left on device" in result.output
    assert not list(tmp_path.iterdir())
    assert audit_events(app)[0].details["rows"] == 5  # logged before writing, so the attempt is on record
