"""SQLite: word beginnings through an FTS5 copy of each comparison's folded text."""

import difflib
import re

from django.db import connection
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Least, StrIndex
from django.db.models.lookups import GreaterThan

from ..models import Comparison, DifferenceRow, Subject, SubjectAlias
from ..text import fold_text
from .backend import SearchBackend
from .results import TIER_BODY, TIER_KEY, TIER_NAMES, TIER_TITLE

_MARKER = re.compile(r"\|[abcd]")


class SqliteSearch(SearchBackend):
    """Word-prefix matching over `search_text`, a folded copy of the fields in weight order.

    `search_text` is " |a <subject names> |b <title> |c <key difference> |d <body and rows> ",
    so the first place a word occurs tells the most important field holding it. Matches are
    found through an FTS5 table holding a copy of `search_text` (prefix queries), so only
    matching rows are read. No stemming and no typo forgiveness: those need PostgreSQL.
    """

    vendor = "sqlite"
    MARKERS = ("|b", "|c", "|d")
    FTS_TABLE = "comparisons_search_fts"  # created by the initial migration on SQLite

    def text_match(self, terms):
        # Terms are folded words ([^\W_]+): no quote can end the FTS5 string early. Word
        # beginnings stand in for stemming; numbers and words of one or two letters must
        # match whole.
        query = " AND ".join(
            f'"{term}"*' if len(term) >= 3 and not term.isdigit() else f'"{term}"'
            for term in terms
        )
        return Q(
            pk__in=RawSQL(
                f"SELECT rowid FROM {self.FTS_TABLE} WHERE {self.FTS_TABLE} MATCH %s", (query,)
            )
        )

    def text_tier(self, terms):
        def term_tier(term):
            # The first place a word occurs is in the most important field holding it.
            whole = len(term) < 3 or term.isdigit()
            position = StrIndex("search_text", Value(f" {term} " if whole else f" {term}"))
            return Case(
                *(
                    When(
                        GreaterThan(StrIndex("search_text", Value(marker)), position),
                        then=Value(tier),
                    )
                    for marker, tier in zip(
                        self.MARKERS, (TIER_NAMES, TIER_TITLE, TIER_KEY), strict=True
                    )
                ),
                default=Value(TIER_BODY),
                output_field=IntegerField(),
            )

        tiers = [term_tier(term) for term in terms]
        return tiers[0] if len(tiers) == 1 else Least(*tiers)

    def closest_subjects(self, side):
        """Compare `side` with the names and aliases starting with its letter (difflib)."""
        candidates = {}
        for subject in Subject.objects.filter(search_name__startswith=side[0]).only(
            "name", "slug", "search_name"
        )[:5000]:
            candidates.setdefault(subject.search_name, subject)
        for alias in (
            SubjectAlias.objects.filter(search_name__startswith=side[0])
            .select_related("subject")
            .only("search_name", "subject__name", "subject__slug", "subject__search_name")[:5000]
        ):
            candidates.setdefault(alias.search_name, alias.subject)
        close = difflib.get_close_matches(side, list(candidates), n=3, cutoff=0.6)
        return list(dict.fromkeys(candidates[name] for name in close))

    def update_index(self, comparison_ids=None):
        comparisons = Comparison.objects.select_related("first_subject", "second_subject").only(
            "title",
            "key_difference",
            "body",
            "first_subject__name",
            "second_subject__name",
        )
        if comparison_ids is not None:
            comparisons = comparisons.filter(pk__in=list(comparison_ids))
        batch = []
        for comparison in comparisons.order_by("pk").iterator(chunk_size=2000):
            batch.append(comparison)
            if len(batch) == 2000:
                self._write(batch)
                batch = []
        if batch:
            self._write(batch)

    @staticmethod
    def _write(comparisons):
        rows = {}
        for row in DifferenceRow.objects.filter(comparison__in=comparisons).values_list(
            "comparison_id", "aspect", "first_value", "second_value"
        ):
            rows.setdefault(row[0], []).extend(row[1:])
        for comparison in comparisons:
            comparison.search_text = search_text_for(
                comparison.first_subject.name,
                comparison.second_subject.name,
                comparison.title,
                comparison.key_difference,
                comparison.body,
                rows.get(comparison.pk, ()),
            )
        Comparison.objects.bulk_update(comparisons, ["search_text"], batch_size=500)
        table = SqliteSearch.FTS_TABLE
        with connection.cursor() as cursor:
            ids = [comparison.pk for comparison in comparisons]
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                placeholders = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM {table} WHERE rowid IN ({placeholders})", chunk)
            cursor.executemany(
                f"INSERT INTO {table} (rowid, search_text) VALUES (%s, %s)",
                [(comparison.pk, words_of(comparison.search_text)) for comparison in comparisons],
            )


def search_text_for(first_name, second_name, title, key_difference, body, row_texts=()):
    """Return the SQLite `search_text` of a comparison: folded fields in weight order."""
    sections = (
        f"{first_name} {second_name}",
        title,
        key_difference,
        " ".join([body, *row_texts]),
    )
    parts = [f"|{marker} {fold_text(text)}" for marker, text in zip("abcd", sections, strict=True)]
    return " " + " ".join(parts) + " "


def words_of(search_text):
    """Return `search_text` without its section markers: what the FTS5 copy holds, so that
    searching for "b" does not find every comparison by the marker "|b"."""
    return _MARKER.sub("", search_text)
