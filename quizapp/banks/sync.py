"""Importing validated bank and quiz files into the database, idempotently."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from quizapp.banks import filestate
from quizapp.banks.formats import yamlfile
from quizapp.banks.formats.file_errors import BankFileError, FileError
from quizapp.banks.schema import Bank as BankSpec
from quizapp.banks.schema import Question as QuestionSpec
from quizapp.banks.schema import QuizSet
from quizapp.extensions import db
from quizapp.models import Bank, Question, QuestionVersion, Quiz
from quizapp.taking.drawing import pool


@dataclass
class FileSet:
    """Validated files, grouped by kind."""

    banks: list[tuple[str, BankSpec]] = field(default_factory=list)
    quizzes: list[tuple[str, QuizSet]] = field(default_factory=list)
    others: list[tuple[str, object]] = field(default_factory=list)


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do)."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    conflicts: list[tuple[str, str, str]] = field(default_factory=list)

    def summary(self) -> str:
        """Return one line with the counts."""
        counts = f"{len(self.created)} created, {len(self.updated)} updated, {len(self.unchanged)} unchanged"
        return counts + (f", {len(self.kept)} kept as changed in the browser" if self.kept else "")


def collect(paths: Iterable[str | Path]) -> list[Path]:
    """Expand directories into their *.yaml files, sorted, so imports are deterministic."""
    files: list[Path] = []
    for p in map(Path, paths):
        files.extend(sorted(p.glob("*.yaml")) if p.is_dir() else [p])
    return files


def load(paths: Iterable[str | Path]) -> FileSet:
    """Read and validate every file, raising one error that lists every problem in every file."""
    result, errors = FileSet(), []
    for path in collect(paths):
        try:
            model = yamlfile.read(path)
        except BankFileError as exc:
            errors.extend(exc.errors)
            continue
        bucket = (
            result.banks
            if isinstance(model, BankSpec)
            else result.quizzes
            if isinstance(model, QuizSet)
            else result.others
        )
        bucket.append((str(path), model))
    errors.extend(_cross_file_errors(result))
    if errors:
        raise BankFileError(errors)
    return result


def _cross_file_errors(files: FileSet) -> list[FileError]:
    """Bank slugs and question keys must be unique across all files."""
    errors, banks, keys = [], {}, {}
    for name, spec in files.banks:
        if spec.bank in banks:
            errors.append(FileError(name, f"bank {spec.bank!r} is also defined in {banks[spec.bank]}", field="bank"))
        banks[spec.bank] = name
        for q in spec.questions:
            if q.key in keys and keys[q.key] != name:
                errors.append(FileError(name, f"key is also used in {keys[q.key]}", key=q.key, field="key"))
            keys.setdefault(q.key, name)
    return errors


def content_hash(spec: QuestionSpec) -> str:
    """Return a stable hash of a question's content, to tell real changes from re-imports."""
    return _digest(spec.model_dump(mode="json"))


def _digest(content: dict) -> str:
    """Return the hash of a question's dumped content."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def import_files(files: FileSet, author_id: int | None = None, mode: str = filestate.STOP) -> ImportReport:
    """Import banks then quizzes (flushes); raises ImportConflict in STOP mode, BankFileError if quizzes cannot draw."""
    report = ImportReport()
    for _, spec in files.banks:
        import_bank(spec, report, author_id, mode)
    if report.conflicts:
        raise filestate.ImportConflict(report.conflicts)
    for name, quizset in files.quizzes:
        import_quizzes(name, quizset, report)
    return report


def import_bank(
    spec: BankSpec,
    report: ImportReport,
    author_id: int | None = None,
    mode: str = filestate.STOP,
    progress: Callable[[float], None] = lambda _fraction: None,
) -> Bank:
    """Create or update one bank and its questions (see `filestate.decide`); unchanged questions get no new version."""
    bank = db.session.execute(select(Bank).where(Bank.slug == spec.bank)).scalar_one_or_none()
    label = f"bank {spec.bank}"
    if bank is None:
        bank = Bank(slug=spec.bank)
        db.session.add(bank)
        report.created.append(label)
    attrs = {
        "title": spec.title,
        "topic": spec.topic,
        "level": spec.level,
        "description": spec.description,
        "references": dict(spec.references),
        "retired": False,
    }
    if bank.id is not None and any(getattr(bank, k) != v for k, v in attrs.items()):
        report.updated.append(label)
    elif bank.id is not None:
        report.unchanged.append(label)
    for k, v in attrs.items():
        setattr(bank, k, v)
    db.session.flush()
    existing = _questions_by_key(spec)
    for position, q in enumerate(spec.questions):
        progress(position / len(spec.questions))
        _import_question(bank, q, position, existing.get(q.key), spec.references, report, author_id, mode)
    db.session.flush()  # once per bank: one flush per question cost more than the rest of the import
    if mode != filestate.REPLACE:
        for key in filestate.not_in_file(bank, {q.key for q in spec.questions}):
            report.notes.append(
                f"{key} (bank {spec.bank}) is not in the file: it stays as it is; `flask banks export --into` "
                "writes it there, `retired: true` in the file retires it"
            )
    return bank


def _questions_by_key(spec: BankSpec) -> dict[str, Question]:
    """Load the bank's existing questions (any bank: keys are global) with their current versions."""
    keys = [q.key for q in spec.questions]
    rows = db.session.execute(
        select(Question).where(Question.key.in_(keys)).options(selectinload(Question.current_version))
    ).scalars()
    return {q.key: q for q in rows}


def _import_question(bank, spec, position, question, references, report, author_id, mode) -> None:
    """Create the question, or apply the file's entry, keep the browser's, or record a conflict."""
    label = f"question {spec.key}"
    if question is not None and question.bank_id != bank.id:
        raise BankFileError([FileError(bank.slug, "key already belongs to another bank", key=spec.key, field="key")])
    content = spec.model_dump(mode="json")
    digest = _digest(content)
    status = spec.status or "ready"
    entry = filestate.state_hash(digest, status, spec.retired)
    if question is None:
        question = Question(bank=bank, key=spec.key, position=position)
        db.session.add(question)
        report.created.append(label)
        outcome = filestate.TAKE
    else:
        question.position = position
        outcome = filestate.decide(entry, question, mode)
    if outcome == filestate.CONFLICT:
        report.conflicts.append((bank.slug, spec.key, entry))
        return
    if mode != filestate.REPLACE:
        question.file_hash, question.file_conflict = entry, None
    if outcome == filestate.SAME:
        report.unchanged.append(label)
    elif outcome == filestate.KEEP:
        report.kept.append(label)
    elif question.id is not None:
        _note_replaced(question, spec.key, digest, report)
        report.updated.append(label)
    if outcome == filestate.TAKE:
        if question.current_version is None or question.current_version.content_hash != digest:
            text = references.get(spec.reference or "", "")
            note = "uploaded in the browser" if mode == filestate.REPLACE else "imported from file"
            _new_version(question, spec, content, digest, text, author_id, note)
        question.status, question.retired = status, spec.retired


def _note_replaced(question: Question, key: str, digest: str, report: ImportReport) -> None:
    """Say so when the file's content replaces a version written in the browser (it stays in the history)."""
    current = question.current_version
    if current is not None and current.author_id is not None and current.content_hash != digest:
        report.notes.append(f"{key}: the file replaces browser edit v{current.number}; kept as history")


def file_entry(question: Question) -> dict:
    """Return a question as its bank file holds it: its current content, key, and status and retirement if set."""
    entry = {**question.current_version.content, "key": question.key}
    if question.status != "ready":
        entry["status"] = question.status
    if question.retired:
        entry["retired"] = True
    return entry


def add_version(
    question: Question, spec: QuestionSpec, reference_text: str, author_id: int | None, note: str
) -> QuestionVersion:
    """Append a new immutable version, make it current, and flush (the caller may need its id)."""
    version = stage_version(question, spec, reference_text, author_id, note)
    db.session.flush()
    return version


def stage_version(
    question: Question, spec: QuestionSpec, reference_text: str, author_id: int | None, note: str
) -> QuestionVersion:
    """Append a new immutable version and make it current, unflushed (imports flush once per bank)."""
    content = spec.model_dump(mode="json")
    return _new_version(question, spec, content, _digest(content), reference_text, author_id, note)


def _new_version(question, spec, content, digest, reference_text, author_id, note) -> QuestionVersion:
    """Add a new version with its dumped content and hash, and make it current (not flushed)."""
    number = (question.current_version.number + 1) if question.current_version else 1
    version = QuestionVersion(
        question=question,
        number=number,
        type=spec.type,
        content=content,
        reference_text=reference_text,
        points=spec.points,
        content_hash=digest,
        author_id=author_id,
        note=note,
    )
    db.session.add(version)
    question.current_version = version
    return version


def import_quizzes(filename: str, quizset: QuizSet, report: ImportReport) -> None:
    """Create or update quizzes, checking every draw rule can be met by the questions now in the database."""
    candidates, drafts = pool.candidates(), pool.candidates(status="draft")
    errors = [
        FileError(filename, msg, key=spec.slug, field="draw")
        for spec in quizset.quizzes
        for msg in pool.shortfalls(spec, candidates, drafts)
    ]
    if errors:
        raise BankFileError(errors)
    existing = {q.slug: q for q in db.session.execute(select(Quiz)).scalars()}
    for spec in quizset.quizzes:
        settings = spec.model_dump(mode="json")
        quiz = existing.get(spec.slug)
        label = f"quiz {spec.slug}"
        if quiz is None:
            db.session.add(Quiz(slug=spec.slug, title=spec.title, settings=settings, published=spec.published))
            report.created.append(label)
        elif quiz.settings == settings:
            report.unchanged.append(label)
        else:
            quiz.title, quiz.settings, quiz.published = spec.title, settings, spec.published
            report.updated.append(label)
    db.session.flush()
