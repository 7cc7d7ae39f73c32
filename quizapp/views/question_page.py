"""The question page of a sitting: one flow for a learner's attempt and for an instructor's quiz preview.

Each sitting keeps its answers its own way (an attempt's responses; the preview's session, which writes nothing to
the database) and hands this flow a `keep` function. The form and its checks, the practice check and its notice,
where each button leads, and the page itself are the same for both.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from flask import current_app, flash, get_template_attribute, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from quizapp.banks.schema import Question as QuestionSpec
from quizapp.banks.schema import QuizSpec
from quizapp.errors import DomainError
from quizapp.extensions import db
from quizapp.forms import answer as answer_forms
from quizapp.forms import shown as shown_forms
from quizapp.models import Quiz
from quizapp.taking import open_sitting, sitting
from quizapp.taking.grading import AnswerError
from quizapp.taking.open_sitting import QuizTitle
from quizapp.views import fieldset

Keep = Callable[[dict | None, bool, bool], object]
"""Keep (answer, flagged, check) for the page's slot, or raise a DomainError (a locked answer, a closed attempt)."""


@dataclass(frozen=True)
class Flow:
    """One sitting's pages: its settings, its question count, and where its pages are.

    `endpoints` prefixes the endpoints of its pages: `<prefix>question`, `review`, `submit` (and `autosave`).
    """

    spec: QuizSpec
    total: int
    endpoints: str
    args: dict
    autosave: bool = False
    preview: bool = False

    def url(self, number: int | None) -> str:
        """Return the URL of question `number`, or of the review page for None."""
        if number is None:
            return url_for(self.endpoints + "review", **self.args)
        return url_for(self.endpoints + "question", number=number, **self.args)

    def submit_url(self) -> str:
        """Return where the review page's form submits the sitting."""
        return url_for(self.endpoints + "submit", **self.args)


def shown_form(slot: sitting.Slot, kept: MultiDict | None = None) -> shown_forms.Shown:
    """Return the form showing an answer kept from an expired session, else the slot's saved answer and flag."""
    if kept is not None:
        return shown_forms.from_form(answer_forms.build(slot.question, slot.order, None, kept))
    return shown_forms.shown(slot.question, slot.order, slot.answer, slot.flagged)  # displayed only: no form bound


def posted_answer(question: QuestionSpec, order: list[int] | None, form) -> dict | None:
    """Return the answer a posted form holds; raise AnswerError naming what is wrong when it is not valid."""
    if not form.validate():
        raise AnswerError("Please check your answer: " + "; ".join(e for errs in form.errors.values() for e in errs))
    return answer_forms.to_answer(question, order, form)


def keep_posted(flow: Flow, slot: sitting.Slot, keep: Keep):
    """Validate, keep (and in practice check) the posted answer, and commit; return (shown form, error or None)."""
    # Only the slot's number, question and order are read here: `keep` knows whether the saved answer is locked.
    form = answer_forms.build(slot.question, slot.order, None, request.form)
    check = flow.spec.feedback == "immediate" and request.form.get("go") == "check"
    try:
        answer = posted_answer(slot.question, slot.order, form)
        keep(answer, bool(form.flag.data), check)
    except (AnswerError, DomainError) as exc:
        db.session.rollback()  # a refused answer writes nothing
        return shown_forms.from_form(form), str(exc.message if isinstance(exc, DomainError) else exc)
    open_sitting.commit()
    notice = sitting.locked_notice(flow.spec.review, check and answer is not None)
    if notice:
        flash(notice, "info")
    return None, None


def onward(flow: Flow, number: int):
    """Redirect where the pressed button leads: previous, next, a numbered question, or the review."""
    return redirect(flow.url(sitting.destination(number, flow.total, request.form.get("go"))), code=303)


def render(
    flow: Flow, quiz: Quiz | QuizTitle, slot: sitting.Slot, form: shown_forms.Shown, error: str | None, navigator: list,
    remaining: int | None,
):
    """Render the question page; reached on a POST it shows a refused answer (422)."""
    autosave = url_for(flow.endpoints + "autosave", number=slot.number, **flow.args) if flow.autosave else None
    context = {**_around(flow, quiz, navigator, remaining), "slot": slot, "form": form, "error": error}
    feedback = sitting.checked(slot, flow.spec.review)
    shown = question_html(slot, form, flow.total, feedback, cacheable=request.method == "GET" and error is None)
    page = render_template("attempt/question.html", **context, feedback=feedback, autosave_url=autosave,
                           question_html=shown, navigator_buttons=navigator_buttons(navigator, slot.number))
    return page, 422 if request.method == "POST" else 200


# One navigator button: `n` is a slot number, the other fields are the fixed strings below (nothing to escape).
NAV_BUTTON = (
    '\n      <li>\n        <button type="submit" name="go" value="{n}" class="nav-item{classes}"{current}>\n'
    '          {n}<span class="visually-hidden">: {said}</span>\n          {flag}\n        </button>\n      </li>\n    '
)
NAV_FLAG = '<span aria-hidden="true" class="nav-flag">&#x2691;</span>'


def navigator_buttons(navigator: list[sitting.SlotState], number: int) -> Markup:
    """Return the navigator's list items: each slot's answered, flagged and current state, in class and words."""
    items = [_button(s.number, s.answered, s.flagged, s.number == number) for s in navigator]
    return Markup("".join(items))  # noqa: S704  # nosec B704 - slot numbers and fixed strings only (_button)


@lru_cache(maxsize=4096)
def _button(n: int, answered: bool, flagged: bool, here: bool) -> str:
    """Return one navigator button, formatted once per worker for each slot number and state (nothing to escape)."""
    classes = (" nav-answered" if answered else "") + (" nav-flagged" if flagged else "")
    said = ("answered" if answered else "not answered") + (", flagged" if flagged else "")
    return NAV_BUTTON.format(
        n=int(n), classes=classes + (" nav-current" if here else ""), current=' aria-current="step"' if here else "",
        said=said + (", current question" if here else ""), flag=NAV_FLAG if flagged else "",
    )


QUESTION_CACHE_SIZE = 4096


def question_html(slot: sitting.Slot, form: shown_forms.Shown, total: int, feedback, cacheable: bool) -> Markup:
    """Return the question's fieldset; one showing a saved, unchecked state is rendered once per app and process."""
    render = get_template_attribute("_macros/question.html", "render_question")
    if not cacheable or slot.locked or slot.version.id is None:
        return render(slot.question, form, slot.number, total, locked=slot.locked, fb=feedback)
    # A version never changes, so its fieldset depends only on the choice order, the place and the saved answer.
    cache = current_app.extensions.setdefault("quizapp.question_html", {})
    key = (slot.version.id, tuple(slot.order or ()), slot.number, total, json.dumps(slot.answer, sort_keys=True))
    found = cache.get(key)
    if found is None:
        # A new attempt's order misses: a choice list is assembled from the version's parts, not by the macro.
        if fieldset.assembles(slot.question):
            found = fieldset.choice_fieldset(slot.question, form, slot.number, total)
        else:
            found = render(slot.question, form, slot.number, total, locked=False, fb=None)
        if len(cache) >= QUESTION_CACHE_SIZE:
            cache.clear()
        cache[key] = found
    return found


def render_review(flow: Flow, quiz: Quiz, navigator: list, remaining: int | None) -> str:
    """Render the review page: unanswered and flagged questions, and the form that submits the sitting."""
    return render_template("attempt/review.html", **_around(flow, quiz, navigator, remaining), form=FlaskForm())


def _around(flow: Flow, quiz: Quiz, navigator: list, remaining: int | None) -> dict:
    """Return what both pages show around their content: the quiz, its settings, the progress and the timer."""
    answered = sum(1 for s in navigator if s.answered)
    return {"flow": flow, "quiz": quiz, "spec": flow.spec, "navigator": navigator, "answered": answered,
            "remaining": remaining}
