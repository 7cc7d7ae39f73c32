"""`flask banks ...`: validate and import question-bank and quiz files."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from quizapp.bank.errors import BankFileError
from quizapp.extensions import db
from quizapp.services import banks

group = AppGroup("banks", help="Validate and import question banks and quiz definitions.")


def _echo_errors(exc: BankFileError) -> None:
    """Print every error, one per line, to stderr."""
    for error in exc.errors:
        click.echo(f"error: {error}", err=True)
    click.echo(f"{len(exc.errors)} error(s); nothing was imported.", err=True)


@group.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
def validate(paths: tuple[str, ...]) -> None:
    """Check bank, quiz and track files (or folders of *.yaml) and list every error."""
    try:
        files = banks.load(paths)
    except BankFileError as exc:
        _echo_errors(exc)
        raise SystemExit(1) from None
    for name, spec in files.banks:
        click.echo(f"ok: {name}: bank {spec.bank}, {len(spec.questions)} questions")
    for name, spec in files.quizzes:
        click.echo(f"ok: {name}: {len(spec.quizzes)} quizzes")
    for name, _ in files.others:
        click.echo(f"ok: {name}")


@group.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--dry-run", is_flag=True, help="Show what would change and change nothing.")
def import_(paths: tuple[str, ...], dry_run: bool) -> None:
    """Import banks and quizzes (all or nothing); unchanged questions get no new version."""
    try:
        report = banks.import_files(banks.load(paths))
    except BankFileError as exc:
        db.session.rollback()
        _echo_errors(exc)
        raise SystemExit(1) from None
    for kind in ("created", "updated"):
        for label in getattr(report, kind):
            click.echo(f"{kind}: {label}")
    for note in report.notes:
        click.echo(f"note: {note}")
    if dry_run:
        db.session.rollback()
        click.echo(f"dry run: {report.summary()}; nothing was changed.")
    else:
        db.session.commit()
        click.echo(report.summary())
