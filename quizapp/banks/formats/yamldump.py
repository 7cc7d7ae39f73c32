"""Write a bank as `quizapp-bank/1` YAML: deterministic, so export, import, export gives identical bytes.

Keys come in the order of the format's example (top level, then per question), only fields that differ from
their default are written, multi-line texts are block scalars (``|``), tags and numeric answers are flow
collections, and unicode is written as is. Texts are stripped when read (the schema strips strings), so a
block scalar's final newline never changes the content.
"""

from __future__ import annotations

import yaml

from quizapp.banks.schema import Bank, Choice, NumericAnswer, Question
from quizapp.qtypes.shapes import Interval

BANK_ORDER = ("format", "bank", "title", "topic", "level", "description", "references", "questions")
QUESTION_ORDER = (
    "key",
    "type",
    "scoring",
    "shuffle",
    "stem",
    "choices",
    "answer",
    "feedback",
    "right_feedback",
    "explanation",
    "reference",
    "tags",
    "group",
    "difficulty",
    "points",
    "status",
    "retired",
)
CHOICE_ORDER = ("text", "correct", "weight", "feedback")
NUMERIC_ORDER = ("value", "tolerance", "min", "max", "unit")
PARTIAL_ORDER = ("value", "tolerance", "min", "max", "credit", "feedback")
# Characters a YAML reader turns into (or treats as) line breaks: only a double-quoted escape keeps them.
_BREAKS = ("\r", "\x85", "\u2028", "\u2029")


class _Flow(list):
    """A list written in flow style: `[a, b]`."""


class _FlowMap(dict):
    """A mapping written in flow style: `{value: 6, unit: seconds}`."""


class _Dumper(yaml.SafeDumper):
    """The pure-Python safe dumper (same bytes with or without libyaml), indenting lists under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        """Indent block sequences under their parent key, as the format's example does."""
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    """Write multi-line text as a literal block, and anything with unusual line breaks double-quoted."""
    if any(ch in text for ch in _BREAKS):
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style='"')
    if "\n" in text and dumper.analyze_scalar(text + "\n").allow_block:
        # The final newline makes `|` rather than `|-`; the schema strips it again on reading.
        return dumper.represent_scalar("tag:yaml.org,2002:str", text + "\n", style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", text)


def _represent_flow(dumper: yaml.SafeDumper, items: _Flow) -> yaml.SequenceNode:
    """Write a short list inline."""
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=True)


def _represent_flow_map(dumper: yaml.SafeDumper, mapping: _FlowMap) -> yaml.MappingNode:
    """Write a small mapping inline, keeping its key order."""
    return dumper.represent_mapping("tag:yaml.org,2002:map", mapping.items(), flow_style=True)


def _represent_dict(dumper: yaml.SafeDumper, mapping: dict) -> yaml.MappingNode:
    """Write a mapping in insertion order (the order this module builds)."""
    return dumper.represent_mapping("tag:yaml.org,2002:map", mapping.items())


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Flow, _represent_flow)
_Dumper.add_representer(_FlowMap, _represent_flow_map)
_Dumper.add_representer(dict, _represent_dict)


def _number(x: float) -> int | float:
    """Return whole numbers as int (`6`, not `6.0`); other floats unchanged."""
    return int(x) if float(x).is_integer() and abs(x) < 1e15 else x


def _choice(c: Choice) -> dict:
    """Return a choice with only its non-default fields."""
    data = {"text": c.text}
    if c.correct:
        data["correct"] = True
    if c.weight is not None:
        data["weight"] = _number(c.weight)
    if c.feedback is not None:
        data["feedback"] = c.feedback
    return data


def _numeric(a: NumericAnswer) -> dict:
    """Return a numeric key with only its non-default fields: inline, or a block listing its partial ranges."""
    data = _interval(a, NUMERIC_ORDER)
    if not a.partial:
        return data
    return {**data, "partial": [_interval(r, PARTIAL_ORDER) for r in a.partial]}


def _interval(a: Interval, names: tuple[str, ...]) -> _FlowMap:
    """Return an interval's non-default fields, inline, in the order given."""
    data = _FlowMap()
    for name in names:
        value = getattr(a, name)
        if value is None or (name == "tolerance" and value == 0):
            continue
        data[name] = value if name in ("unit", "feedback") else _number(value)
    return data


def question_data(q: Question) -> dict:
    """Return one question as an ordered mapping of its non-default fields."""
    defaults = Question.model_fields
    data: dict = {}
    for name in QUESTION_ORDER:
        value = getattr(q, name)
        if name not in ("key", "type", "stem") and value == defaults[name].get_default(call_default_factory=True):
            continue
        if name == "choices":
            value = [_choice(c) for c in value]
        elif name == "answer" and isinstance(value, NumericAnswer):
            value = _numeric(value)
        elif name == "tags":
            value = _Flow(value)
        elif name == "points":
            value = _number(value)
        data[name] = value
    return data


def bank_data(spec: Bank) -> dict:
    """Return a bank as an ordered mapping of its non-default fields."""
    data: dict = {}
    for name in BANK_ORDER:
        value = getattr(spec, name)
        if name in ("description", "references") and not value:
            continue
        if name == "references":
            value = dict(value)
        elif name == "questions":
            value = [question_data(q) for q in value]
        data[name] = value
    return data


def dump_bank(spec: Bank) -> str:
    """Return the bank as YAML text, the same bytes for the same content; questions set off by blank lines."""
    text = _dump(bank_data(spec))
    # Question items start at exactly two spaces; any text inside them is indented deeper, so this is safe.
    return text.replace("\n  - key: ", "\n\n  - key: ").replace("\nquestions:\n\n", "\nquestions:\n")


def dump_question(q: Question, column: int) -> str:
    """Return one question as a `questions:` item with its dash at `column`, as `dump_bank` writes it at 2."""
    lines = _dump([question_data(q)]).split("\n")
    # Empty lines stay empty: in a block scalar, spaces on an empty line could become content.
    return "\n".join(" " * column + line if line else line for line in lines)


def _dump(data: object) -> str:
    """Return data as YAML in the format's layout: block style, keys in the order built, no line wrapping."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1_000_000,
        indent=2,
    )
