"""Which side changed a question since its file entry was last imported or exported: the file, the browser, both.

A question's *state* is its current content, its status and whether it is retired. `Question.file_hash` keeps
the state hash of the file entry last imported (or written by `banks export --into`). An import compares three
hashes: the file entry's, the question's state and the remembered one, and decides per question.
"""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import select, update

from quizapp.errors import DomainError
from quizapp.extensions import db
from quizapp.models import Bank, Question

STOP, TAKE_FILE, KEEP_BROWSER, REPLACE = "stop", "take-file", "keep-browser", "replace"
MODES = (STOP, TAKE_FILE, KEEP_BROWSER, REPLACE)

SAME, KEEP, TAKE, CONFLICT = "same", "keep", "take", "conflict"


class ImportConflict(DomainError):
    """Questions changed both in their file and in the browser: the import stops and changes nothing."""

    def __init__(self, conflicts: list[tuple[str, str, str]]):
        """Keep (bank slug, key, file entry hash) per question in conflict."""
        keys = ", ".join(key for _, key, _ in conflicts)
        super().__init__(f"file and browser both changed: {keys}; nothing was imported.")
        self.conflicts = conflicts


def state_hash(content_hash: str, status: str, retired: bool) -> str:
    """Return the hash of a question's state: its content hash, status and retirement (0008 has a frozen copy)."""
    state = {"content": content_hash, "retired": retired, "status": status}
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()


def question_state(question: Question) -> str | None:
    """Return the state hash of a question as it is now, or None when it has no version yet."""
    version = question.current_version
    return None if version is None else state_hash(version.content_hash, question.status, question.retired)


def decide(entry: str, question: Question, mode: str) -> str:
    """Return what an import does with one question: SAME, KEEP (the browser's), TAKE (the file's) or CONFLICT."""
    state = question_state(question)
    if entry == state:
        return SAME
    if mode == REPLACE:
        return TAKE
    if entry == question.file_hash:
        return KEEP  # only the browser changed it
    if state == question.file_hash or mode == TAKE_FILE:
        return TAKE
    return KEEP if mode == KEEP_BROWSER else CONFLICT


def record_conflicts(conflicts: list[tuple[str, str, str]]) -> None:
    """Mark the questions an import stopped on, so the bank pages show the conflict (flushes)."""
    for _, key, entry in conflicts:
        db.session.execute(update(Question).where(Question.key == key).values(file_conflict=entry))
    db.session.flush()


def mark_synced(questions: list[Question]) -> None:
    """Remember each question's current state as its file entry (after writing it to its file); flushes."""
    for question in questions:
        question.file_hash, question.file_conflict = question_state(question), None
    db.session.flush()


def not_in_file(bank: Bank, keys: set[str]) -> list[str]:
    """Return the keys of the bank's live questions that its file does not list (written in the browser)."""
    stmt = select(Question.key).where(Question.bank_id == bank.id, Question.retired.is_(False))
    return [key for key in db.session.scalars(stmt.order_by(Question.position, Question.id)) if key not in keys]
