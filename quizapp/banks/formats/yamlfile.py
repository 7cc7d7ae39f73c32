"""Read bank, quiz and track YAML files into validated models, with errors located by line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from quizapp.banks.formats import yamlsafe
from quizapp.banks.formats.file_errors import BankFileError, FileError, capped
from quizapp.banks.schema import Bank, QuizSet
from quizapp.recommendation.tracks import TrackRules

MAX_FILE_BYTES = 5 * 1024 * 1024
FORMATS: dict[str, type[BaseModel]] = {
    "quizapp-bank/1": Bank,
    "quizapp-quizzes/1": QuizSet,
    "quizapp-tracks/1": TrackRules,
}


def parse(text: str, filename: str) -> BaseModel:
    """Parse one YAML document and validate it against the model its `format:` names."""
    try:
        data, root = yamlsafe.load(text, filename)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise BankFileError([FileError(filename, f"not valid YAML: {problem}", line)]) from None
    if not isinstance(data, dict):
        raise BankFileError([FileError(filename, "expected a mapping with a `format:` key at the top")])
    fmt = data.get("format")
    model = FORMATS.get(fmt) if isinstance(fmt, str) else None
    if model is None:
        known = ", ".join(sorted(FORMATS))
        raise BankFileError(
            [FileError(filename, f"unknown format {fmt!r}; expected one of: {known}", 1, None, "format")]
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise BankFileError(capped(locate(exc, root, filename, data))) from None


def read(path: Path) -> BaseModel:
    """Read and validate one file, refusing oversized or non-UTF-8 input with a clear error."""
    return parse(read_text(path), str(path))


def read_text(path: Path) -> str:
    """Return a file's text exactly as it is (line breaks kept), refusing oversized or non-UTF-8 input."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BankFileError([FileError(name, f"cannot read: {exc.strerror}")]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise BankFileError([FileError(name, f"file is larger than {MAX_FILE_BYTES // 1024 // 1024} MB")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BankFileError([FileError(name, f"not UTF-8 text (byte {exc.start})")]) from None
    return text


def locate(exc: ValidationError, root: yaml.Node | None, filename: str, data: dict) -> list[FileError]:
    """Turn pydantic errors into file errors that name the line, question key and field."""
    errors, lines = [], _Lines(root)
    raw = exc.errors(include_url=False, include_input=False)
    branches = _union_branches(raw)
    for err in raw:
        if _wrong_union_branch(err, branches):
            continue
        loc = list(err["loc"])
        ctx = err.get("ctx") or {}
        if "key" in ctx:
            loc += [*_path_to_key(data, ctx["key"]), ctx["field"]]
        errors.append(_error(filename, lines, data, loc, err["msg"]))
    return sorted(errors, key=lambda e: e.line or 0)


def _path_to_key(data: dict, key: str) -> list[Any]:
    """Return the path (list name, index) of the item whose key or slug is `key`."""
    for list_name, id_field in (("questions", "key"), ("quizzes", "slug")):
        for i, item in enumerate(data.get(list_name) or []):
            if isinstance(item, dict) and item.get(id_field) == key:
                return [list_name, i]
    return []


def _error(filename: str, lines: _Lines, data: Any, loc: list, msg: str) -> FileError:
    """Build one located error from a pydantic location path."""
    item_key = None
    if len(loc) >= 2 and loc[0] in ("questions", "quizzes") and isinstance(loc[1], int):
        items = data.get(loc[0]) or []
        item = items[loc[1]] if loc[1] < len(items) else None
        if isinstance(item, dict):
            item_key = str(item.get("key") or item.get("slug") or f"#{loc[1] + 1}")
        field_path = loc[2:]
    else:
        field_path = loc
    field = ".".join(str(p) for p in field_path if not _is_union_tag(p)) or None
    msg = msg.removeprefix("Value error, ")
    return FileError(filename, msg, lines.of(loc), item_key, field)


def _is_union_tag(part: Any) -> bool:
    """Pydantic adds union member names (`bool`, `NumericAnswer`) to locations; they are not fields."""
    return isinstance(part, str) and (part[:1].isupper() or "[" in part or part in _SCALAR_TAGS)


_SCALAR_TAGS = ("bool", "float", "str", "int", "list", "dict")


def _union_branches(errors: list[dict]) -> dict[tuple, tuple[dict, bool]]:
    """Group errors by each location that leads to a union member: (its first error, any not a kind error)."""
    # One pass over the errors and their (short) locations, so thousands of aliased questions stay linear.
    parents = {tuple(e["loc"][:i]) for e in errors for i in _union_tags(e["loc"])[:1]}
    groups: dict[tuple, tuple[dict, bool]] = {}
    for err in errors:
        loc = tuple(err["loc"])
        for i in range(len(loc)):
            if loc[:i] in parents:
                first, other_kind = groups.get(loc[:i], (err, False))
                groups[loc[:i]] = (first, other_kind or not _kind_error(err))
    return groups


def _union_tags(loc: tuple) -> list[int]:
    """Return the positions of union member names in a location."""
    return [i for i, p in enumerate(loc) if _is_union_tag(p)]


def _wrong_union_branch(err: dict, branches: dict[tuple, tuple[dict, bool]]) -> bool:
    """Whether `err` is a union member's "not my kind" error that another member's error says better."""
    tags = _union_tags(err["loc"])
    if not tags or not _kind_error(err):
        return False
    first, other_kind = branches[tuple(err["loc"][: tags[0]])]
    if other_kind:
        return True  # the input was of another member's kind; that member's errors say what is wrong
    return first is not err  # nothing matched: keep the first member's message only


def _kind_error(err: dict) -> bool:
    """Whether an error only says the input is not of the expected kind."""
    return err["type"].endswith(("_type", "_parsing"))


class _Lines:
    """Finds the line of a location in the node tree, indexing each mapping's keys once (linear in the errors)."""

    def __init__(self, root: yaml.Node | None):
        """Start with no mapping indexed."""
        self.root = root
        self.keys: dict[int, dict[str, yaml.Node]] = {}

    def of(self, loc: list) -> int | None:
        """Walk the tree along `loc` and return the 1-based line of the deepest node found."""
        node = self.root
        line = node.start_mark.line + 1 if node is not None else None
        for part in loc:
            if isinstance(node, yaml.MappingNode):
                node = self._value(node, part)
                if node is None:
                    return line
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                node = node.value[part]
            else:
                continue
            line = node.start_mark.line + 1
        return line

    def _value(self, node: yaml.MappingNode, key: Any) -> yaml.Node | None:
        """Return the value node of a mapping's first `key`."""
        index = self.keys.get(id(node))
        if index is None:
            index = {}
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode):
                    index.setdefault(k.value, v)
            self.keys[id(node)] = index
        return index.get(key) if isinstance(key, str) else None
