"""Safe text: Markdown to sanitised HTML, and spreadsheet-safe cells (pure)."""

from __future__ import annotations

import re
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markupsafe import Markup

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
# Authored text may only show images uploaded here: any other address would make every reader's browser send a
# signed-in GET there (an admin previewing a question could run a download by just seeing it).
MEDIA_SRC = re.compile(r"^/media/[0-9a-f]{64}\.(?:png|jpg|webp)$")


def _image(renderer, tokens, idx, options, env) -> str:
    """Render an uploaded image as an image, and any other image as a plain link to its address."""
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    if MEDIA_SRC.match(src):
        return renderer.image(tokens, idx, options, env)
    text = renderer.renderInlineAsText(token.children or [], options, env) or src
    return f'<a href="{escapeHtml(src)}">{escapeHtml(text)}</a>'


_md.add_render_rule("image", _image)

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
    "sub",
    "sup",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"https", "http", "mailto"}
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Where a spreadsheet may start a new cell inside our text: the start, and after any character that some locale
# or import dialog takes as a separator (`,` `;` tab) or a line end, when it does not honour our quoting. Spaces and
# quotes there are skipped, as spreadsheets skip them, before looking for a formula's first character.
_CELL_START = re.compile(r'(?:^|(?<=[,;\t\r\n]))[ "]*(?=[=+\-@\t\r])')


def _clean(html: str) -> str:
    """Apply the allow-list to rendered HTML."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        attribute_filter=_media_only,
    )


def _media_only(tag: str, attribute: str, value: str) -> str | None:
    """Keep an image's address only when it is an uploaded image (the sanitiser's own check, after rendering)."""
    if tag == "img" and attribute == "src" and not MEDIA_SRC.match(value):
        return None
    return value


@lru_cache(maxsize=8192)
def markdown(text: str) -> Markup:
    """Render block Markdown to sanitised HTML (cached: question text is immutable per version)."""
    # Sanitised by nh3's allow-list just before being marked safe.
    return Markup(_clean(_md.render(text or "")))  # noqa: S704  # nosec B704


@lru_cache(maxsize=8192)
def markdown_inline(text: str) -> Markup:
    """Render one line of Markdown (a choice, a label) to sanitised inline HTML."""
    # Sanitised by nh3's allow-list just before being marked safe.
    return Markup(_clean(_md.renderInline(text or "")))  # noqa: S704  # nosec B704


def safe_cell(value: object) -> object:
    """Neutralise text a spreadsheet could read as a formula: an apostrophe before every formula start it holds."""
    # Not only at the start of the cell: a spreadsheet whose separator is `;` (or tab) splits `a;=cmd()` written
    # by a `,` CSV writer into two cells, the second a formula, whatever the quoting.
    if isinstance(value, str):
        return _CELL_START.sub(_apostrophe, value)
    return value


def _apostrophe(match: re.Match) -> str:
    """Return the skipped spaces and quotes, then an apostrophe before the formula's first character."""
    return match.group(0) + "'"
