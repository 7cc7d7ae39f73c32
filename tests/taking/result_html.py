"""Read a rendered result (or recommendation) page: what each part of it says about each topic."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

PLACES = ("bars", "table", "why", "review", "practice")


class _Places(HTMLParser):
    """Collect, per part of the page, the topics it marks as below their mark."""

    def __init__(self) -> None:
        """Start with nothing found."""
        super().__init__()
        self.found: dict[str, set[str]] = {place: set() for place in PLACES}
        self.shown: dict[str, set[str]] = {"bars": set(), "table": set()}
        self.section: list[str] = []
        self.why = False
        self.empty_items = 0
        self._item_text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        """Note each element that names a topic, by where it sits."""
        a = dict(attrs)
        topic = a.get("data-topic")
        if tag == "section":
            self.section.append(a.get("class") or "")
        if tag == "ul" and "data-why" in a:
            self.why = True
        if tag == "li":
            self._item_text = []
        if topic and tag == "div" and "topic-bar" in (a.get("class") or ""):
            self.shown["bars"].add(topic)
            if a.get("data-below") == "yes":
                self.found["bars"].add(topic)
        if topic and tag == "tr":
            self.shown["table"].add(topic)
            if a.get("data-below") == "yes":
                self.found["table"].add(topic)
        if topic and tag == "li" and self.why:
            self.found["why"].add(topic)
        if topic and tag == "li" and self.section and self.section[-1] == "topics-to-review":
            self.found["review"].add(topic)
        if tag == "a" and a.get("data-practice"):
            self.found["practice"].add(a["data-practice"])

    def handle_endtag(self, tag: str) -> None:
        """Leave a section or list; count a list item with no words."""
        if tag == "section" and self.section:
            self.section.pop()
        if tag == "ul":
            self.why = False
        if tag == "li" and self._item_text is not None:
            if not "".join(self._item_text).strip():
                self.empty_items += 1
            self._item_text = None

    def handle_data(self, data: str) -> None:
        """Keep the words of the current list item."""
        if self._item_text is not None:
            self._item_text.append(data)


def places(page: str) -> _Places:
    """Parse a page and return what each part says about each topic."""
    parser = _Places()
    parser.feed(page)
    return parser


def text_of(fragment: str) -> str:
    """Return the visible text of an HTML fragment, whitespace collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def table_rows(page: str) -> dict[str, list[str]]:
    """Return each topic row of the score table as its cells' texts."""
    rows = re.findall(r'<tr data-topic="([^"]+)"[^>]*>(.*?)</tr>', page, re.S)
    return {topic: [text_of(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", body, re.S)] for topic, body in rows}


def why_items(page: str) -> list[str]:
    """Return the sentences of the "Why" list."""
    match = re.search(r"<ul data-why>(.*?)</ul>", page, re.S)
    return [text_of(item) for item in re.findall(r"<li[^>]*>(.*?)</li>", match.group(1), re.S)] if match else []


def why_for(page: str, topic: str) -> str | None:
    """Return the "Why" sentence about one topic, if any."""
    match = re.search(rf'<ul data-why>.*?<li data-topic="{re.escape(topic)}">(.*?)</li>', page, re.S)
    return text_of(match.group(1)) if match else None


def next_step_links(page: str) -> list[tuple[str, str]]:
    """Return the (href, text) of each link under "Next steps"."""
    match = re.search(r'<ul class="next-step-links">(.*?)</ul>', page, re.S)
    return (
        [(h, text_of(t)) for h, t in re.findall(r'<a href="([^"]+)">(.*?)</a>', match.group(1), re.S)] if match else []
    )
