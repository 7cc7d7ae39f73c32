"""Put in order: items listed in the correct order, shown shuffled; the learner gives each a position."""

from __future__ import annotations

import random
from fractions import Fraction
from typing import TYPE_CHECKING

from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from quizapp.qtypes.base import BLANK, AnswerError
from quizapp.qtypes.choice import ChoiceType
from quizapp.textfmt import markdown_inline

if TYPE_CHECKING:
    from quizapp.banks.schema import Question


class Ordering(ChoiceType):
    """The items' listed order is the key; all or nothing by default, or credit per item in its place."""

    name = "ordering"
    label = "Put in order"
    short_label = "Ordering"
    interaction = "sequencing"
    editor_hint = "List the items in their correct order; learners see them shuffled."
    ordered = True
    noun = "item"
    default_scoring = "all_or_nothing"
    default_rows = 3

    def check(self, q: Question) -> None:
        """Items listed in the correct order, none marked correct."""
        if any(c.correct for c in self.need_choices(q)):
            raise ValueError("ordering items are listed in the correct order; do not mark any correct")

    def normalise(self, q: Question, answer: dict) -> dict:
        """Return {"order": item indexes, first to last}, each item once."""
        order = [int(i) for i in answer["order"]]
        if sorted(order) != list(range(len(q.choices or []))):
            raise AnswerError("Give each item a different position.")
        return {"order": order}

    def fraction(self, q: Question, answer: dict) -> Fraction:
        """All or nothing by default; partial gives credit per item in its correct position."""
        order = answer["order"]
        in_place = sum(1 for position, item in enumerate(order) if position == item)
        if q.effective_scoring == "partial":
            return Fraction(in_place, len(order))
        return Fraction(int(in_place == len(order)))

    def answer_text(self, q: Question, answer: dict) -> str:
        """Return the items in the learner's order."""
        return " > ".join(q.choices[i].text for i in answer["order"])

    def key_text(self, q: Question) -> str:
        """Return the items in the correct order."""
        return " > ".join(c.text for c in q.choices)

    def picked_feedback(self, q: Question, answer: dict) -> list[str]:
        """An order has no picked feedback: the review compares it with the key."""
        return []

    def answer_fields(self, q: Question, order: list[int] | None) -> dict:
        """Return one position select per item, labelled with the item's text (works without JavaScript)."""
        positions = [SelectChoice("", "Choose a position")] + [
            SelectChoice(str(p + 1), f"Position {p + 1}") for p in range(len(order))
        ]
        return {
            f"item_{pos}": SelectField(markdown_inline(q.choices[i].text), choices=positions, validators=[Optional()])
            for pos, i in enumerate(order)
        }

    def answer_form_data(self, q: Question, order: list[int] | None, answer: dict) -> dict:
        """Select each item's saved position."""
        return {f"item_{order.index(item)}": str(rank + 1) for rank, item in enumerate(answer["order"])}

    def answer_from_form(self, q: Question, order: list[int] | None, form) -> dict | None:
        """Build the learner's order from the position selects; all blank means unanswered."""
        ranks = [form[f"item_{pos}"].data for pos in range(len(order))]
        if all(r in BLANK for r in ranks):
            return None
        if any(r in BLANK for r in ranks) or sorted(ranks, key=int) != [str(p + 1) for p in range(len(order))]:
            raise AnswerError(f"Give each item a different position, from 1 to {len(order)}.")
        learner = [None] * len(order)
        for pos, rank in enumerate(ranks):
            learner[int(rank) - 1] = order[pos]
        return {"order": learner}

    def author_data(self, form, current: Question | None) -> tuple[dict, list[int]]:
        """Return the items (no correct marks), keeping the current version's item feedback (not edited here)."""
        data, rows = super().author_data(form, current)
        if current is not None and current.type == self.name:
            kept = {c.text: c.feedback for c in current.choices}
            for choice in data["choices"]:
                choice["feedback"] = kept.get(choice["text"])
        return data, rows

    def simulated_answer(self, q: Question, rng: random.Random, right: bool, lures: list[float]) -> dict:
        """Give the correct order, or swap two neighbours."""
        order = list(range(len(q.choices)))
        if not right:
            i = rng.randrange(len(order) - 1)
            order[i], order[i + 1] = order[i + 1], order[i]
        return {"order": order}
