"""The cells behind item statistics: each counted attempt's mark, total and answer per drawn question, read fast.

At millions of cells the reading dominates, so responses are streamed in any order straight from the driver cursor
and gathered per question (by its stable key, across versions); answers become bit sets of picked choices, decoded
once per distinct (version, answer).
"""

from __future__ import annotations

import json
import secrets
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import Text, cast, func, select, true

from quizapp import qtypes
from quizapp.extensions import db
from quizapp.models import Attempt, Bank, Question, QuestionVersion, Quiz, Response
from quizapp.reporting.reports import counted
from quizapp.taking.drawing import pool

STREAM_ROWS = 5000
LAYOUT_BATCH = 5000  # ids inlined per layouts query: far below SQLite's 1,000,000-byte statement limit
NO_ANSWER = -1


@dataclass
class Item:
    """One question's marks, totals and picks over the attempts that drew it (parallel arrays)."""

    key: str
    topic: str
    type: str = ""
    max_mark: float = 0.0
    rows: array = field(default_factory=lambda: array("l"))  # the attempts (rows of `_Attempts`) that drew it
    marks: array = field(default_factory=lambda: array("d"))
    totals: array = field(default_factory=lambda: array("d"))
    picks: list[int] = field(default_factory=list)  # codes are shared objects from a memo, so 8 bytes each
    bits: dict[str, int] = field(default_factory=dict)  # choice text -> bit in a pick code
    shown: tuple[int, list[str], list[bool]] = (-1, [], [])  # the newest version's (number, texts, correct)


@dataclass(frozen=True)
class _Version:
    """What the streaming loop needs of one question version."""

    key: str
    topic: str
    number: int
    type: str
    points: float
    texts: list[str]
    correct: list[bool]


def _version_rows(*conditions) -> dict[int, _Version]:
    """Load question versions (with their keys and choice texts) matching the conditions."""
    stmt = (
        select(
            QuestionVersion.id,
            Question.key,
            Bank.topic,
            QuestionVersion.number,
            QuestionVersion.type,
            QuestionVersion.points,
            QuestionVersion.content,
        )
        .join(Question, QuestionVersion.question_id == Question.id)
        .join(Bank, Question.bank_id == Bank.id)
    )
    found = {}
    for vid, key, topic, number, qtype, points, content in db.session.execute(stmt.where(*conditions)).tuples():
        texts, correct = qtypes.get(qtype).stat_options(content)
        found[vid] = _Version(key, topic, number, qtype, points, texts, correct)
    return found


def _pick_code(version: _Version, bits: list[int], raw: str | None) -> int:
    """Return a stored answer (JSON text) as a bit set of picked choices; NO_ANSWER when blank, 0 if no choices."""
    answer = json.loads(raw) if raw is not None else None
    if answer is None:
        return NO_ANSWER
    try:
        return sum(1 << bits[i] for i in set(qtypes.get(version.type).picks(answer)))
    except (KeyError, IndexError, TypeError):
        return 0


def _driver_rows(stmt) -> Iterator[tuple]:
    """Stream a select's rows as the driver's plain tuples, in batches (a server-side cursor on PostgreSQL)."""
    # At millions of cells, SQLAlchemy's Row objects cost more than the statistics; the statement's only
    # values are ids and enum constants, so it is compiled with them inline.
    connection = db.session.connection()
    sql = str(stmt.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    driver = connection.connection.driver_connection
    postgres = connection.dialect.name == "postgresql"
    cursor = driver.cursor(name=f"items_{secrets.token_hex(8)}") if postgres else driver.cursor()
    try:
        cursor.execute(sql)
        while rows := cursor.fetchmany(STREAM_ROWS):
            yield from rows
    finally:
        cursor.close()


@dataclass
class _Attempts:
    """The counted attempts in id order: totals, percent scales, slot counts and which slots have a saved row."""

    index: dict[int, int] = field(default_factory=dict)  # attempt id -> row
    totals: array = field(default_factory=lambda: array("d"))
    scales: array = field(default_factory=lambda: array("d"))
    slots: list[int] = field(default_factory=list)
    saved: list[int] = field(default_factory=list)  # bit set of slots with a response row


def _attempts(where: list) -> _Attempts:
    """Load the counted attempts (one query)."""
    found = _Attempts()
    stmt = select(Attempt.id, Attempt.score, Attempt.max_score, func.json_array_length(Attempt.layout))
    for attempt_id, total, max_score, slots in _driver_rows(stmt.where(*where).order_by(Attempt.id)):
        found.index[attempt_id] = len(found.totals)
        found.totals.append(total or 0.0)
        found.scales.append(100 / max_score if max_score else 0.0)
        found.slots.append(slots)
        found.saved.append(0)
    return found


Progress = Callable[[float], None]


def read(quiz: Quiz, mode: str, progress: Progress = lambda _: None) -> tuple[dict[str, Item], list[array]]:
    """Stream the counted attempts' responses, in any order, into per-question cells and the slot columns."""
    banks = pool.rule_banks(quiz.spec())
    versions = _version_rows(Question.bank_id.in_(select(Bank.id).where(Bank.slug.in_(banks))) if banks else true())
    where = counted(quiz.id, mode)
    people = _attempts(where)
    progress(0.1)
    # SQLite holds a read lock while a statement streams, so progress could not be written until it ends.
    every = STREAM_ROWS * 10 if db.session.get_bind().dialect.name == "postgresql" else 0
    expected = max(1, sum(people.slots))
    columns = [array("d", bytes(8 * len(people.totals))) for _ in range(max(people.slots, default=0))]
    cells = _Cells(versions)
    responses = (
        select(Response.attempt_id, Response.slot, Response.score, Response.version_id, cast(Response.answer, Text))
        .join(Attempt, Attempt.id == Response.attempt_id)
        .where(*where)
    )
    for seen, (attempt_id, slot, score, vid, raw) in enumerate(_driver_rows(responses), start=1):
        if every and seen % every == 0:
            progress(0.1 + 0.7 * min(1.0, seen / expected))
        row = people.index.get(attempt_id)
        if row is None:  # finished after the attempts were read (each statement sees its own snapshot)
            continue
        mark = score or 0.0
        cells.add(vid, row, mark, raw)
        columns[slot][row] = mark * people.scales[row]
        people.saved[row] |= 1 << slot
    # A drawn question with no response row was never answered: it counts as 0, found from the layouts of the
    # attempts whose rows do not cover every slot (the only JSON decoded, read by id in batches).
    progress(0.8)
    gaps = [attempt_id for attempt_id, row in people.index.items() if people.saved[row] != (1 << people.slots[row]) - 1]
    for start in range(0, len(gaps), LAYOUT_BATCH):
        layouts = select(Attempt.id, cast(Attempt.layout, Text)).where(
            Attempt.id.in_(gaps[start : start + LAYOUT_BATCH])
        )
        for attempt_id, layout_text in _driver_rows(layouts):
            row = people.index[attempt_id]
            for slot, entry in enumerate(json.loads(layout_text)):
                if not people.saved[row] >> slot & 1:
                    cells.add(entry["v"], row, 0.0, None)
    return cells.by_key(people.totals), columns


class _Cells:
    """Per-question accumulation of (attempt row, mark, pick code) cells, keyed by the question's stable key."""

    def __init__(self, versions: dict[int, _Version]) -> None:
        """Start empty over the known question versions (others are loaded when first met)."""
        self.versions = versions
        self.items: dict[str, Item] = {}
        self.of_version: dict[int, tuple[Item, list[int]]] = {}
        self.codes: dict[tuple[int, str | None], int] = {}

    def add(self, vid: int, row: int, mark: float, raw: str | None) -> None:
        """Record one drawn question of one attempt."""
        found = self.of_version.get(vid)
        if found is None:
            found = self.of_version[vid] = self._register(vid)
        item, bits = found
        code = self.codes.get((vid, raw))
        if code is None:
            code = self.codes[(vid, raw)] = _pick_code(self.versions[vid], bits, raw)
        item.rows.append(row)
        item.marks.append(mark)
        item.picks.append(code)

    def _register(self, vid: int) -> tuple[Item, list[int]]:
        """Find or create a version's question and map its choice texts to the question's pick bits."""
        if vid not in self.versions:
            self.versions.update(_version_rows(QuestionVersion.id == vid))
        version = self.versions[vid]
        item = self.items.get(version.key)
        if item is None:
            item = self.items[version.key] = Item(version.key, version.topic)
        item.max_mark = max(item.max_mark, float(version.points))
        if version.number > item.shown[0]:
            item.shown, item.type = (version.number, version.texts, version.correct), version.type
        return item, [item.bits.setdefault(text, len(item.bits)) for text in version.texts]

    def by_key(self, totals: array) -> dict[str, Item]:
        """Put every question's cells in attempt order (ties among thirds split by it) and attach the totals."""
        for item in self.items.values():
            order = sorted(range(len(item.rows)), key=item.rows.__getitem__)
            item.rows = array("l", [item.rows[i] for i in order])
            item.marks = array("d", [item.marks[i] for i in order])
            item.picks = [item.picks[i] for i in order]
            item.totals = array("d", [totals[row] for row in item.rows])
        return self.items
