"""Item statistics per question and for the whole test, from the counted attempts of a quiz.

Which attempts count is the score summary's rule (`reports.counted`). With randomly drawn questions this follows
Moodle's approach for random questions. Attempts draw different questions, so there is no single attempts x
questions matrix:
- per question (by its stable key, across versions), the statistics are computed over the sub-matrix of the
  attempts that drew it: the question's mark against the attempt's total score (Moodle's "rest of the test" is
  the total minus that mark). A drawn question left blank counts as 0;
- whole-test statistics come from the attempts x slots matrix (every attempt has the same number of slots, as
  Moodle's random slots do), each mark scaled to percent of the attempt's maximum, so the totals are the percents;
- effective weight is a question's share of an average attempt: 100 * sqrt(cov(mark, total)) divided by the sum
  over all questions of sqrt(cov) x (share of attempts that drew it). When every attempt draws every question this
  is exactly Moodle's effective weight.
Top and bottom thirds are per question: the attempts that drew it, ranked by total score (ties at the boundary
are split by attempt order).
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import replace

from flask import current_app
from sqlalchemy import select

from quizapp.errors import DomainError
from quizapp.extensions import db
from quizapp.models import Bank, Question, QuestionVersion, Quiz
from quizapp.reporting import item_cells, itemstats, snapshots
from quizapp.reporting.item_cells import Item


def items(quiz: Quiz, mode: str) -> snapshots.Report | None:
    """Return item statistics per question and for the whole test (stored; see `snapshots` for when computed)."""
    report = snapshots.get(quiz.id, "items", mode, lambda finished: _items(quiz, mode, finished))
    if report is None:
        return None
    return replace(report, data=with_flags(report.data, current_app.config["ITEM_FLAG_MIN_RESPONSES"]))


def recompute_key(quiz_id: int, mode: str) -> str:
    """Return the key a quiz's item statistics recompute runs under: one at a time per quiz and mode."""
    return f"items:{quiz_id}:{mode}"


def recompute(params: dict, progress: Callable[[float], None]) -> str:
    """Recompute and store a quiz's item statistics (the `items` job); return a reference to the stored report."""
    quiz = db.session.get(Quiz, params["quiz_id"])
    if quiz is None:
        raise DomainError("The quiz no longer exists.")
    mode = params["mode"]
    snapshots.recompute(quiz.id, "items", mode, lambda finished: _items(quiz, mode, finished, progress))
    return f"report_snapshot:items:{quiz.slug}:{mode}"


def with_flags(data: dict, minimum: int) -> dict:
    """Return the data with each question's flags, withheld (`withheld` true) when fewer than `minimum` drew it."""
    # Facility and discrimination from a handful of responses swing with each learner, so a flag would mislead.
    # The stored report keeps no flags: they follow the minimum in force, and the stored data is never changed.
    questions = [
        {**q, "flags": [] if q["n"] < minimum else itemstats.flags(q["stats"]), "withheld": q["n"] < minimum}
        for q in data["questions"]
    ]
    return {**data, "questions": questions, "flag_minimum": minimum}


def _items(quiz: Quiz, mode: str, finished: int, progress: Callable[[float], None] = lambda _: None) -> dict:
    """Read the cells of the counted attempts and compute the statistics."""
    found, columns = item_cells.read(quiz, mode, progress)
    data = {"mode": mode, "finished": finished, **_statistics(found, columns)}
    progress(0.95)
    return data


def _statistics(found: dict[str, Item], columns: list[array]) -> dict:
    """Compute per-question and whole-test statistics from the accumulated marks."""
    # itemstats.question_stats and test_stats, not compute(): on a question's [mark, rest] matrix or on the
    # attempts x slots matrix it would also work out statistics nobody reads (the rest column, every slot, the
    # moments of each small matrix), about five times the work at 100,000 attempts.
    n = len(columns[0]) if columns else 0
    questions = [_question(item) for item in sorted(found.values(), key=lambda i: i.key)]
    denominator = math.fsum(q["root"] * q["n"] / n for q in questions if q["root"] is not None)
    for q in questions:
        q["stats"]["effectiveweight"] = 100 * q["root"] / denominator if q["root"] is not None and denominator else None
    test = itemstats.test_stats([math.fsum(row) for row in zip(*columns, strict=True)], columns)
    return {"attempts": n, "slots": len(columns), "questions": questions, "test": test}


def _question(item: Item) -> dict:
    """Compute one question's statistics over the attempts that drew it: its mark against the rest of the test."""
    n = len(item.marks)
    stats = itemstats.question_stats(list(item.marks), item.max_mark, list(item.totals))
    with_total = None
    if stats["markvariance"] is not None and stats["covariance"] is not None:
        with_total = stats["markvariance"] + stats["covariance"]  # cov(mark, total) = var(mark) + cov(mark, rest)
    ranked = sorted(range(n), key=item.totals.__getitem__)
    third = n // 3
    bottom, top = ranked[:third], ranked[n - third :] if third else []
    top_codes, bottom_codes = Counter(item.picks[i] for i in top), Counter(item.picks[i] for i in bottom)
    _, texts, correct = item.shown
    order = texts + [t for t in item.bits if t not in texts]
    flags_of = dict(zip(texts, correct, strict=True))
    return {
        "key": item.key,
        "topic": item.topic,
        "type": item.type,
        "n": n,
        "max_mark": item.max_mark,
        "stats": stats,
        "sd_percent": 100 * stats["sd"] / item.max_mark if stats["sd"] is not None and item.max_mark else None,
        "root": math.sqrt(with_total) if with_total is not None and with_total >= 0 else None,
        "third": third,
        "choices": [
            {
                "text": text,
                "correct": flags_of.get(text, False),
                "top": _tally(top_codes, 1 << item.bits[text]),
                "bottom": _tally(bottom_codes, 1 << item.bits[text]),
            }
            for text in order
        ],
        "blank": {"top": top_codes.get(item_cells.NO_ANSWER, 0), "bottom": bottom_codes.get(item_cells.NO_ANSWER, 0)},
    }


def _tally(codes: Counter, bit: int) -> int:
    """Count the attempts whose answer (a pick code, counted) picked the choice with this bit."""
    return sum(count for code, count in codes.items() if code > 0 and code & bit)


def question_labels(keys: list[str]) -> dict[str, dict]:
    """Return each question's current stem (first paragraph, shortened), bank and retired flag (one query)."""
    stmt = (
        select(Question.key, Question.retired, Bank.title, QuestionVersion.content)
        .join(Bank, Question.bank_id == Bank.id)
        .outerjoin(QuestionVersion, Question.current_version_id == QuestionVersion.id)
        .where(Question.key.in_(keys))
    )
    labels = {}
    for key, retired, bank, content in db.session.execute(stmt).tuples():
        first = " ".join(((content or {}).get("stem") or "").strip().split("\n\n")[0].split())
        labels[key] = {"stem": first if len(first) <= 140 else first[:139] + "…", "bank": bank, "retired": retired}
    return labels
