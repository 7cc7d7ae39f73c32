"""Turn foreign question text (HTML, plain text) into the Markdown our banks store, safely.

Imported HTML is never passed through: tags are dropped, their text kept, and the result is
escaped so that the Markdown renderer shows it literally. Plain text is escaped the same way.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

FORMATS = ("moodle", "html", "plain", "markdown")

_INLINE = re.compile(r"([\\`*_\[\]<>&|~])")
_INDENT = re.compile(r"^[ \t]+", re.M)
_LINE_START = re.compile(r"^(#|[-+](?=[ \t]|$)|-(?=-)|=(?==*[ \t]*$))", re.M)
_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=[ \t]|$)", re.M)
_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "table",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "dl",
        "dt",
        "dd",
        "hr",
        "section",
        "article",
    }
)
_SKIP_TAGS = frozenset({"script", "style", "head", "title", "template"})
_SPACES = re.compile(r"[ \t\r\n\f]+")
_WEB_LINK = re.compile(r"(?i)^(https?:|mailto:)\S+$")
_NEWLINE = re.compile(r"\r?\n")
_BLANK_LINES = re.compile(r"\n{3,}")
_TAG = re.compile(r"<[^>]*>?")


def escape_markdown(text: str) -> str:
    """Escape text so a CommonMark renderer shows it literally (no markup, no raw HTML)."""
    text = _INDENT.sub("", _INLINE.sub(r"\\\1", text))
    text = _LINE_START.sub(r"\\\1", text)
    return _ORDERED.sub(r"\1\\\2", text)


class _TextCollector(HTMLParser):
    """Collect the visible text of an HTML fragment, with line breaks for block elements."""

    def __init__(self) -> None:
        """Start with no text and outside any skipped element."""
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Turn structural tags into breaks; remember links and image alt texts."""
        if tag in _SKIP_TAGS:
            self.skipping += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n" + ("\u2022 " if tag == "li" else ""))
        elif tag == "img":
            self.parts.append(dict(attrs).get("alt") or "")
        elif tag == "a":
            self.links.append(_link_suffix(dict(attrs).get("href")))

    def handle_endtag(self, tag: str) -> None:
        """Close skipped elements, blocks and links."""
        if tag in _SKIP_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")
        elif tag == "a" and self.links:
            self.parts.append(self.links.pop())

    def handle_data(self, data: str) -> None:
        """Keep visible text, with HTML whitespace collapsed."""
        if not self.skipping:
            self.parts.append(_SPACES.sub(" ", data))


def _link_suffix(href: str | None) -> str:
    """Return ' (url)' for a web or mail link, so its target survives as plain text."""
    if href and _WEB_LINK.match(href.strip()):
        return f" ({href.strip()})"
    return ""


def html_to_markdown(html: str, newlines_are_breaks: bool = False) -> str:
    """Return the visible text of an HTML fragment as escaped Markdown (tags dropped)."""
    if newlines_are_breaks:
        html = _NEWLINE.sub("<br>", html)
    # Not re.sub(" *\n *"): searched from every space of a long run of spaces, that takes quadratic time.
    text = "\n".join(line.strip(" ") for line in _visible_text(html).split("\n"))
    text = _BLANK_LINES.sub("\n\n", text).strip()
    return escape_markdown(text)


def _visible_text(html: str) -> str:
    """Return the visible text of HTML; tags that trip the parser are simply all dropped."""
    collector = _TextCollector()
    try:
        collector.feed(html)
        collector.close()
    except AssertionError:  # html.parser rejects some <![...]> sections
        return unescape(_SPACES.sub(" ", _TAG.sub(" ", html)))
    return "".join(collector.parts)


def to_markdown(text: str, fmt: str) -> str:
    """Convert text in a Moodle text format (moodle, html, plain, markdown) to our Markdown."""
    if fmt == "markdown":
        return text.strip()
    if fmt == "plain":
        return escape_markdown(text.strip())
    return html_to_markdown(text, newlines_are_breaks=fmt == "moodle")
