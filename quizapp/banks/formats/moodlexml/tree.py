"""Safe XML reading for Moodle XML files: defusedxml's SAX reader into a small tree with line numbers.

A DTD (and so any entity, internal or external) is refused, nothing is fetched, elements nest at
most MAX_DEPTH deep and a file holds at most MAX_ELEMENTS; one pass, linear in the file's size.
"""

from __future__ import annotations

import re
from xml.sax import SAXException
from xml.sax.handler import ContentHandler

from defusedxml import DefusedXmlException
from defusedxml.sax import parseString

MAX_DEPTH = 16  # Moodle's own files nest 6 deep (quiz, question, answer, feedback, text)
MAX_ELEMENTS = 100_000  # a 1 MB Moodle export holds about 20,000
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]{0,200}\?>")


class XmlRefused(ValueError):
    """A file that is not a Moodle XML file we read (malformed, a DTD, too deep or too large)."""


class Node:
    """One element: its tag, attributes, the line it starts on, its children and its text."""

    # Slots and shared empty tuples until a child or text arrives: fewer objects for the garbage collector
    # to walk, which otherwise makes building a large tree grow faster than the file.
    __slots__ = ("attrs", "children", "line", "parts", "tag")

    def __init__(self, tag: str, attrs: dict[str, str], line: int) -> None:
        """Open an element with no children or text yet."""
        self.tag, self.attrs, self.line = tag, attrs, line
        self.children: list[Node] | tuple = ()
        self.parts: list[str] | tuple = ()

    @property
    def text(self) -> str:
        """Return the element's own text (CDATA included), not its children's."""
        return "".join(self.parts)

    def first(self, tag: str) -> Node | None:
        """Return the first child with this tag, if any."""
        return next((child for child in self.children if child.tag == tag), None)

    def every(self, tag: str) -> list[Node]:
        """Return the children with this tag, in order."""
        return [child for child in self.children if child.tag == tag]

    def value(self, tag: str, default: str = "") -> str:
        """Return a child's stripped text, or the default when the child is absent."""
        child = self.first(tag)
        return default if child is None else child.text.strip()

    def inner_text(self) -> str:
        """Return the stripped text of this element's <text> child (Moodle's usual wrapper)."""
        return self.value("text")


class _TreeBuilder(ContentHandler):
    """Build Nodes of the kept tags from SAX events, refusing too deep or too many elements as they come."""

    def __init__(self, keep: frozenset[str]) -> None:
        """Start with no tree; elements of other tags (and all inside them) are counted, not kept."""
        super().__init__()
        self.keep = keep
        self.root: Node | None = None
        self.stack: list[Node | None] = []
        self.count = 0

    def startElement(self, name: str, attrs) -> None:
        """Open an element under the current one."""
        self.count += 1
        if self.count > MAX_ELEMENTS:
            raise XmlRefused(f"the file has more than {MAX_ELEMENTS} XML elements")
        if len(self.stack) >= MAX_DEPTH:
            raise XmlRefused(f"XML elements are nested more than {MAX_DEPTH} deep")
        parent = self.stack[-1] if self.stack else None
        if (self.stack and parent is None) or (self.root is not None and name not in self.keep):
            self.stack.append(None)
            return
        node = Node(name, dict(attrs), self._locator.getLineNumber() if self._locator else 0)
        if parent is not None:
            if not parent.children:
                parent.children = []
            parent.children.append(node)
        else:
            self.root = node
        self.stack.append(node)

    def endElement(self, name: str) -> None:
        """Close the current element."""
        self.stack.pop()

    def characters(self, content: str) -> None:
        """Keep text for the current element (when it is kept)."""
        node = self.stack[-1] if self.stack else None
        if node is not None:
            if not node.parts:
                node.parts = []
            node.parts.append(content)


def read_tree(text: str, keep: frozenset[str]) -> Node:
    """Parse XML text into Nodes of the root and the `keep` tags; XmlRefused says why a file cannot be read."""
    # The text is already decoded: an encoding named in the declaration no longer applies.
    data = _XML_DECLARATION.sub("", text.removeprefix("\ufeff"), count=1).encode("utf-8")
    builder = _TreeBuilder(keep)
    try:
        parseString(data, builder, forbid_dtd=True)
    except SAXException as exc:
        line = getattr(exc, "getLineNumber", lambda: None)()
        raise XmlRefused(f"line {line}: the file is not well-formed XML: {exc.getMessage()}") from None
    except DefusedXmlException:
        raise XmlRefused("the file declares a DTD (<!DOCTYPE ...>); Moodle XML files have none") from None
    if builder.root is None:
        raise XmlRefused("the file holds no XML element")
    return builder.root
