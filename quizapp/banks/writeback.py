"""`flask banks export --into questions`: write the live banks back into the folder of bank files.

Each bank goes to the file that defines it (a new bank to `<slug>.yaml`), drafts with `status: draft` and
retired questions with `retired: true`, so export then import changes nothing. Only the questions that differ
are written into the file's text (`yamlsplice`), so `git diff` shows the browser's changes; a file that cannot
take them that way is rewritten whole, and says why. The written questions count as in step with their file,
which is what lets the next import tell a later file edit from a browser edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from quizapp import audit
from quizapp.banks import filestate, sync
from quizapp.banks.formats import drafts, yamldump, yamlfile, yamlsplice
from quizapp.banks.schema import Bank as BankSpec
from quizapp.errors import DomainError
from quizapp.extensions import db
from quizapp.models import Bank, Question, User


class WriteBackError(DomainError):
    """A bank cannot be written back (unknown slug, or stored content that does not make a valid file)."""


@dataclass(frozen=True)
class BankFile:
    """One bank file to write: where, its text (None: left as it is), the questions it holds, and how it was made."""

    path: Path
    slug: str
    text: str | None
    questions: list[Question]
    how: str = ""


def plan(folder: Path, slugs: tuple[str, ...] = ()) -> list[BankFile]:
    """Return the files to write for every live bank (or only `slugs`); reads the folder, writes nothing."""
    files = {spec.bank: (Path(name), spec) for name, spec in sync.load([folder]).banks}
    stmt = select(Bank).where(Bank.retired.is_(False)).order_by(Bank.slug)
    banks = list(db.session.scalars(stmt.where(Bank.slug.in_(slugs)) if slugs else stmt))
    unknown = sorted(set(slugs) - {b.slug for b in banks})
    if unknown:
        raise WriteBackError(f"there is no bank {', '.join(unknown)}.")
    return [_bank_file(bank, *files.get(bank.slug, (folder / f"{bank.slug}.yaml", None))) for bank in banks]


def _bank_file(bank: Bank, path: Path, held: BankSpec | None) -> BankFile:
    """Build one bank's file from its questions' current versions, in position order, retired ones included.

    A file that already holds exactly these questions keeps its text (comments and layout): `text` is None.
    Otherwise the questions that differ are written into its text, or, when that cannot be done, it is written whole.
    """
    questions = list(
        db.session.scalars(
            select(Question)
            .where(Question.bank_id == bank.id, Question.current_version_id.is_not(None))
            .order_by(Question.position, Question.id)
            .options(selectinload(Question.current_version))
        )
    )
    data = {"format": "quizapp-bank/1", "bank": bank.slug, "title": bank.title, "topic": bank.topic}
    data |= {"level": bank.level, "description": bank.description or "", "references": dict(bank.references or {})}
    data["questions"] = [sync.file_entry(q) for q in questions]
    try:
        spec = BankSpec.model_validate(data)
    except ValidationError as exc:
        raise WriteBackError(
            f"bank {bank.slug} cannot be written until this is fixed: {drafts.describe(exc)}"
        ) from None
    if spec == held:
        return BankFile(path, bank.slug, None, questions)
    if held is None:
        return BankFile(path, bank.slug, yamldump.dump_bank(spec), questions, "a new file")
    try:
        spliced = yamlsplice.splice(yamlfile.read_text(path), str(path), held, spec)
    except yamlsplice.CannotSplice as exc:
        return BankFile(path, bank.slug, yamldump.dump_bank(spec), questions, f"rewritten whole: {exc.reason}")
    return BankFile(path, bank.slug, spliced.text, questions, spliced.summary())


def write(files: list[BankFile], actor: User | None = None) -> None:
    """Write the files that differ (each replaced whole) and mark every file's questions in step (flushes; audited)."""
    for file in files:
        if file.text is not None:
            partial = file.path.with_name(file.path.name + ".partial")
            partial.write_text(file.text, encoding="utf-8", newline="")
            partial.replace(file.path)
        filestate.mark_synced(file.questions)
    audit.record(actor, "export.write_back", target=",".join(f.slug for f in files), files=[str(f.path) for f in files])
