"""HTML in imported text becomes Markdown that shows the same formatting, in bounded work; inline images are lifted."""

import base64
import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from quizapp import textfmt
from quizapp.banks.formats import drafts, textconv
from quizapp.banks.formats.gift import parse_gift
from quizapp.banks.formats.textconv import MAX_DEPTH, html_to_markdown

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n fake pixels").decode()


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        ("Push <b>hard</b> and <i>fast</i>, <u>always</u>", "Push **hard** and *fast*, *always*"),
        ("<strong> spaced </strong>out", "**spaced** out"),
        ("<b>a <b>b</b></b>", "**a b**"),  # the same emphasis nested is written once
        ('<a href="https://aha.org/x_y(1)">AHA</a>', "[AHA](https://aha.org/x_y%281%29)"),
        ('<a href="javascript:alert(1)">go</a> <a href="/local">here</a>', "go here"),
        ("<ul><li>one<li>two<ul><li>deep</ul><li>three</ul>", "- one\n- two\n  - deep\n- three"),
        ("<ol><li>a</li><li>b<ol><li>c</li></ol></li></ol>", "1. a\n2. b\n   1. c"),
        ("<ol><li><p>para</p><p>more</p></li></ol>", "1. para\n\n   more"),
        (
            "<table><tr><th>Drug</th><th>Dose</th></tr><tr><td>Adrenaline</td><td>1 mg|IV</td></tr></table>",
            "| Drug | Dose |\n| --- | --- |\n| Adrenaline | 1 mg\\|IV |",
        ),
        ("<table><tr><td>a<td>b<tr><td>c</table>", "| a | b |\n| --- | --- |\n| c |  |"),
        ("<pre>30:2\n  *then* ```\n<b>x</b></pre>", "````\n30:2\n  *then* ```\nx\n````"),
        ("a<br>b<br/><br>c", "a\\\nb\n\nc"),
        ("<p>one</p><p>two</p>", "one\n\ntwo"),
        ("<p>1. not a list</p><p># not a heading</p>x<br>- y", "1\\. not a list\n\n\\# not a heading\n\nx\\\n\\- y"),
        ('<img src="https://x.org/a.png" alt="AED [pads]">', "![AED \\[pads\\]](https://x.org/a.png)"),
        ('<img src="/relative.png" alt="pads">', "pads"),
        ("<img src='data:image/jpeg;base64,\nQQ==\n' alt=x>", "![x](data:image/jpeg;base64,QQ==)"),  # wrapped base64
        ('<img src="data:text/html,<b>x</b>">', "![](data:invalid)"),  # refused by drafts.take_images
        ("see data:image/png;base64,AAAA here", "see data:image/png;base64,AAAA here"),  # text stays text
        ("<h1>Title</h1><blockquote>said</blockquote><hr>end", "### Title\n\n> said\n\n---\n\nend"),
        ("<blink>kept</blink> <script>gone()</script><style>p{}</style> &lt;b&gt; &amp;", "kept \\<b\\> \\&"),
        ("<b>bold <p>block</p></b>", "bold\n\nblock"),  # blocks inside emphasis keep their text
        ("<![CDATA[x]]> <!-- note --> <!-- open", "\\<!\\[CDATA\\[x\\]\\]\\> \\<!-- open"),
    ],
)
def test_html_becomes_markdown(html, markdown):
    """Each kind of formatting has its Markdown; unknown tags keep their text; script and style go."""
    assert html_to_markdown(html) == markdown


def test_converted_markdown_renders_as_the_html_meant():
    """Through the app's own renderer: a table, a list, a link, strong and em, and no raw HTML."""
    html = "<p><b>B</b> <i>I</i> <a href='https://x.org'>L</a></p><ul><li>x</li></ul><table><tr><td>t</td></tr></table>"
    rendered = str(textfmt.markdown(html_to_markdown(html + "<script>alert(1)</script><img src=x onerror=y>")))
    for tag in ("<strong>B</strong>", "<em>I</em>", 'href="https://x.org"', "<li>x</li>", "<th>t</th>"):
        assert tag in rendered
    assert "<script" not in rendered and "onerror" not in rendered


def test_moodle_format_keeps_source_lines():
    """In Moodle's own format a source newline stays a Markdown line break; <br> is a hard break."""
    assert textconv.to_markdown("<u>a</u>\nb<br>c", "moodle") == "*a*\nb\\\nc"
    assert textconv.to_markdown("a\nb", "html") == "a b"


def bounded(html: str) -> textconv._Converter:
    """Convert `html` and return the converter, whose counters say how deep it went and how much it assembled."""
    converter = textconv._Converter([])
    converter.feed(textconv._unclosed_as_text(html))
    converter.close()
    converter.markdown()
    return converter


@pytest.mark.parametrize(
    "html",
    [
        "<b>" * 262_144,  # 1 MB of <b>
        "<b>x" * 100_000,
        "<div>" * 50_000 + "x" + "</div>" * 50_000,
        "<ul><li>" * 30_000 + "x",
        "<ol><li>x<br>" * 50_000,
        "<blockquote>x<br>" * 50_000,
        "<table><tr><td>" * 20_000,
        '<a href="https://x.org">' * 30_000 + "x",
        "<pre>" + "<i>" * 50_000 + "x\n" * 1000,
    ],
)
def test_adversarial_html_is_bounded(html):
    """Depth never passes MAX_DEPTH and the Markdown assembled is at most MAX_DEPTH + 1 times the input's size."""
    converter = bounded(html)
    assert converter.peak <= MAX_DEPTH
    assert converter.work <= (MAX_DEPTH + 1) * len(html)


def test_deep_nesting_keeps_its_text():
    """Tags past the depth limit are ignored, never their text."""
    html = "<i>" * 500 + "deep words" + "</i>" * 500 + " after"
    assert html_to_markdown(html) == "*deep words* after"


def test_lists_and_quotes_nest_at_most_max_indent_deep():
    """Deeper lists become items of the deepest one kept, so no line is indented past MAX_INDENT levels."""
    lines = html_to_markdown("".join(f"<ul><li>{c}" for c in "abcdefghij")).split("\n")
    assert [line.strip() for line in lines] == [f"- {c}" for c in "abcdefghij"]
    assert max(len(line) - len(line.lstrip(" ")) for line in lines) == 2 * (textconv.MAX_INDENT - 1)
    quotes = html_to_markdown("<blockquote>q" * 10)
    assert max(line.count(">") for line in quotes.split("\n")) == textconv.MAX_INDENT


def test_unclosed_constructs_are_text():
    """A `<` that html.parser would rescan to the end every time is escaped once, in one pass."""
    assert textconv._unclosed_as_text("<a<a") == "&lt;a&lt;a"
    assert textconv._unclosed_as_text("<!--x> <b>y</b>") == "&lt;!--x> <b>y</b>"
    assert textconv._unclosed_as_text("<!-- a --> <b>") == "<!-- a --> <b>"
    long_tag = "<a " + "x" * (textconv.MAX_TAG + 1) + ">"
    assert textconv._unclosed_as_text(long_tag) == "&lt;" + long_tag[1:]


def test_inline_images_are_lifted_out_of_every_text():
    """data: images in the stem and a choice become references to their bytes; the same bytes are one image."""
    img = f'<img alt="pads" src="data:image/png;base64,{PNG[:8]}\n{PNG[8:]}">'
    escaped = img.replace("=", "\\=")  # as Moodle writes GIFT: `=` in an answer is escaped
    result = parse_gift(f"::q::[html]Where? {img}{{=[html]{escaped}~other}}")
    assert result.errors == []
    (draft,) = result.drafts
    ref = "inline-image:" + hashlib.sha256(base64.b64decode(PNG)).hexdigest()
    assert draft.images == (drafts.InlineImage(ref, "image/png", base64.b64decode(PNG)),)
    assert draft.data["stem"] == f"Where? ![pads]({ref})"
    assert draft.data["choices"][0]["text"] == f"![pads]({ref})"
    stored = drafts.with_urls(draft.data, {ref: "/media/" + "a" * 64 + ".png"})
    assert stored["stem"] == "Where? ![pads](/media/" + "a" * 64 + ".png)"


@pytest.mark.parametrize(
    ("src", "problem"),
    [
        ("data:image/gif;base64,R0lGODlh", "inline image 1 is a image/gif file: only PNG, JPEG and WebP"),
        ("data:image/svg+xml;base64,PHN2Zz4=", "inline image 1 is a image/svg+xml file"),
        ("data:image/png;base64,@@@", "inline image 1 is not a base64 image"),
        ("data:image/png;base64,AAA", "inline image 1 is not valid base64 data"),
    ],
)
def test_bad_inline_images_refuse_their_question_only(src, problem):
    """A question whose image cannot be imported is an error in words on its line; the next question still parses."""
    result = parse_gift(f'[html]Q <img src="{src}">{{T}}\n\nNext{{F}}')
    assert [d.data["stem"] for d in result.drafts] == ["Next"]
    assert result.errors[0].line == 1 and problem in result.errors[0].message


def test_oversized_and_too_many_inline_images():
    """More than 1 MB, or more than MAX_IMAGES images in one question, is refused with the reason."""
    big = base64.b64encode(b"\x89PNG" + bytes(drafts.MAX_IMAGE_BYTES)).decode()
    data, _, problems = drafts.take_images({"stem": f"![x](data:image/png;base64,{big})"})
    assert problems == ["inline image 1 is larger than 1 MB"] and data["stem"].startswith("![x](data:")
    many = " ".join(f"![{i}](data:image/png;base64,{base64.b64encode(bytes([i])).decode()})" for i in range(21))
    _, images, problems = drafts.take_images({"stem": many})
    assert len(images) == drafts.MAX_IMAGES
    assert problems == [f"more than {drafts.MAX_IMAGES} inline images in one question"]


def test_escaped_text_is_never_an_image():
    """Text that only spells a data: address (its `]` escaped) stays text."""
    stem = textconv.escape_markdown(f"see ](data:image/png;base64,{PNG})")
    data, images, problems = drafts.take_images({"stem": stem})
    assert (data["stem"], images, problems) == (stem, [], [])
    assert "<img" not in MarkdownIt("commonmark").render(stem)


PIECES = [
    "<b>", "</b>", "<i>", "</i>", "<u>", "<p>", "</p>", "<br>", "<ul>", "<ol>", "<li>", "</li>", "</ul>", "<table>",
    "<tr>", "<td>", "<th>", "</table>", "<pre>", "</pre>", "<a href='https://x.org'>", "</a>", "<h2>", "</h2>",
    "<blockquote>", "<script>", "</script>", "<!--", "-->", "<", ">", "&amp;", "&#xe000;", "\n", " ", "  ", "x", "1.",
    "#", "-", "*", "_", "|", "`", "\\", "[", "]", "(", ")", "=", '<img src="data:image/png;base64,QQ==" alt="a">',
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30), st.booleans())
def test_any_tag_soup_gives_clean_markdown(pieces, moodle):
    """Whatever the HTML, the result holds no sentinel and renders with no raw HTML or script."""
    markdown = html_to_markdown("".join(pieces), newlines_are_breaks=moodle)
    assert not any(ch in markdown for ch in "\ue000\ue001\ue002\ue003\0")
    rendered = MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown)
    assert "<script" not in rendered and "<b>" not in rendered and "<u>" not in rendered
