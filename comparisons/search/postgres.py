"""PostgreSQL: full-text search over weighted vectors, trigram-matched subject names."""

from django.contrib.postgres.search import SearchQuery
from django.db import connection, transaction
from django.db.models import BooleanField, Case, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL

from ..models import Comparison, Subject
from .backend import SUGGESTION_THRESHOLD, TRIGRAM_THRESHOLD, SearchBackend
from .results import TIER_BODY, TIER_KEY, TIER_NAMES, TIER_TITLE, ranked


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
                    SELECT string_agg(
                        r.aspect || ' ' || r.first_value || ' ' || r.second_value, ' '
                        ORDER BY r."order", r.id
                    )
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

    def segments(self, terms, named, named_tiers, text_matches=True):
        """Two segments: named and head-field matches ranked by tier, then body-only matches
        (none when `text_matches` is false: no comparison holds the terms).

        Body-only matches all share the lowest tier, so they are read in popularity order
        straight from an index, without ranking every matching row first.
        """
        published = Comparison.objects.published()
        in_head = Q(search_head=self.plain(terms))
        head = published.filter(in_head | named)
        tier = Case(*named_tiers, default=self.text_tier(terms), output_field=IntegerField())
        if not text_matches:
            return [(head, ranked(head, tier))]
        body = published.filter(self.text_match(terms)).exclude(in_head).exclude(named)
        return [
            (head, ranked(head, tier)),
            (body, ranked(body, Value(TIER_BODY, output_field=IntegerField()))),
        ]

    @staticmethod
    def by_ids(rows, ids):
        """Return `rows` limited to the comparisons `ids`, passed as one array parameter
        (an IN list of a thousand parameters costs more to build than to run)."""
        table = rows.model._meta.db_table
        return rows.filter(RawSQL(f'"{table}"."id" = ANY(%s)', [ids], BooleanField()))

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

    SIMILAR_SQL = """
        SELECT s.id, s.name, s.slug, s.search_name, best.similarity
        FROM (
            SELECT subject_id, max(similarity) AS similarity
            FROM (
                SELECT id AS subject_id, similarity(search_name, %(side)s) AS similarity
                FROM comparisons_subject WHERE search_name %% %(side)s
                UNION ALL
                SELECT subject_id, similarity(search_name, %(side)s)
                FROM comparisons_subjectalias WHERE search_name %% %(side)s
            ) AS candidate
            WHERE similarity >= %(threshold)s
            GROUP BY subject_id
        ) AS best
        JOIN comparisons_subject AS s ON s.id = best.subject_id
        ORDER BY best.similarity DESC, s.name
        LIMIT 3
    """

    def similar_subjects(self, side, threshold=TRIGRAM_THRESHOLD):
        """Return up to 3 subjects whose name or an alias is similar to `side`, best first
        (by their most similar name or alias), in one query through the trigram indexes."""
        if not side:
            return []
        return list(Subject.objects.raw(self.SIMILAR_SQL, {"side": side, "threshold": threshold}))

    def suggest(self, parsed):
        # `%` only matches at pg_trgm.similarity_threshold (0.3 unless configured), which would
        # hide the names between that and the suggestions' lower threshold.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('pg_trgm.similarity_threshold', %s, true)",
                    [str(SUGGESTION_THRESHOLD)],
                )
            return super().suggest(parsed)

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
