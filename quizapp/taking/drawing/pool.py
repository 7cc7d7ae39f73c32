"""The pool of drawable questions: current versions of live, ready questions (never drafts), as draw candidates."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from quizapp.banks.schema import DrawRule, QuizSpec
from quizapp.extensions import db
from quizapp.models import Bank, Question, QuestionVersion
from quizapp.taking.drawing.draw import Candidate, Prepared, available, drawable, matches


def candidates(bank_slugs: set[str] | None = None, status: str = "ready") -> list[Candidate]:
    """Return every live question's current version with `status` (drawn: ready) as a candidate (one or two queries)."""
    stmt = (
        select(Question.id, QuestionVersion.id, Bank.slug, Bank.topic, QuestionVersion.content_hash)
        .join(QuestionVersion, Question.current_version_id == QuestionVersion.id)
        .join(Bank, Question.bank_id == Bank.id)
        .where(Question.retired.is_(False), Question.status == status, Bank.retired.is_(False))
    )
    if bank_slugs is not None:
        stmt = stmt.where(Bank.slug.in_(bank_slugs))
    rows = [tuple(row) for row in db.session.execute(stmt)]
    found = [_CANDIDATES.get(row) for row in rows]
    missing = [row for row, candidate in zip(rows, found, strict=True) if candidate is None]
    if not missing:
        return found
    new = _new_candidates(stmt, missing)
    return [candidate or new[row] for row, candidate in zip(rows, found, strict=True)]


# Candidates per (question id, version id, bank slug, topic, content hash): versions are immutable, and the hash
# keeps an id reused by another database from ever matching, so only new rows need their content decoded.
_CANDIDATES: dict[tuple, Candidate] = {}
_CANDIDATES_SIZE = 16384
_IN_LIST_LIMIT = 5000


def _new_candidates(stmt, missing: list[tuple]) -> dict[tuple, Candidate]:
    """Decode the content of the versions in `missing` rows (one query); return and remember their candidates."""
    if len(missing) > _IN_LIST_LIMIT:  # a cold cache: reading the pool again beats a huge IN list
        found = db.session.execute(stmt.with_only_columns(QuestionVersion.id, QuestionVersion.content))
    else:
        ids = [row[1] for row in missing]
        found = db.session.execute(
            select(QuestionVersion.id, QuestionVersion.content).where(QuestionVersion.id.in_(ids))
        )
    contents = dict(found.all())
    new = {}
    for row in missing:
        content = contents[row[1]]
        new[row] = Candidate(
            *row[:4],
            tags=frozenset(content.get("tags") or ()),
            type=content["type"],
            choice_count=len(content.get("choices") or ()),
            shuffle=content.get("shuffle", True),
            points=float(content.get("points", 1)),
            group=content.get("group"),
        )
    if len(_CANDIDATES) + len(new) > _CANDIDATES_SIZE:
        _CANDIDATES.clear()
    _CANDIDATES.update(new)
    return new


def prepared(rules: Sequence[DrawRule], stamp: str | None) -> Prepared:
    """Return the pool the rules draw from, ready to draw: read once per worker while the pool stamp is `stamp`."""
    banks = _banks_of(rules)
    if stamp is None:  # no change recorded yet (a database filled outside the app): nothing to key a cache by
        return Prepared(candidates(banks))
    key = (stamp, None if banks is None else frozenset(banks))
    found = _PREPARED.get(key)
    if found is None:
        if len(_PREPARED) >= _PREPARED_SIZE or any(k[0] != stamp for k in list(_PREPARED)):  # list: other threads
            _PREPARED.clear()  # another stamp: those pools are gone for good
        found = _PREPARED[key] = Prepared(candidates(banks))
    return found


# Prepared pools per (pool stamp, banks drawn from): the stamp read in the same transaction before the candidates,
# so a pool is never filed under a stamp newer than its content (models.stamp).
_PREPARED: dict[tuple, Prepared] = {}
_PREPARED_SIZE = 64


def rule_banks(spec: QuizSpec) -> set[str] | None:
    """Return the banks a quiz draws from, or None when a rule draws from every bank."""
    return _banks_of(spec.draw)


def _banks_of(rules: Sequence[DrawRule]) -> set[str] | None:
    """Return the banks the rules draw from, or None when one draws from every bank."""
    slugs = {r.bank for r in rules}
    return None if None in slugs else slugs


def shortfalls(spec: QuizSpec, pool: list[Candidate], drafts: Sequence[Candidate] = ()) -> list[str]:
    """Return a message per draw rule that asks for more questions than exist, or than the groups let it draw."""
    return [message + _drafts_hint(rule, drafts) for rule, message in _rule_shortfalls(spec, pool)]


def _drafts_hint(rule: DrawRule, drafts: Sequence[Candidate]) -> str:
    """Say how many drafts match a rule that falls short (they are not drawn until marked ready)."""
    count = sum(1 for c in drafts if matches(rule, c))
    if not count:
        return ""
    more, them = ("is a draft", "it") if count == 1 else ("are drafts", "them")
    return f"; {count} more {more}: mark {them} ready on the bank's page"


def _rule_shortfalls(spec: QuizSpec, pool: list[Candidate]) -> list[tuple[DrawRule, str]]:
    """Return (rule, message) per draw rule that cannot be met by the pool."""
    messages = []
    counts = zip(spec.draw, available(spec.draw, pool), drawable(spec.draw, pool), strict=True)
    for i, (rule, have, can) in enumerate(counts):
        if can >= rule.count:
            continue
        source = f"bank {rule.bank!r}" if rule.bank else "all banks"
        tags = f" tagged {', '.join(rule.tags)}" if rule.tags else ""
        tags += f", except those tagged {', '.join(rule.exclude_tags)}" if rule.exclude_tags else ""
        asks = f"rule {i + 1} asks for {rule.count} questions from {source}{tags}"
        if have < rule.count:
            messages.append((rule, f"{asks}, but {have} exist"))
        else:
            messages.append((rule, f"{asks}, but only {can} can be drawn: {_why_fewer(rule, pool)}"))
    return messages


def _why_fewer(rule: DrawRule, pool: list[Candidate]) -> str:
    """Explain why a rule can draw fewer questions than match it: the exclusion groups it meets."""
    groups = sorted({c.group for c in pool if c.group and matches(rule, c)})
    if not groups:
        return "the quiz's other rules draw the rest"
    named = ", ".join(groups[:5]) + (f" and {len(groups) - 5} more" if len(groups) > 5 else "")
    return f"an attempt holds at most one question of each exclusion group ({named})"
