"""Write a bank's changed questions into its existing file's text, so that `git diff` shows only those questions.

The file is composed (not constructed) into YAML nodes to find each `questions:` item's lines. A question whose
content differs is replaced, lines and all, by the item `yamldump` writes for it (at the item's own indent); new
questions follow the last item; comments, blank lines and every other item stay byte for byte. Whatever this
cannot do exactly (the bank's own fields changed, a layout it cannot follow, another order) is refused with a
reason, and the caller writes the whole file instead. So is a result that does not read back as the live bank.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from quizapp.banks.formats import yamldump, yamlfile, yamlsafe
from quizapp.banks.formats.file_errors import BankFileError
from quizapp.banks.schema import Bank, Question

# The line breaks YAML counts (and so its marks' line numbers): CRLF is one.
_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_BANK_FIELDS = tuple(name for name in yamldump.BANK_ORDER if name not in ("format", "questions"))
_LISTED = 5  # keys named in a report before "and N more"


class CannotSplice(Exception):
    """The file cannot take the live bank by replacing items: the reason says why (the whole file is written)."""

    def __init__(self, reason: str):
        """Keep the reason, in words."""
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Spliced:
    """The file's new text and the keys of the items replaced and added."""

    text: str
    changed: list[str]
    added: list[str]

    def summary(self) -> str:
        """Say what was written into the file, e.g. `changed demo-tf; added demo-new`."""
        parts = [f"{kind} {_listed(keys)}" for kind, keys in (("changed", self.changed), ("added", self.added)) if keys]
        return "; ".join(parts)


@dataclass(frozen=True)
class _Item:
    """One `questions:` item of the file: its first and last line (inclusive) and the column of its dash."""

    first: int
    last: int
    column: int


def splice(text: str, filename: str, held: Bank, live: Bank) -> Spliced:
    """Return `text` with the questions of `live` that differ from `held` (the file's bank) written in place."""
    changed_fields = [name for name in _BANK_FIELDS if getattr(held, name) != getattr(live, name)]
    if changed_fields:
        raise CannotSplice(f"the bank's {', '.join(changed_fields)} changed")
    held_keys = [q.key for q in held.questions]
    _same_order(held_keys, [q.key for q in live.questions])
    lines = _lines(text)
    items = _items(_compose(text, filename), lines, held_keys)
    out, done, changed = [], 0, []
    for item, old, new in zip(items, held.questions, live.questions, strict=False):
        if old != new:
            out += [*lines[done : item.first], _item_text(new, item.column, lines[item.first])]
            done = item.last + 1
            changed.append(new.key)
    added = live.questions[len(held_keys) :]
    out += lines[done : items[-1].last + 1]
    if added:
        out.append(_appended(added, items, lines, out[-1]))
    out += lines[items[-1].last + 1 :]
    result = Spliced("".join(out), changed, [q.key for q in added])
    _check(result.text, filename, live)
    return result


def _same_order(held: list[str], live: list[str]) -> None:
    """Refuse unless the live bank holds the file's questions in the file's order, any new ones after them."""
    in_live, in_file = set(live), set(held)
    missing = [key for key in held if key not in in_live]
    if missing:
        raise CannotSplice(f"the file holds questions the bank does not ({_listed(missing)}): not imported yet?")
    if [key for key in live if key in in_file] != held:
        raise CannotSplice("the bank's questions are in another order than the file's")
    if live[: len(held)] != held:
        between = [key for key in live[: len(held)] if key not in in_file]
        raise CannotSplice(f"questions not in the file ({_listed(between)}) come before some that are")


def _lines(text: str) -> list[str]:
    """Split text into lines as YAML counts them, each with its line break."""
    lines, start = [], 0
    for match in _BREAK.finditer(text):
        lines.append(text[start : match.end()])
        start = match.end()
    return [*lines, text[start:]] if start < len(text) else lines


def _compose(text: str, filename: str) -> yaml.Node | None:
    """Compose the text with the project's safe loader and limits; a file that cannot be read cannot be spliced."""
    try:
        return yamlsafe.compose(text, filename)
    except (yaml.YAMLError, BankFileError):
        raise CannotSplice("the file cannot be read as YAML") from None


def _items(root: yaml.Node | None, lines: list[str], keys: list[str]) -> list[_Item]:
    """Locate each item of the block sequence `questions:`, which must hold exactly `keys`, in order."""
    seq = _value(root, "questions")
    if not isinstance(seq, yaml.SequenceNode) or seq.flow_style or len(seq.value) != len(keys) or not keys:
        raise CannotSplice("its questions are not a block list of the bank's questions")
    items: list[_Item] = []
    for node, key in zip(seq.value, keys, strict=True):
        found = _value(node, "key")
        if not isinstance(found, yaml.ScalarNode) or found.value != key or node.flow_style:
            raise CannotSplice(f"the question {key} is not a block mapping starting where its key is")
        first = node.start_mark.line
        column = len(lines[first]) - len(lines[first].lstrip(" "))
        if not lines[first][column:].startswith("-") or (items and first <= items[-1].last):
            raise CannotSplice(f"the question {key} does not start on its own `- ` line")
        items.append(_Item(first, _last_line(node, first, lines), column))
    return items


def _value(node: yaml.Node | None, key: str) -> yaml.Node | None:
    """Return the value of a block mapping's last `key` (the one a load keeps), or None."""
    if not isinstance(node, yaml.MappingNode):
        return None
    values = [v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key]
    return values[-1] if values else None


def _last_line(node: yaml.Node, first: int, lines: list[str]) -> int:
    """Return the last line of an item: where its last value ends, without the blank lines a block scalar takes."""
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style and node.value:
        node = node.value[-1][1] if isinstance(node, yaml.MappingNode) else node.value[-1]
    end = node.end_mark
    last = end.line if end.column > 0 else end.line - 1
    while last > first and not lines[last].strip():
        last -= 1
    return last


def _item_text(q: Question, column: int, like: str) -> str:
    """Return a question's item at `column`, with the line breaks of the line `like` (LF or CRLF)."""
    text = yamldump.dump_question(q, column)
    return text.replace("\n", "\r\n") if like.endswith("\r\n") else text


def _appended(new: list[Question], items: list[_Item], lines: list[str], before: str) -> str:
    """Return the new questions' items to follow the last one, set off by blank lines if the file's items are."""
    between = lines[items[-2].last + 1 : items[-1].first] if len(items) > 1 else ["\n"]
    spaced = any(not line.strip() for line in between)
    text = "" if before.endswith(("\n", "\r", "\x85", "\u2028", "\u2029")) else "\n"
    for q in new:
        text += ("\n" if spaced else "") + yamldump.dump_question(q, items[-1].column)
    return text.replace("\n", "\r\n") if lines[items[-1].first].endswith("\r\n") else text


def _check(text: str, filename: str, live: Bank) -> None:
    """Refuse a result that does not read back as exactly the live bank: a wrong file is never written."""
    try:
        again = yamlfile.parse(text, filename)
    except BankFileError:
        again = None
    if again != live:
        raise CannotSplice("replacing the changed questions in place would not give the live bank")


def _listed(keys: list[str]) -> str:
    """Name a few keys, and how many more."""
    more = len(keys) - _LISTED
    return ", ".join(keys[:_LISTED]) + (f" and {more} more" if more > 0 else "")
