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

import json
import math
from array import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain

from sqlalchemy import Text, cast, select, true

from quizapp import itemstats
from quizapp.extensions import db
from quizapp.models import Attempt, Bank, Question, QuestionVersion, Quiz, Response
from quizapp.services import pool, report_cache
from quizapp.services.reports import counted, stamp

STREAM_ROWS = 5000
NO_ANSWER = -1


def items(quiz: Quiz, mode: str) -> dict:
    """Return item statistics per question and for the whole test, cached until another attempt is finished."""
    current = stamp(quiz.id)
    return report_cache.get_or_compute(("items", quiz.id, mode), current, lambda: _items(quiz, mode, current[0]))


@dataclass
class _Item:
    """One question's marks, totals and picks over the attempts that drew it (parallel arrays)."""

    key: str
    topic: str
    type: str = ""
    max_mark: float = 0.0
    marks: array = field(default_factory=lambda: array("d"))
    totals: array = field(default_factory=lambda: array("d"))
    picks: list[int] = field(default_factory=list)  # codes are shared objects from a memo, so 8 bytes each
    bits: dict[str, int] = field(default_factory=dict)  # choice text -> bit in a pick code
    shown: tuple[int, list[str], list[bool]] = (-1, [], [])  # the newest version's (number, texts, correct)


@dataclass(frozen=True)
class _Version:
    """What the streaming loop needs of one question version."""

    key: str
    number: int
    type: str
    points: float
    texts: list[str]
    correct: list[bool]


def _version_rows(*conditions) -> dict[int, _Version]:
    """Load question versions (with their keys and choice texts) matching the conditions."""
    stmt = select(
        QuestionVersion.id,
        Question.key,
        QuestionVersion.number,
        QuestionVersion.type,
        QuestionVersion.points,
        QuestionVersion.content,
    ).join(Question, QuestionVersion.question_id == Question.id)
    found = {}
    for vid, key, number, qtype, points, content in db.session.execute(stmt.where(*conditions)).tuples():
        if qtype == "true_false":
            texts, correct = ["True", "False"], [content.get("answer") is True, content.get("answer") is False]
        elif qtype in ("single", "multiple"):
            texts = [c["text"] for c in content.get("choices") or []]
            correct = [bool(c.get("correct")) for c in content.get("choices") or []]
        else:
            texts, correct = [], []
        found[vid] = _Version(key, number, qtype, points, texts, correct)
    return found


def _pick_code(version: _Version, bits: list[int], raw: str | None) -> int:
    """Return a stored answer (JSON text) as a bit set of picked choices; NO_ANSWER when blank, 0 if no choices."""
    answer = json.loads(raw) if raw is not None else None
    if answer is None:
        return NO_ANSWER
    try:
        if version.type == "single":
            return 1 << bits[answer["choice"]]
        if version.type == "multiple":
            return sum(1 << bits[i] for i in set(answer["choices"]))
        if version.type == "true_false":
            return 1 << bits[0 if answer["value"] else 1]
    except (KeyError, IndexError, TypeError):
        return 0
    return 0


def _streams(where: list) -> tuple[Iterator, Iterator]:
    """Return the counted attempts and their responses, both streamed in attempt id order (two queries).

    Core rows, read a partition at a time, keep the per-row cost low. JSON columns come as text: layouts are
    decoded once each, answers once per distinct value.
    """
    connection = db.session.connection()
    attempts = connection.execute(
        select(Attempt.id, Attempt.score, Attempt.max_score, cast(Attempt.layout, Text))
        .where(*where)
        .order_by(Attempt.id)
        .execution_options(yield_per=STREAM_ROWS)
    )
    responses = connection.execute(
        select(Response.attempt_id, Response.slot, Response.score, cast(Response.answer, Text))
        .join(Attempt, Attempt.id == Response.attempt_id)
        .where(*where)
        .order_by(Response.attempt_id, Response.slot)
        .execution_options(yield_per=STREAM_ROWS)
    )
    return chain.from_iterable(attempts.partitions()), chain.from_iterable(responses.partitions())


def _items(quiz: Quiz, mode: str, finished: int) -> dict:
    """Stream the counted attempts and their responses (merged by attempt id) and compute the statistics."""
    banks = pool.rule_banks(quiz.spec())
    versions = _version_rows(Question.bank_id.in_(select(Bank.id).where(Bank.slug.in_(banks))) if banks else true())
    attempts, responses = _streams(counted(quiz.id, mode))
    found: dict[str, _Item] = {}
    bits_of: dict[int, list[int]] = {}
    codes: dict[tuple[int, str | None], int] = {}
    matrix: list[list[float]] = []
    pending = next(responses, None)
    for attempt_id, total, max_score, layout_text in attempts:
        saved = {}
        while pending is not None and pending[0] <= attempt_id:
            if pending[0] == attempt_id:
                saved[pending[1]] = (pending[2] or 0.0, pending[3])
            pending = next(responses, None)
        total = total or 0.0
        scale = 100 / max_score if max_score else 0.0
        row = []
        for slot, entry in enumerate(json.loads(layout_text)):
            vid = entry["v"]
            if vid not in versions:
                versions.update(_version_rows(QuestionVersion.id == vid))
            version = versions[vid]
            item = found.get(version.key)
            if item is None:
                item = found[version.key] = _Item(version.key, entry.get("topic", ""))
            if vid not in bits_of:
                bits_of[vid] = [item.bits.setdefault(text, len(item.bits)) for text in version.texts]
                item.max_mark = max(item.max_mark, float(entry.get("points", version.points)))
                if version.number > item.shown[0]:
                    item.shown, item.type = (version.number, version.texts, version.correct), version.type
            mark, raw = saved.get(slot, (0.0, None))
            code = codes.get((vid, raw))
            if code is None:
                code = codes[(vid, raw)] = _pick_code(version, bits_of[vid], raw)
            item.marks.append(mark)
            item.totals.append(total)
            item.picks.append(code)
            row.append(mark * scale)
        matrix.append(row)
    return {"mode": mode, "finished": finished, **_statistics(found, matrix)}


def _statistics(found: dict[str, _Item], matrix: list[list[float]]) -> dict:
    """Compute per-question and whole-test statistics from the accumulated marks.

    These call `itemstats.question_stats` and `itemstats.test_stats`, the two functions `itemstats.compute` is built
    from: compute() on a question's [mark, rest] matrix, or on the attempts x slots matrix, would also work out
    statistics nobody reads (the rest column, every slot, the moments of each small matrix), about five times the
    work at 100,000 attempts.
    """
    n = len(matrix)
    questions = [_question(item) for item in sorted(found.values(), key=lambda i: i.key)]
    denominator = math.fsum(q["root"] * q["n"] / n for q in questions if q["root"] is not None)
    for q in questions:
        q["stats"]["effectiveweight"] = 100 * q["root"] / denominator if q["root"] is not None and denominator else None
        q["flags"] = itemstats.flags(q["stats"])
    k = max((len(row) for row in matrix), default=0)
    columns = [[row[slot] if slot < len(row) else 0.0 for row in matrix] for slot in range(k)]
    test = itemstats.test_stats([math.fsum(row) for row in matrix], columns)
    return {"attempts": n, "slots": k, "questions": questions, "test": test}


def _question(item: _Item) -> dict:
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
        "blank": {"top": top_codes.get(NO_ANSWER, 0), "bottom": bottom_codes.get(NO_ANSWER, 0)},
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
