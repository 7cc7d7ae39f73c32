"""Helpers for the export tests: downloading from /admin/exports, parsing CSV and XLSX, reading the audit log."""

from __future__ import annotations

import csv
import io
import re

from openpyxl import load_workbook
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import AuditEvent

URL = "/admin/exports/download"
PAGE = "/admin/exports"
FILE_LINK = re.compile(r'href="(/admin/exports/files/[^"]+)"')


def download(client, **params):
    """POST the export form and return the download: streamed, or (XLSX, large) the file its job wrote."""
    response = client.post(URL, data=params)
    if response.status_code == 303:
        assert response.headers["Location"] == PAGE
        response = fetch(client, file_links(client)[0])
    assert response.status_code == 200, response.get_data(as_text=True)[-2000:]
    return response


def fetch(client, link: str):
    """GET an export file's link and return the response, its body read and the served file closed."""
    response = client.get(link)
    response.get_data()
    response.close()
    return response


def file_links(client) -> list[str]:
    """Return the download links of the export files listed on the exports page, newest first."""
    return FILE_LINK.findall(client.get(PAGE).get_data(as_text=True))


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
