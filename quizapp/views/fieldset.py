"""A choice question's fieldset as `_macros/question.html` render_question writes it, assembled without Jinja.

Only the case a learner's first view of a slot meets (unlocked, no feedback shown), for the types whose partial is
`questions/choices.html` (single, multiple answers, true/false). A new attempt's choice order is new, so that view
missed the per-order fieldset cache and ran the macro; here the order-independent parts are the version's own (the
stem and each choice's HTML, rendered once per worker by `textfmt`'s caches) and only their order is new. Every
other fieldset (ordering, numeric, a locked or checked answer) is the macro's. The output is byte for byte the
macro's (tests/taking/test_fieldset.py).
"""

from __future__ import annotations

from markupsafe import Markup, escape

from quizapp.banks.schema import Question
from quizapp.forms.shown import Shown
from quizapp.qtypes import TYPES
from quizapp.textfmt import markdown

CHOICES_PARTIAL = "questions/choices.html"
HEAD = (
    '\n  <fieldset class="question" aria-describedby="stem-{n}">\n    <legend class="question-legend">Question {n} of '
    '{total}</legend>\n    <div class="stem" id="stem-{n}">{stem}</div>\n    \n      <p class="hint" id="how-{n}">'
    '{hint}</p>\n      <ul class="choices" role="list">\n        '
)
ITEM = (
    '\n          \n          <li class="choice"><input aria-describedby="how-{n}"{checked} id="{id}" name="{name}" '
    'type="{type}" value="{value}"> <label for="{id}">{label}</label></li>\n          \n        '
)
TAIL = "\n      </ul>\n  </fieldset>\n"


def assembles(question: Question) -> bool:
    """Whether the question's fieldset can be assembled here (its answer widget is the choice list)."""
    return TYPES[question.type].partial == CHOICES_PARTIAL


def choice_fieldset(question: Question, form: Shown, number: int, total: int) -> Markup:
    """Return the unlocked fieldset of a choice question showing `form`'s options in its order, as the macro does."""
    field = form.answer
    name, kind = escape(field.name), escape(field.input_type)
    items = [
        ITEM.format(n=number, checked=" checked" if o.selected else "", id=f"{name}-{i}", name=name, type=kind,
                    value=escape(o.value), label=escape(o.label))
        for i, o in enumerate(field.options)
    ]
    head = HEAD.format(n=number, total=total, stem=markdown(question.stem), hint=escape(field.label))
    return Markup(head + "".join(items) + TAIL)  # noqa: S704  # nosec B704 - every value above is escaped or sanitised
