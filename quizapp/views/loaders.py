"""The one way each aggregate is loaded by the views: the record, or a 404."""

from __future__ import annotations

from flask import abort

from quizapp.authoring import editing, quiz_builder
from quizapp.banks import transfer
from quizapp.models import Bank, Question, QuestionVersion, Quiz


def quiz_or_404(slug: str, published_only: bool = False) -> Quiz:
    """Load a quiz by slug (only a published one when asked), or answer 404."""
    quiz = quiz_builder.find(slug)
    if quiz is None or (published_only and not quiz.published):
        abort(404)
    return quiz


def bank_or_404(slug: str) -> Bank:
    """Load a bank by slug, or answer 404."""
    bank = transfer.find_bank(slug)
    if bank is None:
        abort(404)
    return bank


def question_or_404(key: str) -> Question:
    """Load a question that has a current version by key, or answer 404."""
    question = editing.find_question(key)
    if question is None:
        abort(404)
    return question


def version_or_404(question: Question, number: int | None) -> QuestionVersion:
    """Return version `number` of a question (the current one when None), or answer 404."""
    version = editing.find_version(question, number)
    if version is None:
        abort(404)
    return version
