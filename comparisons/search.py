"""Site search: one interface, `search(query)`, with a PostgreSQL and a SQLite implementation.

How a query is answered
1. The query is folded (lower case, no accents or punctuation) and filler such as
   "what is the difference between" is dropped.
2. Its two sides ("x vs y", "x and y", "x y") are resolved to subjects by their folded
   names (PostgreSQL also forgives typos with trigram similarity over a trigram index on
   the subjects), then the exact pair is looked up. A query naming one subject lists
   every comparison it appears in, with the subject's own page first.
3. Every other comparison must contain every word. The tier of a match is the least
   important field needed to find every word: subject names, then the title, then the
   key difference, then the body and rows.

Results are ordered by tier (pair, subject, subject names, title, key difference,
body and rows), then by popularity over 30 days and all time, then newest first.
On PostgreSQL the results come in two segments read one after the other: the named
comparisons and those matching in the short fields (`search_head`), ranked by tier,
then the body-only matches, which share the lowest tier and so can be read in
popularity order straight from an index. Counting stops at MAX_COUNTED.

The search index rule
A comparison's search data (`search_vector` on PostgreSQL, `search_text` on SQLite)
depends on its subjects' names, its title, key difference, body and rows. Whoever saves
any of those calls `update_search_index(comparison_ids)` afterwards: the admin does
(`save_related`, and for subjects `save_model`), `load_demo` does, the benchmark does.
`manage.py reindex_search` rebuilds every comparison, e.g. after a bulk import.
"""

import difflib
import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, TrigramSimilarity
from django.db import connection
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Least, StrIndex
from django.db.models.lookups import GreaterThan

from .models import Comparison, DifferenceRow, Subject, SubjectAlias
from .text import fold_text

MAX_QUERY_LENGTH = 200
MAX_COUNTED = 1000  # "more than 1,000 results": nobody pages further, and counting is bounded
MAX_TERMS = 8
# Words that say how the reader asks, not what about.
FILLER = frozenset(
    [
        "what",
        "whats",
        "is",
        "are",
        "was",
        "the",
        "a",
        "an",
        "of",
        "between",
        "difference",
        "differences",
        "different",
        "compare",
        "compared",
        "comparison",
        "comparisons",
        "how",
        "do",
        "does",
        "which",
        "better",
        "explain",
        "explained",
        "tell",
        "me",
        "about",
        "in",
        "on",
        "for",
        "main",
        "key",
    ]
)
# Words that separate the two sides of a pair, strongest first.
SEPARATORS = ("vs", "versus", "v", "and", "or", "against", "with", "to")
SEPARATOR_SET = frozenset(SEPARATORS)
# Words too common to look for on their own (they may still be part of a subject's name).
STOP_WORDS = frozenset(
    ["as", "at", "be", "been", "but", "by", "can", "from", "had", "has", "have", "he", "her"]
    + ["his", "if", "into", "its", "no", "nor", "not", "only", "our", "so", "than", "that"]
    + ["their", "them", "then", "there", "these", "they", "this", "those", "too", "very"]
    + ["was", "we", "were", "will", "would", "you", "your"]
)
MAX_SIDES = 4  # "bpo vs kpo vs lpo": the comparisons among up to four named subjects
# Words spelt differently in British and American English, as (British, American) endings.
SPELLING_VARIANTS = (("tre", "ter"), ("our", "or"), ("ise", "ize"), ("yse", "yze"), ("ogue", "og"))
# Ranking tiers, best first. The text tiers follow the fields' weights.
TIER_PAIR, TIER_SUBJECT, TIER_NAMES, TIER_TITLE, TIER_KEY, TIER_BODY = 6, 5, 4, 3, 2, 1
TRIGRAM_THRESHOLD = 0.35
SUGGESTION_THRESHOLD = 0.2


def query_terms(query):
    """Return the meaningful folded words of `query`, without filler such as "vs"."""
    return parse_query(query).terms


@dataclass
class ParsedQuery:
    text: str  # what the reader typed, cut to MAX_QUERY_LENGTH
    truncated: bool
    words: list  # folded words without filler
    terms: list  # words to look for, every one must match: no separators, stop words, numbers
    pairs: list  # candidate (left side, right side) folded texts, most likely first
    sides: list = field(default_factory=list)  # three or more sides: "bpo vs kpo vs lpo"

    @property
    def whole(self):
        return " ".join(self.words)


def is_term(word):
    """Whether `word` is worth looking for: not a separator, a stop word or a bare number."""
    return not (word in SEPARATOR_SET or word in STOP_WORDS or word.isdigit())


def parse_query(query):
    """Split `query` into folded words and the candidate sides of an "x vs y" pair."""
    query = "".join(char if char.isprintable() else " " for char in query or "").strip()
    text = query[:MAX_QUERY_LENGTH]
    words = [word for word in fold_text(text).split() if word not in FILLER][:16]
    while words and words[0] in SEPARATOR_SET:
        words.pop(0)
    while words and words[-1] in SEPARATOR_SET:
        words.pop()
    terms = list(dict.fromkeys(word for word in words if is_term(word)))
    pairs = []
    for separator in SEPARATORS:
        for index, word in enumerate(words):
            if word == separator and 0 < index < len(words) - 1:
                pairs.append((" ".join(words[:index]), " ".join(words[index + 1 :])))
    if not pairs and 2 <= len(words) <= 6:
        pairs = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    return ParsedQuery(
        text=text,
        truncated=len(query) > MAX_QUERY_LENGTH,
        words=words,
        terms=terms[:MAX_TERMS],
        pairs=pairs[:6],
        sides=split_sides(words),
    )


def split_sides(words):
    """Return the sides of a query naming three or more things ("a vs b vs c"), else []."""
    for separator in SEPARATORS:
        if words.count(separator) >= 2:
            sides, current = [], []
            for word in [*words, separator]:
                if word == separator:
                    sides.append(" ".join(current))
                    current = []
                else:
                    current.append(word)
            if all(sides) and len(sides) <= MAX_SIDES:
                return sides
            return []
    return []


def spelling_variants(side, limit=8):
    """Return `side` and its British or American spellings ("call center", "call centre")."""
    variants = [""]
    for word in side.split():
        forms = [word]
        for british, american in SPELLING_VARIANTS:
            for this, other in ((british, american), (american, british)):
                if word.endswith(this) and len(word) > len(this) + 2:
                    forms.append(word[: -len(this)] + other)
        variants = [f"{start} {form}".strip() for start in variants for form in forms][:limit]
    return variants


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


class SearchBackend:
    """What both engines share; subclasses say how text is matched and ranked."""

    vendor = None

    def search(self, query):
        parsed = parse_query(query)
        none = Comparison.objects.none()
        results = SearchResults(
            query=parsed.text,
            comparisons=RankedComparisons([(none, none)]),
            truncated=parsed.truncated,
            backend=self,
            parsed=parsed,
        )
        if not parsed.terms:
            return results
        pair_ids, subjects, corrected = self.resolve(parsed)
        subject_ids = [subject.pk for subject in subjects]
        named = Q(pk__in=pair_ids)
        named_tiers = [When(pk__in=pair_ids, then=Value(TIER_PAIR))]
        if subject_ids:
            of_subject = Q(first_subject__in=subject_ids) | Q(second_subject__in=subject_ids)
            named |= of_subject
            named_tiers.append(When(of_subject, then=Value(TIER_SUBJECT)))
        results.comparisons = RankedComparisons(self.segments(parsed.terms, named, named_tiers))
        results.subjects = [] if pair_ids else subjects
        results.highlight_terms = parsed.terms + [
            word for subject in subjects for word in subject.search_name.split()
        ]
        results.suggestion = corrected
        return results

    def resolve(self, parsed):
        """Return (ids of exact-pair comparisons, subjects the query names, corrected query).

        For a pair, the subjects are both sides: their other comparisons rank next.
        The corrected query is non-empty when a side was only found by forgiving a typo.
        Sides are tried by exact name, then as a whole word of a name, then (PostgreSQL)
        with typos forgiven.
        """
        published = Comparison.objects.published()
        pair_sides = [side for pair in parsed.pairs for side in pair] + parsed.sides
        found = self.subjects_named([*pair_sides, parsed.whole])
        named = self.named_pair_or_subject(parsed, found, published)
        if named:
            return named
        by_word = [side for side in pair_sides if side not in found]
        if not parsed.pairs and parsed.whole not in found:
            by_word.append(parsed.whole)
        if by_word:
            found.update(self.subjects_by_word(by_word))
            named = self.named_pair_or_subject(parsed, found, published)
            if named:
                return named
        for left, right in parsed.pairs[:3]:
            first = found.get(left) or self.similar_subjects(left)
            second = found.get(right) or self.similar_subjects(right)
            if first and second:
                likeliest = self.likeliest_pair(published, first, second)
                if likeliest:
                    pk, one, other = likeliest
                    return [pk], [one, other], f"{one.name} vs {other.name}"
        if len(parsed.words) <= 4 and not self.text_has_matches(parsed.terms):
            similar = keep_compared(self.similar_subjects(parsed.whole))
            if similar:
                return [], similar[:1], similar[0].name
        return [], [], ""

    def named_pair_or_subject(self, parsed, found, published):
        if parsed.sides and all(found.get(side) for side in parsed.sides):
            subjects = [subject for side in parsed.sides for subject in found[side]]
            among_ids = self.pair_ids(published, subjects, subjects, limit=10)
            if among_ids:
                return among_ids, subjects, ""
        for left, right in parsed.pairs:
            if found.get(left) and found.get(right):
                pair_ids = self.pair_ids(published, found[left], found[right])
                if pair_ids:
                    return pair_ids, found[left] + found[right], ""
        if found.get(parsed.whole):
            subjects = keep_compared(found[parsed.whole])
            if subjects:
                return [], subjects, ""
        return None

    @staticmethod
    def subjects_named(sides):
        """Return {side: [subjects]} for the sides that are a subject's name or one of its
        aliases, as written or in another spelling ("call center", "call centre").

        Subjects named exactly come before those named by an alias.
        """
        side_of = {}
        for side in sides:
            for variant in spelling_variants(side) if side else ():
                side_of.setdefault(variant, side)
        if not side_of:
            return {}
        by_alias = SubjectAlias.objects.filter(search_name__in=list(side_of)).values("subject")
        subjects = Subject.objects.filter(Q(search_name__in=list(side_of)) | Q(pk__in=by_alias))
        by_name, by_other_name = {}, {}
        for subject in subjects.only("name", "slug", "search_name", "aliases")[:50]:
            if subject.search_name in side_of:
                by_name.setdefault(side_of[subject.search_name], []).append(subject)
            for alias in {fold_text(alias) for alias in subject.alias_list}:
                if alias in side_of:
                    by_other_name.setdefault(side_of[alias], []).append(subject)
        found = by_name
        for side, named in by_other_name.items():
            found[side] = found.get(side, []) + [s for s in named if s not in found.get(side, [])]
        return found

    @staticmethod
    def subjects_by_word(sides):
        """Return {side: [subjects]} for sides that are whole words of a subject's name."""
        sides = [side for side in set(sides) if len(side) >= 3]
        if not sides:
            return {}
        contains = Q()
        for side in sides:
            contains |= Q(search_name__contains=side)
        found = {}
        for subject in Subject.objects.filter(contains).only("name", "slug", "search_name")[:100]:
            padded = f" {subject.search_name} "
            for side in sides:
                if f" {side} " in padded:
                    found.setdefault(side, []).append(subject)
        return found

    @staticmethod
    def compared_pair(firsts, seconds):
        """Match comparisons of a subject in `firsts` with one in `seconds`, either way round."""
        firsts = [subject.pk for subject in firsts]
        seconds = [subject.pk for subject in seconds]
        return Q(first_subject__in=firsts, second_subject__in=seconds) | Q(
            first_subject__in=seconds, second_subject__in=firsts
        )

    def pair_ids(self, published, firsts, seconds, limit=5):
        pair = self.compared_pair(firsts, seconds)
        return list(published.filter(pair).values_list("pk", flat=True)[:limit])

    def likeliest_pair(self, published, firsts, seconds):
        """Return (comparison id, one side, other side) for the compared pair whose sides come
        earliest in `firsts` and `seconds` (candidates for each side, likeliest first), or
        None when no two of them are compared."""
        position = [
            {subject.pk: index for index, subject in reversed(list(enumerate(candidates)))}
            for candidates in (firsts, seconds)
        ]
        subjects = {subject.pk: subject for subject in [*firsts, *seconds]}
        pair = self.compared_pair(firsts, seconds)
        rows = published.filter(pair).values_list("pk", "first_subject", "second_subject")
        best = None
        for pk, a, b in rows[: 2 * len(firsts) * len(seconds)]:
            for one, other in ((a, b), (b, a)):
                if one in position[0] and other in position[1]:
                    rank = (position[0][one] + position[1][other], pk)
                    if best is None or rank < best[0]:
                        best = (rank, pk, subjects[one], subjects[other])
        return None if best is None else best[1:]

    def segments(self, terms, named, named_tiers):
        """Return the results as [(matching rows, the same ranked)], to read one after the other.

        `named` matches the comparisons of the pair or subjects the query names, and
        `named_tiers` gives their tiers.
        """
        matching = Comparison.objects.published().filter(self.text_match(terms) | named)
        tier = Case(*named_tiers, default=self.text_tier(terms), output_field=IntegerField())
        return [(matching, ranked(matching, tier))]

    def text_has_matches(self, terms):
        return Comparison.objects.published().filter(self.text_match(terms)).exists()

    # What each engine provides.
    def text_match(self, terms):
        raise NotImplementedError

    def text_tier(self, terms):
        """Return an integer expression: the text tier of a matching comparison."""
        raise NotImplementedError

    def similar_subjects(self, side):
        return []

    def suggest(self, parsed):
        """Return a query naming the subjects closest to the query's sides, or "".

        The first pair of sides is tried, then the whole query as one side.
        """
        options = [*parsed.pairs[:1], (parsed.whole,)]
        for sides in options:
            names = []
            for side in sides:
                similar = keep_compared(self.closest_subjects(side)) if side else []
                if not similar:
                    break
                names.append(similar[0].name)
            else:
                return " vs ".join(names)
        return ""

    def closest_subjects(self, side):
        """Return the subjects whose name or alias is closest to `side`, closest first."""
        raise NotImplementedError

    def update_index(self, comparison_ids=None):
        raise NotImplementedError


class PostgresSearch(SearchBackend):
    """Full-text search over a stored, weighted `search_vector` and trigram-matched subjects."""

    vendor = "postgresql"
    config = "english"
    # Weights: A subject names, B title, C key difference, D body and rows.
    # search_head holds the short fields (A, B, C), search_vector all of them; both GIN-indexed.
    UPDATE_SQL = """
        UPDATE comparisons_comparison AS c
        SET search_head = v.head, search_vector = v.head || v.body
        FROM (
            SELECT c2.id,
                setweight(to_tsvector('english', unaccent(s1.name || ' ' || s2.name)), 'A')
                || setweight(to_tsvector('english', unaccent(c2.title)), 'B')
                || setweight(to_tsvector('english', unaccent(c2.key_difference)), 'C') AS head,
                setweight(to_tsvector('english', unaccent(c2.body || ' ' || coalesce((
                    SELECT string_agg(r.aspect || ' ' || r.first_value || ' ' || r.second_value, ' ')
                    FROM comparisons_differencerow AS r WHERE r.comparison_id = c2.id), ''))), 'D'
                ) AS body
            FROM comparisons_comparison AS c2
            JOIN comparisons_subject AS s1 ON s1.id = c2.first_subject_id
            JOIN comparisons_subject AS s2 ON s2.id = c2.second_subject_id
            {where}
        ) AS v
        WHERE c.id = v.id
    """

    def plain(self, terms):
        return SearchQuery(" ".join(terms), config=self.config)

    def text_match(self, terms):
        return Q(search_vector=self.plain(terms))

    def segments(self, terms, named, named_tiers):
        """Two segments: named and head-field matches ranked by tier, then body-only matches.

        Body-only matches all share the lowest tier, so they are read in popularity order
        straight from an index, without ranking every matching row first.
        """
        published = Comparison.objects.published()
        in_head = Q(search_head=self.plain(terms))
        head = published.filter(in_head | named)
        tier = Case(*named_tiers, default=self.text_tier(terms), output_field=IntegerField())
        body = published.filter(self.text_match(terms)).exclude(in_head).exclude(named)
        return [
            (head, ranked(head, tier)),
            (body, ranked(body, Value(TIER_BODY, output_field=IntegerField()))),
        ]

    def text_has_matches(self, terms):
        """Whether any published comparison holds every term, read through the GIN index.

        As a plain EXISTS (LIMIT 1), the planner may bet on a sequential scan finding a row
        early, and for a word found nowhere (a typo) it reads the whole table; a
        materialized CTE is planned for all its rows (an index scan) and read lazily.
        """
        matching = Comparison.objects.published().filter(self.text_match(terms))
        sql, params = matching.order_by().values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH matching AS MATERIALIZED ({sql}) SELECT EXISTS (SELECT 1 FROM matching)",
                params,
            )
            return cursor.fetchone()[0]

    def weighted(self, terms, weights):
        # Terms are folded words ([^\W_]+), so they cannot carry tsquery syntax.
        raw = " & ".join(f"{term}:{weights}" for term in terms)
        return SearchQuery(raw, config=self.config, search_type="raw")

    def text_tier(self, terms):
        """The tier of a comparison whose short fields (search_head) hold every word."""
        return Case(
            *(
                When(search_head=self.weighted(terms, weights), then=Value(tier))
                for weights, tier in (("A", TIER_NAMES), ("AB", TIER_TITLE))
            ),
            default=Value(TIER_KEY),
            output_field=IntegerField(),
        )

    def similar_subjects(self, side, threshold=TRIGRAM_THRESHOLD):
        """Return up to 3 subjects whose name or an alias is similar to `side`, best first."""
        if not side:
            return []
        by_name = (
            Subject.objects.filter(search_name__trigram_similar=side)
            .only("name", "slug", "search_name")
            .annotate(similarity=TrigramSimilarity("search_name", side))
            .filter(similarity__gte=threshold)
            .order_by("-similarity", "name")[:3]
        )
        by_alias = (
            SubjectAlias.objects.filter(search_name__trigram_similar=side)
            .select_related("subject")
            .only("subject__name", "subject__slug", "subject__search_name")
            .annotate(similarity=TrigramSimilarity("search_name", side))
            .filter(similarity__gte=threshold)
            .order_by("-similarity", "subject__name")[:3]
        )
        scored = [(subject.similarity, subject) for subject in by_name]
        scored += [(alias.similarity, alias.subject) for alias in by_alias]
        scored.sort(key=lambda pair: (-pair[0], pair[1].name))
        return list(dict.fromkeys(subject for _, subject in scored))[:3]

    def closest_subjects(self, side):
        return self.similar_subjects(side, threshold=SUGGESTION_THRESHOLD)

    def update_index(self, comparison_ids=None):
        with connection.cursor() as cursor:
            if comparison_ids is None:
                cursor.execute(self.UPDATE_SQL.format(where=""))
            else:
                cursor.execute(
                    self.UPDATE_SQL.format(where="WHERE c2.id = ANY(%s)"), [list(comparison_ids)]
                )


class SqliteSearch(SearchBackend):
    """Word-prefix matching over `search_text`, a folded copy of the fields in weight order.

    `search_text` is " |a <subject names> |b <title> |c <key difference> |d <body and rows> ",
    so the first place a word occurs tells the most important field holding it. Matches are
    found through an FTS5 table holding a copy of `search_text` (prefix queries), so only
    matching rows are read. No stemming and no typo forgiveness: those need PostgreSQL.
    """

    vendor = "sqlite"
    MARKERS = ("|b", "|c", "|d")
    FTS_TABLE = "comparisons_search_fts"  # created by migration 0005 on SQLite

    def text_match(self, terms):
        # Terms are folded words ([^\W_]+): no quote can end the FTS5 string early. Word
        # beginnings stand in for stemming; a word of one or two letters must match whole.
        query = " AND ".join(f'"{term}"*' if len(term) >= 3 else f'"{term}"' for term in terms)
        return Q(
            pk__in=RawSQL(
                f"SELECT rowid FROM {self.FTS_TABLE} WHERE {self.FTS_TABLE} MATCH %s", (query,)
            )
        )

    def text_tier(self, terms):
        def term_tier(term):
            # The first place a word occurs is in the most important field holding it.
            position = StrIndex("search_text", Value(f" {term}"))
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
                [(comparison.pk, comparison.search_text) for comparison in comparisons],
            )


def keep_compared(subjects):
    """Return those of `subjects` that are part of a published comparison (one query).

    Only they may be named by a search: a subject of drafts alone stays unknown.
    """
    ids = [subject.pk for subject in subjects]
    if not ids:
        return []
    published = Comparison.objects.published().order_by()
    compared = set(
        published.filter(first_subject__in=ids)
        .values_list("first_subject", flat=True)
        .union(published.filter(second_subject__in=ids).values_list("second_subject", flat=True))
    )
    return [subject for subject in subjects if subject.pk in compared]


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
    """

    model = Comparison

    def __init__(self, segments):
        self.segments = segments
        self._counts = {}

    def segment_count(self, index):
        if index not in self._counts:
            matching = self.segments[index][0]
            self._counts[index] = matching.order_by()[: MAX_COUNTED + 1].count()
        return self._counts[index]

    def count(self):
        total = 0
        for index in range(len(self.segments)):
            total += self.segment_count(index)
            if total > MAX_COUNTED:
                break
        return min(total, MAX_COUNTED + 1)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        found = []
        for number, (_, ranked_rows) in enumerate(self.segments):
            if stop is not None and stop <= 0:
                break
            if number == len(self.segments) - 1:
                found.extend(ranked_rows[start:stop])
                break
            size = self.segment_count(number)
            if start < size:
                found.extend(ranked_rows[start : size if stop is None else min(stop, size)])
            start = max(0, start - size)
            stop = None if stop is None else stop - size
        return found

    def __iter__(self):
        for _, ranked_rows in self.segments:
            yield from ranked_rows

    def __len__(self):
        return self.count()


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


def update_search_index_for_subject(subject):
    """Rebuild the search data of every comparison `subject` is part of (its name changed)."""
    update_search_index(Comparison.objects.involving(subject).values_list("pk", flat=True))


def highlight_words(text, terms):
    """Return `text` as safe HTML with the words matching `terms` wrapped in <mark>.

    The text is escaped piece by piece before any <mark> is added, so nothing the
    text contains can become markup.
    """
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

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
