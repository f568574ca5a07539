"""Plain text to safe HTML: the one place that knows about bleach.

Everything typed is shown literally; only links, line breaks and paragraphs are added.
"""

import html
import re
from functools import cache

from bleach.linkifier import EMAIL_RE, Linker, build_url_re

LINK_REL = "nofollow ugc noopener"
MAX_LINK_TEXT = 72
ELLIPSIS = "\u2026"

# Only addresses typed with http(s):// or starting with www. become links (not "file.py").
_LINKABLE_TEXT = re.compile(r"^(https?://|www\.)", re.IGNORECASE)
_SAFE_HREF = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")


def _only_web_and_mail(attrs, new=False):
    """Unlink anything that is not an http(s) address typed as one, or an e-mail address."""
    href = attrs.get((None, "href"), "")
    if not _SAFE_HREF.match(href):
        return None
    typed_as_address = _LINKABLE_TEXT.match(attrs.get("_text", ""))
    if new and not href.lower().startswith("mailto:") and not typed_as_address:
        return None
    return attrs


def _rel(attrs, new=False):
    attrs[(None, "rel")] = LINK_REL
    return attrs


def _trim_text(attrs, new=False):
    text = attrs.get("_text", "")
    if len(text) > MAX_LINK_TEXT:
        attrs["_text"] = text[: MAX_LINK_TEXT - 1] + ELLIPSIS
    return attrs


@cache
def _linker():
    return Linker(
        callbacks=[_only_web_and_mail, _rel, _trim_text],
        url_re=build_url_re(protocols=["http", "https"]),
        email_re=EMAIL_RE,
        parse_email=True,
    )


# Control characters no page, feed or mail can show (NUL is left to the form's own check).
_CONTROLS = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Explicit embeddings, overrides and isolates: in a name they can turn the text around them
# (an e-mail's line, the admin's headings); right-to-left letters need none of them.
_DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile(r"\r\n|[\n\r\x85\u2028\u2029]")


def without_controls(text):
    """Return `text` without control characters; line breaks and tabs stay."""
    return _CONTROLS.sub("", text)


def one_line(text):
    """Return `text` (a name, a subject) on one line, without control characters or
    direction controls: every line break becomes a space."""
    text = _LINE_BREAKS.sub(" ", text)
    return _DIRECTION_CONTROLS.sub("", without_controls(text)).strip()


def render_plain_text(text):
    """Return `text` as safe HTML: escaped, linked, with paragraphs and line breaks.

    The result holds only <p>, <br> and <a href rel> elements; every character typed is
    shown as typed.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if not text.strip():
        return ""
    paragraphs = [part.strip("\n") for part in _BLANK_LINES.split(text)]
    escaped = "".join(
        "<p>" + html.escape(part, quote=False).replace("\n", "<br>\n") + "</p>\n"
        for part in paragraphs
        if part.strip()
    )
    return _linker().linkify(escaped).strip()


def count_links(rendered_html):
    """Return how many links `rendered_html` (from render_plain_text) holds."""
    return rendered_html.count("<a ")
