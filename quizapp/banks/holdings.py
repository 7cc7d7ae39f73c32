"""What a bank holds: its live questions, their content digests (a question found again under another key), new keys."""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections import Counter
from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from quizapp.banks.schema import Question as QuestionSpec
from quizapp.extensions import db
from quizapp.models import Bank, Question

_NUMBERED = re.compile(r"^([a-z0-9][a-z0-9-]*?)-(\d+)$")


def content_digest(spec: QuestionSpec) -> str:
    """Return a hash of a question's content without its key (to find the same question under another key)."""
    content = spec.model_dump(mode="json", exclude={"key"})
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def live_digests(bank: Bank) -> dict[str, str]:
    """Map the content digest of each live question of the bank to its key (one query)."""
    rows = live_questions(bank).scalars()
    return {content_digest(q.current_version.spec()): q.key for q in rows}


def live_questions(bank: Bank):
    """Select the bank's live questions that have a version, in position order, with their current versions."""
    return db.session.execute(
        select(Question)
        .where(Question.bank_id == bank.id, Question.retired.is_(False), Question.current_version_id.is_not(None))
        .order_by(Question.position, Question.id)
        .options(selectinload(Question.current_version))
    )


def new_keys(bank: Bank) -> Iterator[str]:
    """Yield keys `<prefix>-NNN`: the bank's most used prefix (or its slug), after the highest number ever used."""
    own = db.session.execute(select(Question.key).where(Question.bank_id == bank.id)).scalars()
    prefixes = Counter(m.group(1) for k in own if (m := _NUMBERED.match(k)))
    prefix = min(prefixes, key=lambda p: (-prefixes[p], p)) if prefixes else bank.slug[:56].rstrip("-")
    stmt = select(Question.key).where(Question.key.startswith(prefix + "-", autoescape=True))
    numbers = [m.group(2) for k in db.session.scalars(stmt) if (m := _NUMBERED.match(k)) and m.group(1) == prefix]
    width = max([3, *map(len, numbers)])
    for number in itertools.count(max(map(int, numbers), default=0) + 1):
        yield f"{prefix}-{number:0{width}d}"
