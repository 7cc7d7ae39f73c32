"""`flask export attempts|responses`: the admin score export, from the command line; `flask export sweep`."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import click
from flask.cli import with_appcontext

from quizapp.errors import DomainError
from quizapp.exports import datasets, files
from quizapp.exports.formats import FORMATS
from quizapp.extensions import db

PROGRESS_STEP = 500


def _counted(rows: Iterable, bar) -> Iterator:
    """Pass rows through, moving the progress bar every few hundred."""
    done = 0
    for row in rows:
        yield row
        done += 1
        if done % PROGRESS_STEP == 0:
            bar.update(PROGRESS_STEP)
    bar.update(done % PROGRESS_STEP)


def _write(chunks: Iterable[bytes], output: str) -> None:
    """Write to standard output, or to FILE through a temporary name so a failed export leaves no partial file."""
    if output == "-":
        stream = sys.stdout.buffer
        for chunk in chunks:
            stream.write(chunk)
        stream.flush()
        return
    path = Path(output)
    partial = path.with_name(f".{path.name}.partial")
    try:
        with partial.open("wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
        os.replace(partial, path)
    except OSError as exc:
        raise click.ClickException(f"could not write {output}: {exc.strerror or exc}") from None
    finally:
        partial.unlink(missing_ok=True)


OPTIONS = (
    click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "jsonl"]), default="csv", show_default=True),
    click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, writable=True, allow_dash=True),
        default="-",
        help="File to write (default: standard output).",
    ),
    click.option("--quiz", metavar="SLUG", help="Only attempts at this quiz."),
    click.option(
        "--since",
        type=click.DateTime(["%Y-%m-%d"]),
        metavar="DATE",
        help="Only attempts started on or after this UTC date.",
    ),
    click.option(
        "--until",
        type=click.DateTime(["%Y-%m-%d"]),
        metavar="DATE",
        help="Only attempts started on or before this UTC date.",
    ),
    click.option(
        "--status",
        type=click.Choice(datasets.STATUSES),
        default="submitted",
        show_default=True,
        help="submitted: finished attempts (submitted, or scored when time ran out); all: in-progress ones too.",
    ),
    click.option("--excel", is_flag=True, help="CSV only: start with a UTF-8 byte-order mark so Excel reads accents."),
)
HELP = (
    "Text that a spreadsheet would run as a formula is prefixed with an apostrophe in CSV and XLSX. Every export is "
    "recorded in the audit log with its filters and row count."
)


def export_options(command):
    """Add the export's format, output and filter options to a command (in the order --help lists them)."""
    for option in reversed(OPTIONS):
        command = option(command)
    return command


@click.group("export")
def group() -> None:
    """Score exports: attempts or responses to a file or standard output; the clean-up of expired export files."""


def run(dataset, fmt, output, quiz, since, until, status, excel) -> None:
    """Write one export to a file or standard output, audited, with a progress bar on standard error."""
    if excel and fmt != "csv":
        raise click.UsageError("--excel applies to --format csv only")
    if since and until and until < since:
        raise click.UsageError("--until is before --since")
    if fmt == "xlsx" and output == "-" and sys.stdout.isatty():
        raise click.UsageError("an XLSX workbook is binary: give -o FILE or redirect standard output")
    file_format = FORMATS["csv-excel" if excel else fmt]
    filters = datasets.Filters(quiz or None, since.date() if since else None, until.date() if until else None, status)
    try:
        export = datasets.prepare(dataset, filters)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    datasets.log(export, None, file_format.name, source="cli")
    db.session.commit()
    label = f"exporting {export.total} {dataset}"
    with click.progressbar(length=export.total, label=label, file=sys.stderr) as bar:
        _write(file_format.write(export.columns, _counted(export.rows, bar), dataset), output)
    if output != "-":
        click.echo(f"wrote {export.total} {dataset} to {output}", err=True)


def dataset_command(dataset: str, what: str) -> None:
    """Add `flask export DATASET` with the export options to the group."""

    @group.command(dataset, help=f"Export {what}.\n\n{HELP}")
    @export_options
    @with_appcontext
    def command(**options) -> None:
        """Run the export of this dataset."""
        run(dataset, **options)


dataset_command("attempts", "attempts (one row per attempt)")
dataset_command("responses", "responses (one row per answered question)")


@group.command("sweep")
@with_appcontext
def sweep() -> None:
    """Delete the export files (made by background jobs for the admin page) whose download link has expired."""
    click.echo(f"deleted {files.sweep()} expired export file(s)")
