"""What the types with a list of choices (or items) share: the schema rule, the shown order, the authoring rows."""

from __future__ import annotations

import random
from collections.abc import Callable
from fractions import Fraction
from typing import TYPE_CHECKING

from wtforms.fields.choices import SelectChoice

from quizapp.qtypes.base import AnswerError, QuestionType, form_optional, form_text
from quizapp.textfmt import markdown_inline

if TYPE_CHECKING:
    from quizapp.banks.schema import Question
    from quizapp.qtypes.shapes import Choice

MAX_CHOICES = 12


def percent(weight: float) -> Fraction:
    """Return a weight in percent as an exact share (33.33333 -> 3333333/10000000)."""
    return Fraction(str(weight)) / 100


def clamp(share: Fraction) -> Fraction:
    """Return a share of the points kept between 0 and 1 (a question never earns less than nothing)."""
    return min(Fraction(1), max(Fraction(0), share))


def weights(q: Question) -> list[float] | None:
    """Return each choice's weight in percent (0 where left out), or None when no choice has one."""
    choices = q.choices or []
    if all(c.weight is None for c in choices):
        return None
    return [0.0 if c.weight is None else c.weight for c in choices]


class ChoiceType(QuestionType):
    """A question whose content is a list of choices or items, with no `answer`."""

    choices = True
    default_rows = 4
    editor_hint: str  # the authoring form's hint above the rows
    weight_hint = ""  # the hint above rows that carry weights (for the types that take them)

    @property
    def editor(self) -> str:
        """Every choice type is written in the same rows of choices."""
        return "questions/editors/choices.html"

    def need_choices(self, q: Question, minimum: int = 2) -> list[Choice]:
        """Return the choices, raising when there are too few or too many, repeated, or answer is given."""
        if not q.choices or len(q.choices) < minimum:
            raise ValueError(f"a {q.type} question needs at least {minimum} choices")
        if len(q.choices) > MAX_CHOICES:
            raise ValueError(f"a question may have at most {MAX_CHOICES} choices")
        if q.answer is not None:
            raise ValueError(f"a {q.type} question takes its key from choices, not answer")
        # Exact (texts are already stripped): GB and Gb are different answers, as in Moodle.
        texts = [c.text for c in q.choices]
        if len(set(texts)) != len(texts):
            raise ValueError("choices must not repeat")
        if self.ordered and weights(q) is not None:
            raise ValueError(f"weights apply to choices, not to the items of an {q.type} question")
        return q.choices

    def need_weights(self, q: Question, credited: Callable[[float], bool]) -> list[float] | None:
        """Return the weights (None without any), making each choice's `correct` follow its weight.

        A choice whose `correct` is left out gets it from its weight; one that spells it out must agree.
        """
        found = weights(q)
        if found is None:
            return None
        for n, (choice, weight) in enumerate(zip(q.choices, found, strict=True), start=1):
            right = credited(weight)
            if "correct" not in choice.model_fields_set:
                choice.correct = right
            elif choice.correct != right:
                should = "be marked correct" if right else "not be marked correct"
                raise ValueError(f"choice {n} weighs {weight:g}%, so it must {should}")
        return found

    def check_index(self, index: int, q: Question) -> int:
        """Return a choice index, refusing one outside the question's choices."""
        if not 0 <= index < len(q.choices or []):
            raise AnswerError("That choice is not one of this question's options.")
        return index

    def shown_order(self, count: int, shuffle: bool, rng: random.Random) -> list[int] | None:
        """Return the choices' display order: shuffled when asked, and always for ordered items."""
        order = list(range(count))
        if self.ordered or shuffle:
            rng.shuffle(order)
        return order

    def labels(self, q: Question, order: list[int]) -> list[SelectChoice]:
        """Return the options: values are display positions, never the stored choice index."""
        return [SelectChoice(str(pos), markdown_inline(q.choices[i].text)) for pos, i in enumerate(order)]

    def position(self, value: str, order: list[int]) -> int:
        """Parse a display position, refusing anything that is not one of the shown options."""
        if not value.isdigit() or int(value) >= len(order):
            raise AnswerError("That choice is not one of this question's options.")
        return int(value)

    def picked_feedback(self, q: Question, answer: dict) -> list[str]:
        """Return the feedback of the picked choices."""
        return [q.choices[i].feedback for i in self.picks(answer) if q.choices[i].feedback]

    def diff_fields(self, q: Question) -> dict[str, str]:
        """Return each choice's text, correctness (unless the order is the key) and feedback."""
        out = {}
        noun = self.noun.capitalize()
        for n, choice in enumerate(q.choices or [], start=1):
            out[f"{noun} {n}"] = choice.text
            if not self.ordered:
                out[f"{noun} {n} correct"] = "yes" if choice.correct else "no"
            if choice.weight is not None:
                out[f"{noun} {n} weight"] = f"{choice.weight:g}%"
            out[f"{noun} {n} feedback"] = choice.feedback or ""
        return out

    def author_data(self, form, current: Question | None) -> tuple[dict, list[int]]:
        """Return the filled choice rows (blank rows are ignored) with their weights, the scoring and the shuffle."""
        choices, rows = [], []
        for row, entry in enumerate(form.choices):
            text, feedback = form_text(entry.text.data), form_optional(entry.feedback.data)
            correct = bool(entry.correct.data) and not self.ordered
            weight = None if self.ordered else entry.weight.data
            if self.ordered:
                feedback = None
            if text or feedback or correct or weight is not None:
                choice = {"text": text, "correct": correct, "feedback": feedback}
                if weight is not None:
                    choice["weight"] = weight
                choices.append(choice)
                rows.append(row)
        data = {"choices": choices, "scoring": self.scoring(form.scoring.data, current)}
        if not self.ordered:
            data["shuffle"] = bool(form.shuffle.data)
        return data, rows

    def scoring(self, chosen: str | None, current: Question | None) -> str | None:
        """Return the scoring to store: None for the type's default, unless the current version spells it out."""
        if self.default_scoring is None:
            return None
        chosen = chosen or self.default_scoring
        if current is not None and current.type == self.name and current.effective_scoring == chosen:
            return current.scoring
        return None if chosen == self.default_scoring else chosen


class PickType(ChoiceType):
    """A choice question whose learner picks choices: some are correct, each may carry feedback."""

    @property
    def partial(self) -> str:
        """Picked choices are shown as one list of options (radio buttons or checkboxes)."""
        return "questions/choices.html"

    def marked_options(self, q: Question, answer: dict | None, order: list[int] | None) -> list[tuple]:
        """Return each choice in the order shown, picked or not, its feedback when picked or correct, its weight."""
        picked = set() if answer is None else set(self.picks(answer))
        shown = order if order is not None else range(len(q.choices))
        credit = weights(q)
        marks = []
        for i in shown:
            choice = q.choices[i]
            note = choice.feedback if choice.feedback and (i in picked or choice.correct) else ""
            worth = "" if credit is None else f"{credit[i]:g}%"
            marks.append((choice.text, i in picked, choice.correct, note, worth))
        return marks

    def stat_options(self, content: dict) -> tuple[list[str], list[bool]]:
        """Return the stored choices' texts and correctness."""
        choices = content.get("choices") or []
        return [c["text"] for c in choices], [bool(c.get("correct")) for c in choices]

    def answer_text(self, q: Question, answer: dict) -> str:
        """Return the picked choices' texts."""
        return "; ".join(q.choices[i].text for i in self.picks(answer))

    def key_text(self, q: Question) -> str:
        """Return the correct choices' texts."""
        return "; ".join(c.text for c in q.choices if c.correct)
