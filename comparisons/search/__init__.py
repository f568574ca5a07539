"""Site search: one interface, `search(query)`, with a PostgreSQL and a SQLite implementation.

How a query is answered
1. The query is folded (lower case, no accents or punctuation, "B.P.O." read as "bpo") and
   filler such as "what is the difference between" is dropped. Stop words ("or", "that")
   are not looked for, nor numbers on their own ("1=1").
2. Its sides ("x vs y", "x and y", "x y", or three or more: "x vs y vs z") are resolved to
   subjects by their folded names or aliases, in either British or American spelling
   ("call center" names Call Centre); PostgreSQL also forgives typos with trigram
   similarity. Then the exact pair (or the comparisons among all the named subjects) is
   looked up. A query naming one subject lists every comparison it appears in, with the
   subject's own page first.
3. Every other comparison must contain every word. The tier of a match is the least
   important field needed to find every word: subject names, then the title, then the
   key difference, then the body and rows.

Results are ordered by tier (pair, subject, subject names, title, key difference,
body and rows), then by popularity over 30 days and all time, then newest first.
On PostgreSQL the results come in two segments read one after the other: the named
comparisons and those matching in the short fields (`search_head`), ranked by tier,
then the body-only matches, which share the lowest tier and so can be read in
popularity order straight from an index. Counting stops at MAX_COUNTED; counting a
segment reads its ids, and a segment counted in full is read by those ids (none: no
query), so a rare word never walks the popularity index.

The modules: `query` reads a query, `backend` resolves sides and ranks (shared),
`postgres` and `sqlite` match text on each engine, `results` paginates, `highlighting`
marks matched words.

The search index rule
A comparison's search data (`search_vector` on PostgreSQL, `search_text` on SQLite)
depends on its subjects' names, its title, key difference, body and rows. Whoever saves
any of those calls `update_search_index(comparison_ids)` afterwards: the admin does
(`save_related`, and for subjects `save_model`), `load_demo` does, the benchmark does.
`manage.py reindex_search` rebuilds every comparison, e.g. after a bulk import. Aliases
are not in that data: they live in `SubjectAlias`, kept by `Subject.save`.
"""

from django.db import connection

from pagecache.tags import invalidate

from ..invalidation import SEARCH
from ..models import Comparison
from .highlighting import highlight_words
from .postgres import PostgresSearch
from .query import parse_query, query_terms
from .results import (
    MAX_COUNTED,
    TIER_BODY,
    TIER_KEY,
    TIER_NAMES,
    TIER_PAIR,
    TIER_SUBJECT,
    TIER_TITLE,
)
from .sqlite import SqliteSearch

__all__ = [
    "MAX_COUNTED",
    "TIER_BODY",
    "TIER_KEY",
    "TIER_NAMES",
    "TIER_PAIR",
    "TIER_SUBJECT",
    "TIER_TITLE",
    "highlight_words",
    "parse_query",
    "query_terms",
    "search",
    "search_backend",
    "update_search_index",
    "update_search_index_for_subject",
]


def search_backend():
    """Return the implementation for the configured database."""
    return PostgresSearch() if connection.vendor == "postgresql" else SqliteSearch()


def search(query):
    """Search published comparisons for `query`; see the module docstring for the rules."""
    return search_backend().search(query)


def update_search_index(comparison_ids=None):
    """Rebuild the search data of these comparisons (of all of them when None)."""
    if comparison_ids is not None:
        comparison_ids = list(comparison_ids)
        if not comparison_ids:
            return
    search_backend().update_index(comparison_ids)
    # What any search finds may have changed: drop the cached results pages.
    invalidate(SEARCH)


def update_search_index_for_subject(subject):
    """Rebuild the search data of every comparison `subject` is part of (its name changed)."""
    update_search_index(Comparison.objects.involving(subject).values_list("pk", flat=True))
