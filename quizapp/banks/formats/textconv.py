"""Turn foreign question text (HTML, plain text) into the Markdown our banks store, safely.

HTML becomes the Markdown that shows the same thing: bold, italic (underline too), links, images,
lists, tables, preformatted text, line breaks and paragraphs; any other tag keeps its text. Text is
escaped, so nothing but the Markdown written here takes effect, and raw HTML never comes in. The
reader is html.parser (one pass) with at most MAX_DEPTH open elements (MAX_INDENT lists and quotes):
deeper tags keep their text.
Inline images (``data:`` addresses) stay in the Markdown until ``drafts.take_images`` lifts them out.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from quizapp.banks.formats.htmlmd import BR, SOFT, URL_UNSAFE, WEB_LINK, Frame, blocks, escape_line_starts, render

FORMATS = ("moodle", "html", "plain", "markdown")
MAX_DEPTH = 24  # open elements kept; each level copies its content once more when it closes
MAX_INDENT = 6  # lists and quotes nested deeper are written at this level (each one indents every line it holds)
_INDENTING = frozenset({"ul", "ol", "blockquote"})

_INLINE = re.compile(r"([\\`*_\[\]<>&|~])")
_INDENT = re.compile(r"^[ \t]+", re.M)
_SPACES = re.compile(r"[ \t\r\n\f]+")
_NEWLINE = re.compile(r"\r?\n")
_BLANK_LINES = re.compile(r"\n{3,}")
_SENTINELS = re.compile("[\ue000-\ue003\0]")
INLINE_DATA = "\ue003"  # stands for the n-th data: address while html.parser reads the tags around it
# A quoted attribute value that is a data: image (base64 may be wrapped over lines).
_DATA_URI = re.compile(r"(?i)(?<=[\"'])data:image/[a-z0-9.+-]{1,30};base64,[A-Za-z0-9+/=\s]++(?=[\"'])")
_TOKEN = re.compile("\ue003([0-9]{1,7})\ue003")
_DATA_IMAGE = re.compile(r"(?i)^data:image/[a-z0-9.+-]{1,30};base64,[A-Za-z0-9+/=]*+$")
MAX_TAG = 4096  # a tag longer than this (without its inline images) is text
_FORGED = re.compile("[\ue000\ue001\0]")

_SKIP = frozenset({"script", "style", "head", "title", "template"})
_VOID = frozenset({"br", "img", "hr", "wbr", "input", "meta", "link", "col", "area", "base", "embed", "source"})
# An opening tag closes the open element it implies the end of, looking no further than its boundaries.
_IMPLIED = {
    "li": ({"li"}, {"ul", "ol", "table"}),
    "p": ({"p"}, {"li", "td", "th", "blockquote", "div", "table"}),
    "td": ({"td", "th"}, {"tr", "table"}),
    "th": ({"td", "th"}, {"tr", "table"}),
    "tr": ({"tr"}, {"table"}),
}


def escape_markdown(text: str) -> str:
    """Escape text so a CommonMark renderer shows it literally (no markup, no raw HTML)."""
    text = _INDENT.sub("", _INLINE.sub(r"\\\1", text))
    return escape_line_starts(text)


class _Converter(HTMLParser):
    """Read HTML once, keeping at most MAX_DEPTH open elements, and build Markdown bottom-up."""

    def __init__(self, payloads: list[str]) -> None:
        """Start at the document's root; `payloads` are the data: addresses set aside."""
        super().__init__(convert_charrefs=True)
        self.payloads = payloads
        self.stack = [Frame("", {})]
        self.ignored: dict[str, int] = {}  # tags opened too deep (or inside <pre>), whose end tags are ignored
        self.skipping = self.pre = self.indent = 0
        self.work = self.peak = 0  # characters assembled and deepest nesting: the bound the tests check

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open an element, emit a void one, or ignore one too deep to keep."""
        attrs = [(name, self._restore(value)) for name, value in attrs if name in ("href", "src", "alt")]
        if tag in _SKIP:
            self.skipping += 1
        elif tag == "br":
            self._add("inline", "\n" if self.pre else BR)
        elif tag == "img" and not self.pre:
            self._add("inline", _image(dict(attrs)))
        elif tag == "hr" and not self.pre:
            self._add("block", "---")
        elif tag not in _VOID:
            self._open(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """A self-closed tag (<br/>) is its start tag alone; <p/> opens nothing."""
        if tag in _VOID:
            self.handle_starttag(tag, attrs)

    def _open(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Push a frame after closing the element this tag implies the end of."""
        if tag in _IMPLIED and not self.pre:
            closes, bounds = _IMPLIED[tag]
            for index in range(len(self.stack) - 1, 0, -1):
                if self.stack[index].tag in closes:
                    self._close_to(index)
                    break
                if self.stack[index].tag in bounds:
                    break
        too_deep = len(self.stack) > MAX_DEPTH or (tag in _INDENTING and self.indent >= MAX_INDENT)
        if self.pre or too_deep:
            self.ignored[tag] = self.ignored.get(tag, 0) + 1
            return
        self.stack.append(Frame(tag, dict(attrs) if tag == "a" else {}))
        self.peak = max(self.peak, len(self.stack) - 1)
        if tag == "pre":
            self.pre = 1
        self.indent += tag in _INDENTING

    def handle_endtag(self, tag: str) -> None:
        """Close the nearest open element of this name (and any left open inside it)."""
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
            return
        if self.ignored.get(tag):
            self.ignored[tag] -= 1
            return
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                self._close_to(index)
                return

    def handle_data(self, data: str) -> None:
        """Keep visible text: as it is inside <pre>, else with whitespace collapsed and escaped."""
        if self.skipping:
            return
        data = self._restore(_FORGED.sub("\ufffd", data))  # a character reference can spell a sentinel
        self._add("inline", data if self.pre else _INLINE.sub(r"\\\1", _SPACES.sub(" ", data)))

    def _restore(self, text: str | None) -> str:
        """Put the data: addresses set aside back into a text or an attribute's value."""
        if not text or INLINE_DATA not in text:
            return text or ""
        return _TOKEN.sub(lambda m: self.payloads[int(m.group(1))], text)

    def _add(self, kind: str, text: str) -> None:
        """Append a chunk to the innermost open element."""
        if text and not self.skipping:
            self.stack[-1].chunks.append((kind, text))

    def _close_to(self, index: int) -> None:
        """Close the frames from the top of the stack down to `index`, each into its parent."""
        while len(self.stack) > index:
            frame = self.stack.pop()
            if frame.tag == "pre":
                self.pre = 0
            self.indent -= frame.tag in _INDENTING
            chunks = render(frame, self.stack)
            self.work += sum(len(text) for _, text in chunks)
            self.stack[-1].chunks.extend(chunks)

    def markdown(self) -> str:
        """Close every open element and return the document's Markdown."""
        self._close_to(1)
        return blocks(self.stack[0].chunks, "\n\n")


def _image(attrs: dict[str, str]) -> str:
    """Return an image as Markdown (web and data: addresses), else its alt text."""
    alt = _INLINE.sub(r"\\\1", _SPACES.sub(" ", _SENTINELS.sub(" ", attrs.get("alt") or ""))).strip()
    src = (attrs.get("src") or "").strip()
    if src[:5].lower() == "data:":
        src = src if _DATA_IMAGE.match(src) else "data:invalid"
    elif not WEB_LINK.match(src):
        return alt
    return f"![{alt}]({src.translate(URL_UNSAFE)})"


def html_to_markdown(html: str, newlines_are_breaks: bool = False) -> str:
    """Return an HTML fragment as escaped Markdown showing its formatting (see the module docstring)."""
    html = _SENTINELS.sub("\ufffd", html)
    payloads: list[str] = []

    def keep(match: re.Match) -> str:
        """Set a data: address aside, so that every tag stays short."""
        payloads.append("".join(match.group(0).split()))
        return f"{INLINE_DATA}{len(payloads) - 1}{INLINE_DATA}"

    html = _DATA_URI.sub(keep, html)
    if newlines_are_breaks:  # Moodle's own format: a source line break is kept (Markdown shows it as a space)
        html = _NEWLINE.sub(SOFT, html)
    converter = _Converter(payloads)
    converter.feed(_unclosed_as_text(html))
    converter.close()
    return _BLANK_LINES.sub("\n\n", converter.markdown()).strip()


def _unclosed_as_text(html: str) -> str:
    """Escape each `<` that html.parser would rescan to the end: no `>` within MAX_TAG, `<!--` never closed, `<![`."""
    # html.parser retries an unfinished construct at every later `<`, scanning to the end each time (quadratic).
    # Each search below starts after the previous result, so the whole pass reads the text a bounded number of times.
    out, start, gt, close = [], 0, -1, -1
    at = html.find("<")
    while at >= 0:
        comment = html.startswith("<!--", at)
        if comment and close is not None and close < at + 4:
            close = html.find("-->", at + 4)
            close = None if close < 0 else close
        if gt is not None and gt < at:
            gt = html.find(">", at)
            gt = None if gt < 0 else gt
        tag_ok = gt is not None and gt - at <= MAX_TAG and not html.startswith("<![", at)
        if not (close is not None if comment else tag_ok):
            out.append(html[start:at] + "&lt;")
            start = at + 1
        elif comment:
            at = close
        at = html.find("<", at + 1)
    return "".join(out) + html[start:]


def to_markdown(text: str, fmt: str) -> str:
    """Convert text in a Moodle text format (moodle, html, plain, markdown) to our Markdown."""
    if fmt == "markdown":
        return text.strip()
    if fmt == "plain":
        return escape_markdown(text.strip())
    return html_to_markdown(text, newlines_are_breaks=fmt == "moodle")
