import unicodedata

from django import template
from django.template.loader import render_to_string
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from pagecache.fragments import fragment

from ..invalidation import CATEGORY_NAV
from ..models import Category

register = template.Library()


@register.simple_tag(takes_context=True)
def category_nav(context, current=None):
    """Render the list of categories, marking `current` as the page's own. On pages that
    name the CATEGORY_NAV tag (`keep_category_nav`) it is rendered once per change of the
    categories (and per `current`)."""

    def render():
        return render_to_string(
            "includes/_category_nav.html",
            {"categories": Category.objects.navigation(), "current": current},
        )

    if not context.get("keep_category_nav"):
        return render()
    name = f"category-nav:{current.pk if current else ''}"
    return fragment(name, render, lambda _html: [CATEGORY_NAV])


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """Return the current query string with `changes` applied, e.g. for pagination links."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return "?" + params.urlencode()


FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"


# Bidirectional classes that can change how the text around them is laid out: right-to-left
# letters and digits, and the embedding, override and isolate controls. Text made only of
# left-to-right letters and neutrals reads the same isolated or not in our left-to-right pages.
TURNING_CLASSES = {"R", "AL", "AN", "LRE", "LRO", "RLE", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}


def can_turn_text(text):
    """Return whether `text` holds right-to-left letters or direction controls."""
    text = str(text)
    if text.isascii():  # no ASCII character is of a turning class
        return False
    return any(unicodedata.bidirectional(char) in TURNING_CLASSES for char in text)


@register.filter
def bdi(name):
    """Return `name` escaped, inside <bdi> when it could turn the text after it.

    A subject or category name may hold right-to-left text or an override character; isolated,
    it keeps its own direction and the words around it keep theirs. Safe HTML (a highlighted
    name) is kept as it is.
    """
    if can_turn_text(name):
        return format_html("<bdi>{}</bdi>", name)
    return conditional_escape(name)


@register.filter
def isolated(text):
    """Return plain `text`, between Unicode isolate marks when it could turn the text after it:
    what <bdi> does, for places HTML cannot go (the page <title>, meta tags, attributes)."""
    if can_turn_text(text):
        return f"{FIRST_STRONG_ISOLATE}{text}{POP_DIRECTIONAL_ISOLATE}"
    return text


def title_pieces(comparison):
    """Split the comparison's title into (text, is_subject_name) pieces, longest names first."""
    pieces = [(str(comparison.title), False)]
    names = {comparison.first_subject.name, comparison.second_subject.name} - {""}
    for name in sorted(names, key=len, reverse=True):
        split = []
        for text, is_name in pieces:
            if is_name:
                split.append((text, True))
                continue
            for index, part in enumerate(text.split(name)):
                if index:
                    split.append((name, True))
                if part:
                    split.append((part, False))
        pieces = split
    return pieces


@register.filter
def comparison_title(comparison):
    """Return the comparison's title as HTML: escaped, and (with the `bdi` filter's rule) each
    subject name in it isolated, then the whole title isolated from what follows it."""
    inner = mark_safe(
        "".join(
            bdi(text) if is_name else conditional_escape(text)
            for text, is_name in title_pieces(comparison)
        )
    )
    return bdi(inner)


@register.filter
def comparison_title_text(comparison):
    """Return the comparison's title as plain text, each subject name and then the whole title
    isolated by the `isolated` filter's rule, for the page <title> and meta tags."""
    return isolated(
        "".join(isolated(text) if is_name else text for text, is_name in title_pieces(comparison))
    )
