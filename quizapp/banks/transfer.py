"""Importing files (YAML, GIFT, Aiken, Moodle XML) into one chosen bank (exporting a bank is `banks/exporting.py`).

Every problem is collected before anything is written. A GIFT/Aiken import adds the valid questions
and reports each malformed one in `refused` with its line and reason (as Moodle does; Moodle XML too); with
`strict=True`, and for YAML bank files, an import is all or nothing. The caller rolls back when
`ImportRefused` is raised (and after a dry run). GIFT/Aiken drafts get new keys
`<prefix>-NNN`; a draft whose content (without its key) matches a live question of the bank is
reported unchanged instead, so importing the same file twice creates nothing the second time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from quizapp import audit
from quizapp.authoring import media
from quizapp.banks import filestate, holdings, sync
from quizapp.banks.formats import drafts, yamlfile
from quizapp.banks.formats.file_errors import BankFileError, FileError, capped, total
from quizapp.banks.formats.registry import FORMATS, IMPORTS
from quizapp.banks.schema import Bank as BankSpec
from quizapp.banks.schema import Question as QuestionSpec
from quizapp.errors import DomainError
from quizapp.extensions import db
from quizapp.models import Bank, Question, User

KINDS = ("created", "updated", "unchanged", "skipped")
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


@dataclass(frozen=True)
class Source:
    """One file's text and the name to show in messages (never used as a path)."""

    name: str
    text: str


@dataclass
class BankImport:
    """What an import into one bank did, or would do in a dry run, and every reason it cannot."""

    bank: str
    format: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    refused: list[FileError] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """Return one line with the counts (refused questions only when there are some)."""
        counts = [f"{len(getattr(self, kind))} {kind}" for kind in KINDS]
        return ", ".join(counts + ([f"{self.refused_total} refused"] if self.refused else []))

    @property
    def refused_total(self) -> int:
        """Count the refused questions, including those left out of the (capped) list."""
        return total(self.refused)

    @property
    def error_total(self) -> int:
        """Count the errors, including those left out of the (capped) list."""
        return total(self.errors)


class ImportRefused(DomainError):
    """The files have errors; nothing may be imported. Carries the full report."""

    def __init__(self, report: BankImport):
        """Keep the report for the caller to show."""
        super().__init__(f"{report.error_total} error(s); nothing was imported.")
        self.report = report


def decode(raw: bytes, name: str, limit: int) -> str:
    """Return the bytes as text (UTF-8, or UTF-16 with its byte order mark), refusing anything else with a reason."""
    # Windows Notepad saves "Unicode" as UTF-16 LE with a byte order mark; "Unicode big endian" as UTF-16 BE.
    bom, encoding = next(((bom, enc) for bom, enc in _BOMS if raw.startswith(bom)), (b"", "utf-8"))
    label = "UTF-16" if encoding.startswith("utf-16") else "UTF-8"
    problem = None
    if len(raw) > limit:
        problem = f"the file is larger than {limit // 1024} KB"
    elif label == "UTF-8" and b"\x00" in raw:
        problem = "this is a binary file, not a text file"
    else:
        try:
            text = raw[len(bom) :].decode(encoding)
        except UnicodeDecodeError as exc:
            problem = f"the file is not {label} text (byte {exc.start + len(bom)}); save it as UTF-8 and try again"
        else:
            if "\x00" in text:
                problem = "this is a binary file, not a text file"
            elif not text.strip():
                problem = "the file is empty"
    if problem is None:
        return text
    raise BankFileError([FileError(name, problem)])


def read_sources(paths: Iterable[str | Path], limit: int = yamlfile.MAX_FILE_BYTES) -> list[Source]:
    """Read files for import, raising one error that lists every unreadable file."""
    sources, errors = [], []
    for path in map(Path, paths):
        try:
            sources.append(Source(str(path), decode(path.read_bytes(), str(path), limit)))
        except BankFileError as exc:
            errors.extend(exc.errors)
        except OSError as exc:
            errors.append(FileError(str(path), f"cannot read: {exc.strerror}"))
    if errors:
        raise BankFileError(errors)
    return sources


def find_bank(slug: str) -> Bank | None:
    """Return the bank with this slug, if any."""
    return db.session.scalars(select(Bank).where(Bank.slug == slug)).one_or_none()


def import_sources(
    bank: Bank,
    fmt: str,
    sources: list[Source],
    actor: User | None = None,
    strict: bool = False,
    progress: Callable[[float], None] = lambda _fraction: None,
) -> BankImport:
    """Import files into `bank` (flushes; records an audit event); raises ImportRefused on any file error.

    A malformed GIFT/Aiken question is reported in `refused` and the others are imported, unless `strict`
    (all or nothing) or no question of the files is valid. `progress` hears the fraction of questions done (jobs).
    """
    report = BankImport(bank=bank.slug, format=fmt)
    try:
        if FORMATS[fmt].parse:
            _import_drafts(bank, fmt, sources, report, strict, actor, progress)
        else:
            _import_bank_file(bank, fmt, sources, report, progress)
    except IntegrityError:  # two imports gave out the same new key at once; the caller rolls back
        report.errors.append(FileError(bank.slug, "another import changed this bank at the same time; try again"))
    report.refused = capped(report.refused)
    if report.errors:
        report.errors = capped(report.errors)
        raise ImportRefused(report)
    counts = {kind: len(getattr(report, kind)) for kind in KINDS}
    files = [s.name for s in sources]
    audit.record(actor, "import", f"bank:{bank.slug}", format=fmt, files=files, refused=report.refused_total, **counts)
    return report


def _import_bank_file(
    bank: Bank, fmt: str, sources: list[Source], report: BankImport, progress: Callable[[float], None]
) -> None:
    """Import one whole bank file whose `bank:` is this bank (same rules as `flask banks import`)."""
    if len(sources) != 1:
        report.errors.append(FileError(bank.slug, "import one YAML bank file at a time"))
        return
    source = sources[0]
    try:
        spec = yamlfile.parse(source.text, source.name)
    except BankFileError as exc:
        report.errors.extend(exc.errors)
        return
    if not isinstance(spec, BankSpec) or spec.bank != bank.slug:
        found = f"bank {spec.bank!r}" if isinstance(spec, BankSpec) else "not a bank file (quizapp-bank/1)"
        report.errors.append(FileError(source.name, f"this file is {found}; this page imports into {bank.slug!r}"))
    else:
        done = sync.ImportReport()
        try:
            sync.import_bank(spec, done, mode=filestate.REPLACE, progress=progress)
        except BankFileError as exc:
            report.errors.extend(exc.errors)
        report.created, report.updated, report.unchanged = done.created, done.updated, done.unchanged
        report.notes.extend(done.notes)
        created = set(done.created)
        _note_missing_rationale([q for q in spec.questions if f"question {q.key}" in created], report)


def _import_drafts(
    bank: Bank,
    fmt: str,
    sources: list[Source],
    report: BankImport,
    strict: bool,
    actor: User | None,
    progress: Callable[[float], None],
) -> None:
    """Parse GIFT/Aiken files, store inline images, key new drafts, add the valid ones (all or nothing if strict)."""
    existing, seen, keys = holdings.live_digests(bank), {}, holdings.new_keys(bank)
    new: list[QuestionSpec] = []
    for number, source in enumerate(sources):
        result = FORMATS[fmt].parse(source.text)
        name = source.name if len(sources) > 1 else None
        report.refused.extend(FileError(source.name, e.message, e.line) for e in result.errors)
        report.skipped.extend(f"{_where(name, s.line, s.title)}: {s.reason}" for s in result.skipped)
        report.notes.extend(f"{name}: {note}" if name else note for note in result.notes)
        if not (result.drafts or result.skipped or result.errors):
            report.errors.append(FileError(source.name, f"no {IMPORTS[fmt]} questions found in this file"))
        for done, draft in enumerate(result.drafts):
            progress((number + done / len(result.drafts)) / len(sources))
            where = _where(name, draft.line, draft.title)
            try:
                data = with_stored_images(draft, actor)
            except media.ImageRefused as exc:
                report.refused.append(FileError(source.name, f"an inline image is refused: {exc.message}", draft.line))
                continue
            try:
                draft = drafts.Draft(draft.line, draft.title, draft.category, drafts.with_category(draft, data))
                digest = holdings.content_digest(drafts.to_question(draft, drafts.CHECK_KEY))
                if digest in existing:
                    report.unchanged.append(f"{where}: same as {existing[digest]}")
                    continue
                spec = drafts.to_question(draft, next(keys))
            except ValidationError as exc:
                report.refused.append(FileError(source.name, drafts.describe(exc), draft.line))
                continue
            if digest in seen:
                report.notes.append(f"{where} repeats the question at {seen[digest]}")
            seen.setdefault(digest, where)
            new.append(spec)
            report.created.append(f"question {spec.key} ({where})")
    if report.refused and (strict or not (new or report.unchanged or report.skipped)):
        report.errors.extend(report.refused)
        report.refused = []
    if not report.errors:
        _add_questions(bank, new, f"imported from {IMPORTS[fmt]}")
    _note_missing_rationale(new, report)


def store_inline_images(images: Iterable[drafts.InlineImage], actor: User | None) -> dict[str, str]:
    """Store images lifted from imported text as uploads are (checked, metadata dropped); map each ref to its URL."""
    return {image.ref: f"/media/{media.store(image.data, '', actor).filename}" for image in images}


def with_stored_images(draft: drafts.Draft, actor: User | None) -> dict:
    """Return a draft's data with its inline images stored and pointed at (media.ImageRefused if one is refused)."""
    return drafts.with_urls(draft.data, store_inline_images(draft.images, actor))


def _where(name: str | None, line: int, title: str | None) -> str:
    """Return `line 12`, with the file name when several files are imported and the title when there is one."""
    place = f"{name}: line {line}" if name else f"line {line}"
    return f'{place} "{title}"' if title else place


def _add_questions(bank: Bank, specs: list[QuestionSpec], note: str) -> None:
    """Append new questions after the bank's last position, each with its first version; one flush for all."""
    position = db.session.scalar(select(func.max(Question.position)).where(Question.bank_id == bank.id))
    start = -1 if position is None else position
    for offset, spec in enumerate(specs, start=1):
        question = Question(bank=bank, key=spec.key, position=start + offset, status="draft")
        db.session.add(question)
        sync.stage_version(question, spec, "", None, note)
    db.session.flush()


def _note_missing_rationale(specs: list[QuestionSpec], report: BankImport) -> None:
    """Say how many imported questions still need a rationale (Moodle files have none)."""
    missing = sum(1 for q in specs if not q.explanation)
    if missing:
        verb = "question has" if missing == 1 else "questions have"
        report.notes.append(f"{missing} {verb} no rationale yet; add one in the question editor.")
