"""A deterministic check that a regular expression cannot backtrack super-linearly (the usual ReDoS shapes).

Reads the pattern's parse tree (CPython's own `re._parser`) and reports, in every sequence of it:

- a repeat without an upper bound inside another one, as in `(a+)+`;
- two unbounded repeats that can match the same character with only optional items between them, as in
  `\\d+\\.?\\d*` (the GIFT number pattern that took 23 s): the engine tries every way to share the run;
- in a pattern that is not anchored at a (line) start, an unbounded repeat that can match the pattern's first
  character and is followed by something that can fail, as in ` *\\n *`: each position of a long run starts a
  new attempt that scans the rest of the run.

Possessive repeats (`\\d++`) never give characters back, so the second rule does not apply to them. The check
is sufficient for the shapes above, not a proof for every pattern: the regex tests also time each pattern on
adversarial inputs of two sizes.
"""

from __future__ import annotations

import re
from re import _compiler, _constants, _parser

C = _constants
PROBE = [chr(i) for i in range(128)] + ["\u00e9", "\u00a0", "\u2028", "\U000f0041", "\U000f0100"]
REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT)
UNBOUNDED = 50


def problems(pattern: re.Pattern) -> list[str]:
    """Return the super-linear shapes found in a compiled pattern (empty when none)."""
    tree = _parser.parse(pattern.pattern, pattern.flags)
    found: list[str] = []
    _sequence(list(tree), tree.state, pattern.flags, found)
    if not _anchored(list(tree)):
        first = _first_chars(list(tree), tree.state, pattern.flags)
        _scan(list(tree), first, tree.state, pattern.flags, found)
    return found


def _unbounded(item) -> bool:
    """Whether an item is a repeat without a small upper bound."""
    op, av = item
    return op in REPEATS and (av[1] == C.MAXREPEAT or av[1] > UNBOUNDED)


def _nullable(item) -> bool:
    """Whether an item can match the empty string (optional repeats, anchors, lookarounds, optional groups)."""
    op, av = item
    if op in REPEATS:
        return av[0] == 0 or all(_nullable(i) for i in av[2])
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return True
    if op == C.SUBPATTERN:
        return all(_nullable(i) for i in av[-1])
    if op == C.BRANCH:
        return any(all(_nullable(i) for i in branch) for branch in av[1])
    return False


def _chars(items, state, flags) -> set[str]:
    """Return the probe characters any single-character item inside `items` can match (an over-approximation)."""
    out: set[str] = set()
    for item in items:
        op, av = item
        if op in REPEATS:
            out |= _chars(av[2], state, flags)
        elif op in (C.SUBPATTERN, C.ATOMIC_GROUP):
            out |= _chars(av[-1] if op == C.SUBPATTERN else av, state, flags)
        elif op == C.BRANCH:
            for branch in av[1]:
                out |= _chars(branch, state, flags)
        elif op in (C.LITERAL, C.NOT_LITERAL, C.IN, C.ANY, C.CATEGORY):
            one = _compiler.compile(_parser.SubPattern(state, [item]), flags)
            out |= {c for c in PROBE if one.fullmatch(c)}
    return out


def _sequence(items, state, flags, found: list[str]) -> None:
    """Check nested and overlapping adjacent repeats in one sequence, then in every sequence inside it."""
    for index, item in enumerate(items):
        op, av = item
        if _unbounded(item):
            if any(_unbounded(i) for i in _walk(av[2])):
                found.append("an unbounded repeat inside another")
            if op != C.POSSESSIVE_REPEAT:
                _overlap(item, items[index + 1 :], state, flags, found)
        for inner in _children(item):
            _sequence(inner, state, flags, found)


def _overlap(item, rest, state, flags, found: list[str]) -> None:
    """Report an unbounded repeat reachable from `item` over optional items only that shares characters with it."""
    mine = _chars([item], state, flags)
    for other in rest:
        if _unbounded(other) and mine & _chars([other], state, flags):
            found.append("two unbounded repeats can share a run of characters")
            return
        if not _nullable(other):
            return


def _scan(items, first: set[str], state, flags, found: list[str]) -> None:
    """Report a repeat over the pattern's first characters that is followed by something that can fail."""
    for index, item in enumerate(items):
        rest_can_fail = not all(_nullable(i) for i in items[index + 1 :])
        if _unbounded(item) and rest_can_fail and first & _chars([item], state, flags):
            found.append("an unanchored search rescans a run from each of its characters")
            return


def _anchored(items) -> bool:
    """Whether the pattern starts with ^ or \\A (line starts count: each line is tried once)."""
    return bool(items) and items[0][0] == C.AT and items[0][1] in (C.AT_BEGINNING, C.AT_BEGINNING_STRING)


def _first_chars(items, state, flags) -> set[str]:
    """Return the characters a match can start with (over-approximated)."""
    out: set[str] = set()
    for item in items:
        out |= _chars([item], state, flags)
        if not _nullable(item):
            break
    return out


def _children(item) -> list[list]:
    """Return the sequences directly inside an item."""
    op, av = item
    if op in REPEATS:
        return [list(av[2])]
    if op == C.SUBPATTERN:
        return [list(av[-1])]
    if op == C.ATOMIC_GROUP:
        return [list(av)]
    if op == C.BRANCH:
        return [list(b) for b in av[1]]
    if op in (C.ASSERT, C.ASSERT_NOT):
        return [list(av[1])]
    return []


def _walk(items):
    """Yield every item inside `items`, at any depth."""
    for item in items:
        yield item
        for inner in _children(item):
            yield from _walk(inner)
