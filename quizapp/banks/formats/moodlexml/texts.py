"""Moodle XML texts into Markdown: each element's format (html when absent) and its own @@PLUGINFILE@@ images."""

from __future__ import annotations

import re
from urllib.parse import unquote

from quizapp.banks.formats.moodlexml.tree import Node
from quizapp.banks.formats.textconv import to_markdown

_FORMATS = {"html": "html", "moodle_auto_format": "moodle", "plain_text": "plain", "markdown": "markdown"}
_FORMATS["wiki_like"] = "moodle"  # Moodle's retired wiki format is shown as its auto-format
_PLUGINFILE = re.compile(r"@@PLUGINFILE@@/([^\s\"'<>()?#]{1,300})")
_IMAGE_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}


def text_format(node: Node | None, default: str) -> str:
    """Return the text format of an element as one of textconv's names (Moodle assumes html when unknown)."""
    name = node.attrs.get("format", "").strip() if node is not None else ""
    return _FORMATS.get(name, "html") if name else default


def field_text(node: Node | None, default_format: str) -> str:
    """Return the Markdown of a text element (questiontext, feedback, answer), honouring its format and files."""
    if node is None:
        return ""
    return to_markdown(_inline_files(node), text_format(node, default_format))


def _inline_files(node: Node) -> str:
    """Return the element's text with each @@PLUGINFILE@@/name of its own <file> elements as a data: image."""
    text = node.inner_text()
    files = {f.attrs.get("name", ""): f for f in node.every("file") if f.attrs.get("encoding", "base64") == "base64"}
    if not files or "@@PLUGINFILE@@" not in text:
        return text

    def data_uri(match) -> str:
        """Return the data: address of the named file, or the reference unchanged when there is no such image."""
        name = unquote(match.group(1))
        found = files.get(name.rsplit("/", 1)[-1])
        mime = _IMAGE_TYPES.get(name.rsplit(".", 1)[-1].lower())
        return f"data:{mime};base64,{''.join(found.text.split())}" if found and mime else match.group(0)

    return _PLUGINFILE.sub(data_uri, text)
