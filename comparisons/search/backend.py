"""What both engines share: resolving the sides a query names, and ranking by tier."""

from django.db.models import Case, IntegerField, Q, Value, When

from ..models import Comparison, Subject, SubjectAlias
from ..text import fold_text
from .query import parse_query, spelling_variants
from .results import TIER_PAIR, TIER_SUBJECT, RankedComparisons, SearchResults, ranked

TRIGRAM_THRESHOLD = 0.35
SUGGESTION_THRESHOLD = 0.2


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
        results.comparisons = self.ranked_comparisons(parsed.terms, pair_ids, subjects)
        if not (pair_ids or subjects) and len(parsed.words) <= 4 and results.comparisons.is_empty():
            # Nothing named and no text matches: the whole query may be a misspelt name.
            similar = keep_compared(self.similar_subjects(parsed.whole))
            if similar:
                subjects, corrected = similar[:1], similar[0].name
                results.comparisons = self.ranked_comparisons(
                    parsed.terms, [], subjects, text_matches=False
                )
        results.subjects = [] if pair_ids else subjects
        results.highlight_terms = parsed.terms + [
            word for subject in subjects for word in subject.search_name.split()
        ]
        results.suggestion = corrected
        return results

    def ranked_comparisons(self, terms, pair_ids, subjects, text_matches=True):
        """The comparisons matching `terms`, the pair `pair_ids` or `subjects`, ranked.

        `text_matches` false says no comparison holds the terms (known from a count).
        """
        subject_ids = [subject.pk for subject in subjects]
        named = Q(pk__in=pair_ids)
        named_tiers = [When(pk__in=pair_ids, then=Value(TIER_PAIR))]
        if subject_ids:
            of_subject = Q(first_subject__in=subject_ids) | Q(second_subject__in=subject_ids)
            named |= of_subject
            named_tiers.append(When(of_subject, then=Value(TIER_SUBJECT)))
        segments = self.segments(terms, named, named_tiers, text_matches=text_matches)
        return RankedComparisons(segments, self.by_ids)

    @staticmethod
    def by_ids(rows, ids):
        """Return `rows` limited to the comparisons `ids` (up to MAX_COUNTED of them)."""
        return rows.filter(pk__in=ids)

    def resolve(self, parsed):
        """Return (ids of exact-pair comparisons, subjects the query names, corrected query).

        For a pair, the subjects are both sides: their other comparisons rank next.
        The corrected query is non-empty when a side was only found by forgiving a typo.
        Sides are tried by name or alias (in either spelling), then as a whole word of a
        name, then (PostgreSQL) with typos forgiven. Three or more sides ("a vs b vs c") name
        the comparisons among all of them. When nothing is named and no comparison holds the
        words, `search` then tries the whole query as a misspelt name.
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
        names = list(side_of)
        # A union, not an OR: PostgreSQL reads an OR with a subquery by scanning every subject.
        named = (
            Subject.objects.filter(search_name__in=names)
            .order_by()
            .values("pk")
            .union(SubjectAlias.objects.filter(search_name__in=names).order_by().values("subject"))
        )
        subjects = Subject.objects.filter(pk__in=named)
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

    def segments(self, terms, named, named_tiers, text_matches=True):
        """Return the results as [(matching rows, the same ranked)], to read one after the other.

        `named` matches the comparisons of the pair or subjects the query names, and
        `named_tiers` gives their tiers. `text_matches` false allows leaving out the text
        match (nothing holds the terms).
        """
        matching = Comparison.objects.published().filter(self.text_match(terms) | named)
        tier = Case(*named_tiers, default=self.text_tier(terms), output_field=IntegerField())
        return [(matching, ranked(matching, tier))]

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
