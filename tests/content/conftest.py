"""Fixtures for the content tests: the files in questions/ loaded as `flask banks validate` loads them."""

from __future__ import annotations

import pytest

from quizapp.banks import sync as bank_service
from quizapp.banks.schema import Bank, Question, QuizSet
from tests.content.support import QUESTIONS


@pytest.fixture(scope="module")
def fileset() -> bank_service.FileSet:
    """Every file in questions/, validated as `flask banks validate questions` does (cross-file checks included)."""
    return bank_service.load([QUESTIONS])


@pytest.fixture(scope="module")
def shipped(fileset) -> dict[str, Bank]:
    """The shipped banks by slug."""
    return {spec.bank: spec for _, spec in fileset.banks}


@pytest.fixture(scope="module")
def questions(shipped) -> dict[str, tuple[Bank, Question]]:
    """Every question by key, with its bank."""
    return {q.key: (bank, q) for bank in shipped.values() for q in bank.questions}


@pytest.fixture(scope="module")
def quizset(fileset) -> QuizSet:
    """The quizzes file."""
    assert len(fileset.quizzes) == 1, "questions/ should hold exactly one quizzes file"
    return fileset.quizzes[0][1]
