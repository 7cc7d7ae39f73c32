"""Markdown from HTML read by textconv (pure): each closed element becomes (kind, markdown) chunks for its parent.

Kinds: ``inline`` text (escaped, with BR/SOFT/PARA breaks in it), ``block`` (a paragraph, heading, quote, code
block), ``list``, ``item``, ``row`` and ``cell``. Inline text becomes paragraphs only where blocks are joined, so
a line start is known there and escaped there. An element holding blocks inside an inline one (``<b><p>``)
keeps its content without the inline markup, so emphasis and links never span lines they cannot.
"""

from __future__ import annotations

import re

# A line break, a paragraph break and a source newline (moodle format) inside inline text: never from the input.
BR, PARA, SOFT = "\ue000", "\ue001", "\ue002"
WEB_LINK = re.compile(r"(?i)^(https?:|mailto:)\S+$")
URL_UNSAFE = str.maketrans({" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E", "\\": "%5C", "|": "%7C"})
_LINE_START = re.compile(r"^(#|[-+](?=[ \t]|$)|-(?=-)|=(?==*[ \t]*$))", re.M)
_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=[ \t]|$)", re.M)
_BACKTICKS = re.compile(r"`+")
_SPACE_RUN = re.compile(r" {2,}")
_GAPS = " " + SOFT
_MARKS = {"b": "**", "strong": "**", "i": "*", "em": "*", "u": "*", "ins": "*", "cite": "*", "dfn": "*"}
_HEADINGS = {"h1": "###", "h2": "###", "h3": "###", "h4": "####", "h5": "#####", "h6": "######"}
_BLOCKS = frozenset(
    {"p", "div", "section", "article", "header", "footer", "main", "nav", "aside", "address", "center", "figure"}
    | {"figcaption", "caption", "dl", "dt", "dd"}
)


def escape_line_starts(text: str) -> str:
    """Escape what would start a heading, list or rule at the start of a line of escaped text."""
    return _ORDERED.sub(r"\1\\\2", _LINE_START.sub(r"\\\1", text))


class Frame:
    """An open element and what has been read inside it: (kind, markdown) chunks."""

    __slots__ = ("attrs", "chunks", "tag")

    def __init__(self, tag: str, attrs: dict[str, str | None]) -> None:
        """Open `tag` with no content yet."""
        self.tag, self.attrs, self.chunks = tag, attrs, []


def render(frame: Frame, parents: list[Frame]) -> list[tuple[str, str]]:
    """Turn a closed element into the chunks it gives its parent."""
    tag, chunks = frame.tag, frame.chunks
    if tag in _MARKS or tag == "a":
        return _inline(frame, parents)
    if tag == "pre":
        text = "".join(text for _, text in chunks).replace(SOFT, "\n").removeprefix("\n").rstrip()
        fence = "`" * max(3, max(map(len, _BACKTICKS.findall(text)), default=0) + 1)
        return [("block", f"{fence}\n{text}\n{fence}")] if text else []
    if tag in _HEADINGS:
        text = _flat(chunks)
        return [("block", f"{_HEADINGS[tag]} {text}")] if text else []
    if tag == "blockquote":
        body = blocks(chunks, "\n\n")
        return [("block", "\n".join(f"> {line}".rstrip() for line in body.split("\n")))] if body else []
    if tag in ("ul", "ol"):
        return _list(chunks, tag == "ol")
    if tag == "li":
        return [("item", blocks(chunks, "\n"))]
    if tag in ("td", "th"):
        return [("cell", _flat(chunks))]
    if tag == "tr":
        return [("row", "\0".join(text for kind, text in chunks if kind == "cell"))]
    if tag == "table":
        return _table(chunks)
    if tag in _BLOCKS:
        return [("block", blocks(chunks, "\n\n"))]
    return chunks  # an unknown tag keeps its content, thead and tbody their rows


def _inline(frame: Frame, parents: list[Frame]) -> list[tuple[str, str]]:
    """Wrap inline content in emphasis or a link; content holding blocks, or nested alike, is passed on as is."""
    chunks, tag = frame.chunks, frame.tag
    mark = _MARKS.get(tag, "")
    href = (frame.attrs.get("href") or "").strip()
    nested = any(_MARKS.get(p.tag, p.tag) == (mark or "a") for p in parents)
    if nested or any(kind != "inline" for kind, _ in chunks) or (tag == "a" and not WEB_LINK.match(href)):
        return chunks
    pieces = []
    for piece in "".join(text for _, text in chunks).split(BR):
        core = piece.strip(_GAPS)
        if core:
            core = f"[{core}]({href.translate(URL_UNSAFE)})" if tag == "a" else f"{mark}{core}{mark}"
            piece = piece[: len(piece) - len(piece.lstrip(_GAPS))] + core + piece[len(piece.rstrip(_GAPS)) :]
        pieces.append(piece)
    return [("inline", BR.join(pieces))]


def _flat(chunks: list[tuple[str, str]]) -> str:
    """Return an element's content on one line (a heading or a table cell)."""
    return " ".join(blocks(chunks, " ").replace("\\\n", " ").split("\n")).strip()


def _paragraphs(text: str) -> list[str]:
    """Split inline text into paragraphs at double breaks; single breaks become hard line breaks."""
    found = []
    for para in text.replace(BR + BR, PARA).split(PARA):
        lines = ["\n".join(filter(None, map(_line, line.split(SOFT)))) for line in para.split(BR)]
        joined = "\\\n".join(line for line in lines if line)
        if joined:
            found.append(joined)
    return found


def _line(text: str) -> str:
    """Return one line of inline text with its spaces tidied and its start escaped."""
    return escape_line_starts(_SPACE_RUN.sub(" ", text).strip(" "))


def blocks(chunks: list[tuple[str, str]], separator: str) -> str:
    """Join an element's content as Markdown blocks: runs of inline text become paragraphs."""
    out: list[str] = []
    run: list[str] = []
    for kind, text in [*chunks, ("end", "")]:
        if kind == "inline":
            run.append(text)
            continue
        out += _paragraphs("".join(run))
        run = []
        if kind in ("block", "list") and text:
            out.append(text)
        elif kind in ("item", "cell", "row") and text:
            out += _paragraphs(text.replace("\0", " "))
    return separator.join(out) if separator != "\n" else _tight(out)


def _tight(blocks: list[str]) -> str:
    """Join a list item's blocks: a nested list follows its line directly, paragraphs keep a blank line."""
    out = ""
    for block in blocks:
        if out:
            out += "\n" if block[:2] in ("- ", "1.") else "\n\n"
        out += block
    return out


def _list(chunks: list[tuple[str, str]], ordered: bool) -> list[tuple[str, str]]:
    """Write list items with their markers; continuation lines are indented under the first."""
    items: list[str] = []
    for kind, text in chunks:
        if kind == "list" and items:  # a list directly inside a list belongs to the item before it
            pad = " " * (len(f"{len(items)}. ") if ordered else 2)
            items[-1] += "\n" + "\n".join(line and pad + line for line in text.split("\n"))
            continue
        if kind != "item":
            text = blocks([(kind, text)], "\n\n")
        if text.strip():
            marker = f"{len(items) + 1}. " if ordered else "- "
            pad = " " * len(marker)
            items.append(marker + "\n".join(line and pad + line for line in text.split("\n")).removeprefix(pad))
    return [("list", "\n".join(items))] if items else []


def _table(chunks: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Write a pipe table (its first row as the header); a caption or stray text goes before it."""
    rows = [text.split("\0") for kind, text in chunks if kind == "row"]
    before = [(kind, text) for kind, text in chunks if kind not in ("row", "cell")]
    width = max(map(len, rows), default=0)
    if not width:
        return before
    lines = ["| " + " | ".join(row + [""] * (width - len(row))) + " |" for row in rows]
    lines.insert(1, "|" + " --- |" * width)
    return [*before, ("block", "\n".join(lines))]
