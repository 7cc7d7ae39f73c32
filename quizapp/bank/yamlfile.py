"""Read bank, quiz and track YAML files into validated models, with errors located by line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from quizapp.bank.errors import BankFileError, FileError
from quizapp.bank.schema import Bank, QuizSet
from quizapp.bank.tracks import TrackRules

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_FILE_BYTES = 5 * 1024 * 1024
FORMATS: dict[str, type[BaseModel]] = {
    "quizapp-bank/1": Bank,
    "quizapp-quizzes/1": QuizSet,
    "quizapp-tracks/1": TrackRules,
}


def parse(text: str, filename: str) -> BaseModel:
    """Parse one YAML document and validate it against the model its `format:` names."""
    try:
        # Loader is CSafeLoader or SafeLoader: no arbitrary objects.
        data = yaml.load(text, Loader=Loader)  # noqa: S506  # nosec B506
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
        raise BankFileError(locate(exc, text, filename, data)) from None


def read(path: Path) -> BaseModel:
    """Read and validate one file, refusing oversized or non-UTF-8 input with a clear error."""
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
    return parse(text, name)


def locate(exc: ValidationError, text: str, filename: str, data: dict) -> list[FileError]:
    """Turn pydantic errors into file errors that name the line, question key and field."""
    root = yaml.compose(text, Loader=Loader)
    errors = []
    raw = exc.errors(include_url=False)
    for err in raw:
        if _wrong_union_branch(err, raw):
            continue
        loc = list(err["loc"])
        ctx = err.get("ctx") or {}
        if "key" in ctx:
            loc += [*_path_to_key(data, ctx["key"]), ctx["field"]]
        errors.append(_error(filename, root, data, loc, err["msg"]))
    return sorted(errors, key=lambda e: e.line or 0)


def _path_to_key(data: dict, key: str) -> list[Any]:
    """Return the path (list name, index) of the item whose key or slug is `key`."""
    for list_name, id_field in (("questions", "key"), ("quizzes", "slug")):
        for i, item in enumerate(data.get(list_name) or []):
            if isinstance(item, dict) and item.get(id_field) == key:
                return [list_name, i]
    return []


def _error(filename: str, root: yaml.Node | None, data: Any, loc: list, msg: str) -> FileError:
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
    return FileError(filename, msg, _line(root, loc), item_key, field)


def _is_union_tag(part: Any) -> bool:
    """Pydantic adds union member names (`bool`, `NumericAnswer`) to locations; they are not fields."""
    return isinstance(part, str) and (part[:1].isupper() or "[" in part or part in _SCALAR_TAGS)


_SCALAR_TAGS = ("bool", "float", "str", "int", "list", "dict")


def _wrong_union_branch(err: dict, all_errors: list[dict]) -> bool:
    """Whether `err` is a union member's "not my kind" error that another member's error says better."""
    tags = [i for i, p in enumerate(err["loc"]) if _is_union_tag(p)]
    if not tags or not _kind_error(err):
        return False
    parent = err["loc"][: tags[0]]
    branch = [o for o in all_errors if o["loc"][: tags[0]] == parent and len(o["loc"]) > tags[0]]
    if any(not _kind_error(o) for o in branch):
        return True  # the input was of another member's kind; that member's errors say what is wrong
    return next(o for o in branch) is not err  # nothing matched: keep the first member's message only


def _kind_error(err: dict) -> bool:
    """Whether an error only says the input is not of the expected kind."""
    return err["type"].endswith(("_type", "_parsing"))


def _line(node: yaml.Node | None, loc: list) -> int | None:
    """Walk the YAML node tree along `loc` and return the 1-based line of the deepest node found."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == part), None)
            if match is None:
                key_node = next((k for k, _ in node.value if k.value == part), None)
                return key_node.start_mark.line + 1 if key_node else line
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            continue
        line = node.start_mark.line + 1
    return line
