"""Site search: one entry point, `search_comparisons`."""

import re

from django.db.models import Q

from .models import Comparison

STOP_WORDS = frozenset(
    {
        "vs",
        "v",
        "versus",
        "and",
        "or",
        "the",
        "a",
        "an",
        "of",
        "is",
        "what",
        "between",
        "difference",
        "differences",
        "compare",
        "comparison",
        "which",
    }
)
MAX_QUERY_LENGTH = 200


def query_terms(query):
    """Return the meaningful lower-case words of `query`, without filler such as "vs"."""
    words = re.findall(r"\w+", (query or "")[:MAX_QUERY_LENGTH].lower())
    return [word for word in words if word not in STOP_WORDS][:8]


def search_comparisons(query):
    """Return published comparisons matching every meaningful word of `query`."""
    terms = query_terms(query)
    if not terms:
        return Comparison.objects.none()
    matches = Q()
    for term in terms:
        matches &= (
            Q(title__icontains=term)
            | Q(first_subject__name__icontains=term)
            | Q(second_subject__name__icontains=term)
        )
    return Comparison.objects.published().filter(matches).for_listing().newest_first()
