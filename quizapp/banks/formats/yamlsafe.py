"""Loading YAML that cannot take a worker down: nesting depth, alias expansion and number length are bounded.

PyYAML's C composer recurses once per nesting level (30,000 `[` overflow the C stack: SIGSEGV), its
constructor copies merged mappings (`<<: *a`) and multiplies out sexagesimal integers (`1:2:3:...`) in
quadratic time, and aliases let a small file stand for a huge document. So every text first goes through
libyaml's event parser, which keeps its own stacks and never recurses, in one linear pass that refuses
deep nesting and alias expansion before anything is built; numbers longer than any real one are refused
when they are constructed, and values Python cannot represent (`0000-01-01`) become located errors.
"""

from __future__ import annotations

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from quizapp.banks.formats.file_errors import BankFileError, FileError

MAX_DEPTH = 32  # a bank file needs 6 levels, a tracks file 7
MAX_ALIAS_GROWTH = 1024 * 1024  # characters that aliases may add to the document, beyond the file's own
MAX_NUMBER_CHARS = 100
_GROWTH_MB = MAX_ALIAS_GROWTH // 1024 // 1024
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Loader(_Base):
    """The safe loader (C when available): no arbitrary objects, no unbounded numbers, no unlocated errors."""

    def construct_object(self, node: yaml.Node, deep: bool = False):
        """Build one value, turning Python's refusals (year 0, month 13) into errors that carry the node's line."""
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as exc:
            raise ConstructorError(None, None, f"cannot read this value ({exc})", node.start_mark) from None


def _bounded(construct):
    """Wrap a number constructor so that an overlong number is refused before it is converted."""

    def construct_number(loader: Loader, node: yaml.Node):
        """Refuse numbers longer than MAX_NUMBER_CHARS (base-60 ones convert in quadratic time)."""
        if len(node.value) > MAX_NUMBER_CHARS:
            message = f"a number may have at most {MAX_NUMBER_CHARS} characters"
            raise ConstructorError(None, None, message, node.start_mark)
        return construct(loader, node)

    return construct_number


Loader.add_constructor("tag:yaml.org,2002:int", _bounded(SafeConstructor.construct_yaml_int))
Loader.add_constructor("tag:yaml.org,2002:float", _bounded(SafeConstructor.construct_yaml_float))


def load(text: str, filename: str) -> tuple[object, yaml.Node | None]:
    """Check the text's shape, then return its one document as Python data and as the node tree (for lines)."""
    check(text, filename)
    loader = Loader(text)
    try:
        root = loader.get_single_node()
        return (loader.construct_document(root) if root is not None else None), root
    finally:
        loader.dispose()


def compose(text: str, filename: str) -> yaml.Node | None:
    """Check the text's shape, then return its one document as a node tree (with line marks), constructing nothing."""
    check(text, filename)
    loader = Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def check(text: str, filename: str) -> None:
    """Refuse, with the line, nesting deeper than MAX_DEPTH and aliases that recurse or expand too much."""
    # One pass over libyaml's events: each anchor's expanded size (characters of its scalars, plus one per value)
    # and depth are known when it closes, so an alias costs O(1) and merge-key chains are counted too.
    limit = len(text) + MAX_ALIAS_GROWTH
    anchors: dict[str, tuple[int, int] | None] = {}  # anchor -> (expanded size, depth); None while still open
    stack: list[list] = [[0, 0, None]]  # per open collection: expanded size so far, depth, anchor
    try:
        for event in yaml.parse(text, Loader=Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                if len(stack) > MAX_DEPTH:
                    _refuse(filename, event, f"the YAML is nested more than {MAX_DEPTH} levels deep")
                stack.append([1, 1, event.anchor])
                if event.anchor is not None:
                    anchors[event.anchor] = None
                continue
            if isinstance(event, yaml.CollectionEndEvent):
                size, depth, anchor = stack.pop()
            elif isinstance(event, yaml.ScalarEvent):
                size, depth, anchor = len(event.value) + 1, 0, event.anchor
            elif isinstance(event, yaml.AliasEvent):
                size, depth, anchor = _alias(filename, event, anchors)
            else:
                continue
            if anchor is not None:
                anchors[anchor] = (size, depth)
            top = stack[-1]
            top[0] += size
            top[1] = max(top[1], depth + 1)
            if top[0] > limit:
                _refuse(filename, event, f"aliases (*name) expand this file by more than {_GROWTH_MB} MB")
            if len(stack) - 1 + depth > MAX_DEPTH:
                _refuse(filename, event, f"an alias nests the YAML more than {MAX_DEPTH} levels deep")
    except yaml.YAMLError:
        # Syntax errors are left to the full load, which reports them with their line.
        return


def _alias(filename: str, event: yaml.AliasEvent, anchors: dict) -> tuple[int, int, None]:
    """Return the expanded size and depth an alias stands for; an alias inside its own anchor is refused."""
    if event.anchor in anchors and anchors[event.anchor] is None:
        _refuse(filename, event, f"the alias *{event.anchor} is used inside its own anchor &{event.anchor}")
    size, depth = anchors.get(event.anchor) or (1, 0)  # an unknown anchor: the load reports it
    return size, depth, None


def _refuse(filename: str, event: yaml.Event, message: str) -> None:
    """Raise the located refusal."""
    raise BankFileError([FileError(filename, message, event.start_mark.line + 1)])
