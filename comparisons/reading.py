"""How pages are laid out for reading: an article's sections and table of contents, and link
blocks that never repeat a comparison (see docs/reading.md)."""

import re
from dataclasses import dataclass, field

from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from .interest import BLOCK_SIZE, blocks_for_page

SUMMARY_HEADING = "in a nutshell"
TOC_MIN_HEADINGS = 2  # an article with fewer body headings is short enough to scan
_H2 = re.compile(r"<h2>(.*?)</h2>", re.DOTALL)


@dataclass
class Article:
    """A comparison's rendered body, split for the page.

    `body` is what comes before the table, `summary` the closing "In a nutshell" section the
    seed shows after it (empty when there is none); both are safe HTML whose h2 headings carry
    ids. `headings` are (id, text) of the body's h2 headings, in order.
    """

    body: str
    summary: str = ""
    headings: list = field(default_factory=list)
    summary_heading: tuple | None = None


def article_of(body_html):
    """Split sanitized `body_html` into an Article; give each h2 an id ("section-<slug>")."""
    used, headings = set(), []

    def with_id(match):
        text = strip_tags(match.group(1)).strip()
        base = "section-" + (slugify(text) or "part")
        anchor, number = base, 2
        while anchor in used:
            anchor, number = f"{base}-{number}", number + 1
        used.add(anchor)
        headings.append((anchor, text))
        return f'<h2 id="{anchor}">{match.group(1)}</h2>'

    html = _H2.sub(with_id, body_html or "")
    if headings and headings[-1][1].lower() == SUMMARY_HEADING:
        start = html.rindex(f'<h2 id="{headings[-1][0]}">')
        return Article(
            body=mark_safe(html[:start]),  # noqa: S308 - sanitized on save; ids are slugs
            summary=mark_safe(html[start:]),  # noqa: S308
            headings=headings[:-1],
            summary_heading=headings[-1],
        )
    return Article(body=mark_safe(html), headings=headings)  # noqa: S308


def shows_contents(article):
    """Return whether the article is long enough for an "On this page" list."""
    return len(article.headings) >= TOC_MIN_HEADINGS


def without_repeats(blocks, shown=(), size=BLOCK_SIZE):
    """Return `blocks` (dicts with "items", each item with an "id") so that no comparison
    appears twice on the page: not one of `shown` (ids the page lists already), nor one an
    earlier block lists. Each block keeps at most `size` items; a block left with none is
    dropped.
    """
    seen, kept = set(shown), []
    for block in blocks:
        items = [item for item in block["items"] if item["id"] not in seen][:size]
        seen.update(item["id"] for item in items)
        if items:
            kept.append({**block, "items": items})
    return kept


def sidebar_blocks(shown=(), category_ids=(), exclude_category_ids=(), exclude_id=None):
    """Return the "Most searched" blocks of a page: its own categories first, then the others,
    without `exclude_category_ids`, and without any comparison the page shows already."""
    blocks = [
        block
        for block in blocks_for_page(
            category_ids, exclude_id=exclude_id, limit_blocks=None, size=None
        )
        if block["category_id"] not in exclude_category_ids
    ]
    return without_repeats(blocks, shown=shown)
