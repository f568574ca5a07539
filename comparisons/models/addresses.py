"""Addresses of comparisons: pair slugs, and the earlier addresses that redirect."""

from django.db import models
from django.db.models import Q

from .comparison import COMPARISON_SLUG_LENGTH, Comparison
from .taxonomy import SUBJECT_SLUG_LENGTH


def split_pair_slug(text, separator):
    """Yield every (first_slug, second_slug) that `text` could name around `separator`.

    Subject slugs may themselves contain the separator's words, so each position
    where it occurs is a candidate: "a-and-b-and-c" yields ("a", "b-and-c") and
    ("a-and-b", "c"). Only splits into two parts no longer than a subject's slug are
    candidates, so a text longer than two slugs and the separator yields nothing and
    any text yields at most a few dozen pairs.
    """
    if len(text) > 2 * SUBJECT_SLUG_LENGTH + len(separator):
        return
    start = max(0, len(text) - len(separator) - SUBJECT_SLUG_LENGTH)
    last = min(len(text) - len(separator), SUBJECT_SLUG_LENGTH)
    while (index := text.find(separator, start, last + len(separator))) != -1:
        first, second = text[:index], text[index + len(separator) :]
        if first and second:
            yield first, second
        start = index + 1


def _pair_query(candidates, first_field, second_field):
    """Match either order of any (first, second) slug pair in `candidates`; None if none."""
    query = None
    for first, second in candidates:
        for one, other in ((first, second), (second, first)):
            condition = Q(**{first_field: one, second_field: other})
            query = condition if query is None else query | condition
    return query


def find_comparison_by_pair_slug(queryset, text, separator):
    """Return the comparison in `queryset` whose subjects' slugs `text` names, or None.

    The subjects may be named in either order. One query at most, bounded in size
    whatever the length of `text` (see split_pair_slug).
    """
    query = _pair_query(
        split_pair_slug(text, separator), "first_subject__slug", "second_subject__slug"
    )
    if query is None:
        return None
    return queryset.filter(query).only("slug").first()


def find_comparison_by_old_address(queryset, slug, separator="-and-"):
    """Return the comparison in `queryset` that once lived at `slug`, or None.

    `slug` may be an earlier slug (with "-and-") or an earlier pair of subjects in
    either order (with `separator`). One query at most, bounded in size.
    """
    query = _pair_query(
        split_pair_slug(slug, separator), "first_subject_slug", "second_subject_slug"
    )
    if separator == "-and-" and len(slug) <= COMPARISON_SLUG_LENGTH:
        query = Q(slug=slug) if query is None else query | Q(slug=slug)
    if query is None:
        return None
    address = (
        ComparisonAddress.objects.filter(comparison__in=queryset)
        .filter(query)
        .select_related("comparison")
        .only("comparison__slug")
        .order_by("-created_at", "-id")
        .first()
    )
    return address.comparison if address else None


class ComparisonAddress(models.Model):
    """An earlier address of a comparison: its old slug and its old pair of subjects."""

    comparison = models.ForeignKey(
        Comparison, on_delete=models.CASCADE, related_name="old_addresses"
    )
    slug = models.SlugField(max_length=200, help_text="The slug the comparison had before.")
    first_subject_slug = models.SlugField(
        max_length=120, help_text="The first subject's slug at the time."
    )
    second_subject_slug = models.SlugField(
        max_length=120, help_text="The second subject's slug at the time."
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the address changed.")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "earlier address"
        verbose_name_plural = "earlier addresses"
        indexes = [
            models.Index(fields=["first_subject_slug", "second_subject_slug"], name="old_pair_idx")
        ]

    def __str__(self):
        return self.slug
