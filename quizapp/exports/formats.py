"""File formats for exports: CSV (RFC 4180), CSV for Excel, XLSX and JSON Lines, written as a stream of bytes.

Writers take the column names and an iterable of rows (plain Python values: str, int, float, bool, None) and yield
bytes in chunks, holding at most one chunk in memory. Spreadsheet formats neutralise text that a spreadsheet would
read as a formula; JSON Lines keeps values exactly as they are (it is read by programs, not spreadsheets).
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from quizapp.textfmt import safe_cell

CHUNK = 64 * 1024
BOM = "\ufeff".encode()
Row = Sequence[object]
# write(columns, rows, title): `title` names the XLSX sheet; the text formats have nowhere to put it.
Writer = Callable[[Sequence[str], Iterable[Row], str], Iterator[bytes]]


def _csv_float(value: float) -> str:
    """Return a float without a needless `.0`."""
    return str(int(value)) if value.is_integer() else repr(value)


# None and int are written as they are by the csv module (None as an empty field); any other type is made text.
_CSV_FIELDS: dict[type, Callable[[Any], str] | None] = {
    type(None): None,
    int: None,
    bool: lambda value: "true" if value else "false",
    float: _csv_float,
    str: safe_cell,
}


def _csv_other(value: object) -> str:
    """Return any other value as safe text."""
    return safe_cell(str(value))


def csv_fields(row: Row) -> list:
    """Return a row's CSV fields: empty for None, true/false, numbers without a needless `.0`, safe text."""
    return [v if (field := _CSV_FIELDS.get(type(v), _csv_other)) is None else field(v) for v in row]


def write_csv(columns: Sequence[str], rows: Iterable[Row], title: str = "", bom: bool = False) -> Iterator[bytes]:
    """Yield RFC 4180 CSV (UTF-8, CRLF line ends, a header row), optionally after a byte-order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(csv_fields(columns))
    if bom:
        yield BOM
    for row in rows:
        writer.writerow(csv_fields(row))
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def write_csv_excel(columns: Sequence[str], rows: Iterable[Row], title: str = "") -> Iterator[bytes]:
    """Yield CSV with a UTF-8 byte-order mark, so Excel does not read accented names as Latin-1."""
    return write_csv(columns, rows, bom=True)


def _xlsx_cell(sheet, value: object) -> object:
    """Return a write-only cell value: safe text forced to the string type (never a formula)."""
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(safe_cell(value))))
    cell.data_type = "s"
    return cell


def write_xlsx(columns: Sequence[str], rows: Iterable[Row], title: str = "export") -> Iterator[bytes]:
    """Yield an XLSX workbook built in openpyxl's write-only mode (rows go to a temporary file, not memory)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title)
    sheet.freeze_panes = "A2"
    sheet.append([_xlsx_cell(sheet, c) for c in columns])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    # A workbook is a zip whose directory comes last, so the bytes can only start once every row is written.
    with tempfile.TemporaryFile() as spool:
        book.save(spool)
        spool.seek(0)
        while chunk := spool.read(CHUNK):
            yield chunk


def write_jsonl(columns: Sequence[str], rows: Iterable[Row], title: str = "") -> Iterator[bytes]:
    """Yield JSON Lines: one UTF-8 JSON object per row, keyed by column name, each ending in a newline."""
    parts: list[str] = []
    size = 0
    for row in rows:
        line = json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False) + "\n"
        parts.append(line)
        size += len(line)
        if size >= CHUNK:
            yield "".join(parts).encode("utf-8")
            parts, size = [], 0
    yield "".join(parts).encode("utf-8")


@dataclass(frozen=True)
class Format:
    """A file format an export can be written in."""

    name: str
    label: str
    extension: str
    mimetype: str
    write: Writer


CSV_TYPE = "text/csv; charset=utf-8; header=present"
FORMATS: dict[str, Format] = {
    "csv": Format("csv", "CSV (UTF-8)", "csv", CSV_TYPE, write_csv),
    "csv-excel": Format("csv-excel", "CSV for Excel (UTF-8 with byte-order mark)", "csv", CSV_TYPE, write_csv_excel),
    "xlsx": Format(
        "xlsx",
        "Excel workbook (.xlsx)",
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        write_xlsx,
    ),
    "jsonl": Format("jsonl", "JSON Lines", "jsonl", "application/x-ndjson; charset=utf-8", write_jsonl),
}
