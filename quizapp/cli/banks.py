"""`flask banks ...`: validate, import and export question-bank and quiz files."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from quizapp.banks import exporting, filestate, newbanks, sync, transfer, writeback
from quizapp.banks.formats import registry
from quizapp.banks.formats.file_errors import BankFileError, total
from quizapp.errors import DomainError
from quizapp.extensions import db

CONFLICT_EXIT = 3
group = AppGroup("banks", help="Validate, import and export question banks and quiz definitions.")


def _echo_errors(exc: BankFileError) -> None:
    """Print every error, one per line, to stderr."""
    for error in exc.errors:
        click.echo(f"error: {error}", err=True)
    click.echo(f"{total(exc.errors)} error(s); nothing was imported.", err=True)


@group.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
def validate(paths: tuple[str, ...]) -> None:
    """Check bank, quiz and track files (or folders of *.yaml) and list every error."""
    try:
        files = sync.load(paths)
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
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(registry.IMPORTS)),
    default="yaml",
    show_default=True,
    help="yaml: whole bank and quiz files; gift, aiken or xml (Moodle XML): questions added to the --bank.",
)
@click.option(
    "--bank",
    "bank_slug",
    metavar="SLUG",
    help="gift/aiken/xml: the bank to import into (gift, xml: by default the last part of the file's category).",
)
@click.option("--create", is_flag=True, help="gift/aiken/xml: create the bank if it does not exist (level: --level).")
@click.option(
    "--level",
    type=click.Choice(["lay", "provider"]),
    default="provider",
    show_default=True,
    help="The level of a bank made by --create.",
)
@click.option("--dry-run", is_flag=True, help="Show what would change and change nothing.")
@click.option(
    "--strict", is_flag=True, help="gift/aiken/xml: import nothing if any question is malformed (all or nothing)."
)
@click.option(
    "--take-file",
    "mode",
    flag_value=filestate.TAKE_FILE,
    help="Where file and browser both changed a question: the file wins.",
)
@click.option(
    "--keep-browser",
    "mode",
    flag_value=filestate.KEEP_BROWSER,
    help="Where file and browser both changed a question: the browser's version stays.",
)
def import_(
    paths: tuple[str, ...],
    fmt: str,
    bank_slug: str | None,
    create: bool,
    level: str,
    dry_run: bool,
    strict: bool,
    mode: str | None,
) -> None:
    """Import banks and quizzes, or GIFT/Aiken/Moodle XML questions into one bank (bad ones refused; --strict: all)."""
    if fmt == "yaml" and bank_slug is None:
        _import_yaml_files(paths, dry_run, mode or filestate.STOP)
        return
    if mode is not None:
        raise click.UsageError(
            "--take-file and --keep-browser apply to bank files (questions/), not to --bank imports."
        )
    try:
        sources = transfer.read_sources(paths)
        bank = _target_bank(fmt, sources, bank_slug, create, level)
        report = transfer.import_sources(bank, fmt, sources, strict=strict)
    except BankFileError as exc:
        _echo_errors(exc)
        raise SystemExit(1) from None
    except transfer.ImportRefused as exc:
        db.session.rollback()
        _echo_report(exc.report, show_unchanged=True)
        _echo_errors(BankFileError(exc.report.errors))
        raise SystemExit(1) from None
    _echo_report(report, show_unchanged=dry_run)
    _finish(report.summary(), dry_run)


def _target_bank(fmt: str, sources: list[transfer.Source], slug: str | None, create: bool, level: str):
    """Return the bank named by --bank or by the files' $CATEGORY, made with --create (flushed, not committed)."""
    title = slug
    if slug is None:
        if fmt not in ("gift", "xml"):
            raise click.UsageError(f"--bank SLUG is required with --format {fmt}: name the bank to import into.")
        try:
            slug, title = newbanks.category_bank(fmt, sources)
        except DomainError as exc:
            raise click.UsageError(exc.message) from None
        click.echo(f"bank: {slug} (from the category {title!r})")
    bank = transfer.find_bank(slug)
    if bank is not None:
        return bank
    if not create:
        raise click.ClickException(
            f"there is no bank {slug!r}; add --create to create it, or create it with flask banks create {slug}."
        )
    try:
        bank = newbanks.create_bank(slug, title, slug, level)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"created: bank {slug} ({title!r}, topic {slug}, level {level})")
    return bank


@group.command("create")
@click.argument("slug")
@click.option("--title", required=True, help="The bank's title, as learners and instructors see it.")
@click.option("--topic", required=True, metavar="SLUG", help="The topic slug quizzes and the catalogue group by.")
@click.option("--level", type=click.Choice(["lay", "provider"]), required=True, help="Who the bank is written for.")
def create(slug: str, title: str, topic: str, level: str) -> None:
    """Create an empty bank SLUG to import GIFT or Aiken questions into (or to write questions in the browser)."""
    try:
        newbanks.create_bank(slug, title, topic, level)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    db.session.commit()
    click.echo(f"created: bank {slug} ({title!r}, topic {topic}, level {level})")


def _import_yaml_files(paths: tuple[str, ...], dry_run: bool, mode: str) -> None:
    """Import whole bank and quiz files; stop with exit code 3 when file and browser both changed a question."""
    try:
        report = sync.import_files(sync.load(paths), mode=mode)
    except BankFileError as exc:
        db.session.rollback()
        _echo_errors(exc)
        raise SystemExit(1) from None
    except filestate.ImportConflict as exc:
        db.session.rollback()
        _echo_conflict(exc, paths, dry_run)
        raise SystemExit(CONFLICT_EXIT) from None
    kinds = ("created", "updated", "unchanged", "kept") if dry_run else ("created", "updated", "kept")
    for kind in kinds:
        for label in getattr(report, kind):
            click.echo(f"{kind}: {label}")
    for note in report.notes:
        click.echo(f"note: {note}")
    _finish(report.summary(), dry_run)


def _echo_conflict(exc: filestate.ImportConflict, paths: tuple[str, ...], dry_run: bool) -> None:
    """List the questions changed on both sides, say how to resolve, and (unless a dry run) flag them in the browser."""
    for slug, key, _ in exc.conflicts:
        click.echo(
            f"conflict: {key} (bank {slug}): changed in its file and in the browser since the last import", err=True
        )
    where = " ".join(paths)
    click.echo(
        f"{len(exc.conflicts)} question(s) changed on both sides; nothing was imported. Resolve with one of:\n"
        f"  flask banks export --into FOLDER   write the browser versions into the files, merge in git, import\n"
        f"  flask banks import {where} --take-file      the file wins (the browser edit stays in the history)\n"
        f"  flask banks import {where} --keep-browser   the browser version stays until the file changes again\n"
        "(as `flask --app wsgi ...`, or `python3 dev.py flask ...` on a development machine)",
        err=True,
    )
    if not dry_run:
        filestate.record_conflicts(exc.conflicts)
        db.session.commit()


def _echo_report(report: transfer.BankImport, show_unchanged: bool) -> None:
    """Print what an import into one bank did (or would do), skipped questions and notes."""
    kinds = ("created", "updated", "unchanged", "skipped") if show_unchanged else ("created", "updated", "skipped")
    for kind in kinds:
        for label in getattr(report, kind):
            click.echo(f"{kind}: {label}")
    for note in report.notes:
        click.echo(f"note: {note}")
    for error in report.refused:
        click.echo(f"refused: {error}", err=True)


def _finish(summary: str, dry_run: bool) -> None:
    """Commit, or roll back a dry run, and print the counts."""
    if dry_run:
        db.session.rollback()
        click.echo(f"dry run: {summary}; nothing was changed.")
    else:
        db.session.commit()
        click.echo(summary)


@group.command("export")
@click.argument("slug", required=False)
@click.option("--format", "fmt", type=click.Choice(registry.EXPORTS), default="yaml", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE, not stdout.")
@click.option(
    "--into",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Write every bank (or SLUG) back into its file in this folder (e.g. questions), drafts and retired included.",
)
def export(slug: str | None, fmt: str, output: Path | None, into: Path | None) -> None:
    """Write bank SLUG as a quizapp YAML bank file, Moodle GIFT or Moodle XML, or every bank into a folder (--into)."""
    if into is not None:
        _write_back(into, slug, fmt, output)
        return
    if slug is None:
        raise click.UsageError("name the bank to export (SLUG), or give --into FOLDER to write every bank back.")
    bank = transfer.find_bank(slug)
    if bank is None:
        raise click.ClickException(f"there is no bank {slug!r}.")
    try:
        result = exporting.export_bank(bank, fmt)
    except exporting.ExportError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    db.session.commit()
    for key in result.skipped:
        click.echo(f"skipped: {key}: its question type cannot be written as {registry.FORMATS[fmt].label}", err=True)
    if output is None:
        click.echo(result.text, nl=False)
        return
    try:
        output.write_text(result.text, encoding="utf-8", newline="")
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc.strerror}") from None
    click.echo(f"wrote {output}: bank {slug}, {fmt}", err=True)


def _write_back(folder: Path, slug: str | None, fmt: str, output: Path | None) -> None:
    """Write the live banks into their files in `folder` and mark them in step with the files."""
    if fmt != "yaml" or output is not None:
        raise click.UsageError("--into writes YAML bank files in place: leave out --format and --output.")
    try:
        files = writeback.plan(folder, (slug,) if slug else ())
        writeback.write(files)
    except BankFileError as exc:
        _echo_errors(exc)
        raise SystemExit(1) from None
    except writeback.WriteBackError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    except OSError as exc:
        db.session.rollback()
        raise click.ClickException(f"cannot write {exc.filename}: {exc.strerror}") from None
    db.session.commit()
    for file in files:
        what = f"{file.path}: bank {file.slug}, {len(file.questions)} questions"
        click.echo(f"wrote {what}; {file.how}" if file.text is not None else f"up to date, left as it is: {what}")
