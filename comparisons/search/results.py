"""What a search found: ranked results to paginate, counted up to MAX_COUNTED."""

from dataclasses import dataclass, field

from ..models import Comparison

MAX_COUNTED = 1000  # "more than 1,000 results": nobody pages further, and counting is bounded
# Ranking tiers, best first. The text tiers follow the fields' weights.
TIER_PAIR, TIER_SUBJECT, TIER_NAMES, TIER_TITLE, TIER_KEY, TIER_BODY = 6, 5, 4, 3, 2, 1


@dataclass
class SearchResults:
    """What a search found. `comparisons` is a lazy, ranked QuerySet (paginate it)."""

    query: str
    comparisons: object
    subjects: list = field(default_factory=list)  # subjects the query names: pages first
    highlight_terms: list = field(default_factory=list)
    suggestion: str = ""  # a corrected query, from subject names
    truncated: bool = False
    backend: object = None
    parsed: object = None

    @property
    def has_words(self):
        return bool(self.parsed and self.parsed.terms)

    def suggest(self):
        """Return (and remember) a "Did you mean" query built from subject names."""
        if not self.suggestion and self.has_words:
            self.suggestion = self.backend.suggest(self.parsed)
        return self.suggestion


def ranked(matching, tier):
    """Return `matching` as listed results, annotated with `tier` and in ranking order."""
    return (
        matching.for_listing()
        .annotate(search_tier=tier)
        .order_by("-search_tier", "-popularity_rank", "-publish_at", "-id")
    )


class RankedComparisons:
    """Ranked results to paginate like a QuerySet: segments read one after the other.

    Each segment is (matching rows, the same rows ranked). Counting stops at MAX_COUNTED.
    Counting a segment reads the ids it matches (up to MAX_COUNTED + 1, in the same query a
    count would be): a segment counted in full is then read by those ids, so a rare word
    is never looked for by walking the ranking index past every comparison.
    """

    model = Comparison

    def __init__(self, segments, by_ids=None):
        self.segments = segments
        self.by_ids = by_ids or (lambda rows, ids: rows.filter(pk__in=ids))
        self._ids = {}

    @property
    def max_counted(self):
        """How many results are counted at most: above it, "more than" this many."""
        return MAX_COUNTED

    def segment_count(self, index):
        if index not in self._ids:
            matching = self.segments[index][0].order_by().values_list("pk", flat=True)
            self._ids[index] = list(matching[: MAX_COUNTED + 1])
        return len(self._ids[index])

    def count(self):
        total = 0
        for index in range(len(self.segments)):
            total += self.segment_count(index)
            if total > MAX_COUNTED:
                break
        return min(total, MAX_COUNTED + 1)

    def is_empty(self):
        """Whether nothing matches, counting no further than the first segment with rows."""
        return all(self.segment_count(index) == 0 for index in range(len(self.segments)))

    def ranked_segment(self, index):
        """The segment's ranked rows; by id when all its ids are known (none: no query)."""
        ranked_rows = self.segments[index][1]
        ids = self._ids.get(index)
        if ids is None or len(ids) > MAX_COUNTED:
            return ranked_rows
        return self.by_ids(ranked_rows, ids) if ids else []

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        found = []
        for number in range(len(self.segments)):
            if stop is not None and stop <= 0:
                break
            if number == len(self.segments) - 1:
                found.extend(self.ranked_segment(number)[start:stop])
                break
            size = self.segment_count(number)
            if start < size:
                rows = self.ranked_segment(number)
                found.extend(rows[start : size if stop is None else min(stop, size)])
            start = max(0, start - size)
            stop = None if stop is None else stop - size
        return found

    def __iter__(self):
        for number in range(len(self.segments)):
            yield from self.ranked_segment(number)

    def __len__(self):
        return self.count()
