"""Markdown bodies rendered to safe HTML, once, when a comparison is saved."""

import bleach
import markdown

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "a",
        "em",
        "strong",
        "code",
        "pre",
        "blockquote",
    }
)
ALLOWED_ATTRIBUTES = {"a": ["href", "title"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})


def _markdown_without_raw_html():
    """A Markdown converter that treats raw HTML as text, so it is shown, escaped."""
    converter = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    return converter


def render_markdown(source: str) -> str:
    """Return sanitized HTML for Markdown `source`.

    Raw HTML in the source is escaped rather than interpreted; only headings,
    paragraphs, lists, links (http, https, mailto), emphasis, code and
    blockquotes survive. A top-level heading is demoted to h2, as the page
    title is the only h1.
    """
    html = _markdown_without_raw_html().convert(source or "")
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return bleach.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )
