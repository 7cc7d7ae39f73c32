"""The question types: one module per type, all registered in TYPES (name -> type), in the order menus list them."""

from __future__ import annotations

from quizapp.qtypes.base import QuestionType
from quizapp.qtypes.multiple import Multiple
from quizapp.qtypes.numeric import Numeric
from quizapp.qtypes.ordering import Ordering
from quizapp.qtypes.single import Single
from quizapp.qtypes.true_false import TrueFalse

TYPES: dict[str, QuestionType] = {t.name: t for t in (Single(), Multiple(), TrueFalse(), Ordering(), Numeric())}
DEFAULT = Single.name  # what a new question starts as


def get(name: str) -> QuestionType:
    """Return the registered type called `name` (KeyError for an unknown one)."""
    return TYPES[name]
