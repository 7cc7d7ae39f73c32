"""Shared reading of the shipped question banks for the content tests: paths, slugs and question walkers."""

from __future__ import annotations

from pathlib import Path

from quizapp.banks.schema import Bank, Question

PROJECT = Path(__file__).resolve().parents[2]
QUESTIONS = PROJECT / "questions"
BANK_FILES = ("airway-management.yaml", "team-cpr.yaml", "bag-valve-mask.yaml")
BANK_SLUGS = ("airway-management", "team-cpr", "bag-valve-mask")


def norm(text: str) -> str:
    """Collapse whitespace and fold case, for comparing texts."""
    return " ".join(text.split()).casefold()


def all_questions(shipped: dict[str, Bank]):
    """Yield (bank, question) over every shipped bank."""
    for bank in shipped.values():
        for q in bank.questions:
            yield bank, q


def wrong_choices(q: Question):
    """The incorrect options of a single or multiple question."""
    return [c for c in q.choices or [] if not c.correct]
