"""Marking the words a search matched in the text of its results."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from ..text import fold_text


def highlight_words(text, terms):
    """Return `text` as safe HTML with the words matching `terms` wrapped in <mark>.

    The text is escaped piece by piece before any <mark> is added, so nothing the
    text contains can become markup.
    """
    stems = {word_stem(term) for term in terms if term}
    pieces = []
    for piece in re.split(r"(\w+)", text or ""):
        escaped = escape(piece)
        if piece and stems and word_stem(fold_text(piece)) in stems:
            escaped = f"<mark>{escaped}</mark>"
        pieces.append(escaped)
    return mark_safe("".join(pieces))


_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "es", "ed", "ers", "er", "ly", "s", "e")


def word_stem(word):
    """Return a rough stem of a folded word, good enough to highlight word forms."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word
