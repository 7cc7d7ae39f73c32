"""What changed between two versions of a question, field by field, for the history page (pure)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from quizapp import qtypes
from quizapp.banks.schema import Question

LONG_TEXT = 80
TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Part:
    """A run of text in a long-text diff: unchanged, removed or added."""

    kind: str  # "same" | "removed" | "added"
    text: str


@dataclass(frozen=True)
class Change:
    """One field that differs; long texts carry word-level parts for each side."""

    label: str
    before: str
    after: str
    before_parts: tuple[Part, ...] = ()
    after_parts: tuple[Part, ...] = ()

    @property
    def is_long(self) -> bool:
        """Whether the change is shown as marked-up text rather than whole values."""
        return bool(self.before_parts or self.after_parts)


def fields(q: Question) -> dict[str, str]:
    """Flatten a question into labelled, readable values, in the order the form shows them."""
    out = {"Type": q.type, "Question": q.stem}
    out.update(qtypes.get(q.type).diff_fields(q))
    out.update(
        {
            "Rationale": q.explanation,
            "Reference": q.reference or "",
            "Tags": ", ".join(q.tags),
            "Exclusion group": q.group or "",
            "Difficulty": str(q.difficulty),
            "Points": f"{q.points:g}",
            "Scoring": q.effective_scoring or "",
            "Shuffle choices": "yes" if q.shuffle else "no",
        }
    )
    return out


def diff(old: Question | None, new: Question) -> list[Change]:
    """Return the fields that differ from `old` to `new` (every non-empty field when there is no `old`)."""
    before = fields(old) if old is not None else {}
    after = fields(new)
    labels = list(after) + [label for label in before if label not in after]
    changes = []
    for label in labels:
        a, b = before.get(label, ""), after.get(label, "")
        if a != b:
            changes.append(_change(label, a, b))
    return changes


def _change(label: str, before: str, after: str) -> Change:
    """Build one change, with word-level parts when either side is long or spans lines."""
    if max(len(before), len(after)) <= LONG_TEXT and "\n" not in before + after:
        return Change(label, before, after)
    old, new = TOKENS.findall(before), TOKENS.findall(after)
    removed, added = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            removed.append(Part("same", "".join(old[i1:i2])))
            added.append(Part("same", "".join(new[j1:j2])))
            continue
        if i2 > i1:
            removed.append(Part("removed", "".join(old[i1:i2])))
        if j2 > j1:
            added.append(Part("added", "".join(new[j1:j2])))
    return Change(label, before, after, tuple(removed), tuple(added))
