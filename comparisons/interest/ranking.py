"""Ranking: interest scores from the daily counts, and the "Most searched in <Category>"
blocks computed into the cache, which pages read."""

from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery, Sum, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone

from pagecache.tags import forget_on_recovery, invalidate, read_derived

from ..invalidation import MOST_SEARCHED, most_searched_tag
from ..models import (
    Comparison,
    ComparisonPopularity,
    DailyInterest,
    PinnedComparison,
)
from .recording import today

SEARCH_WEIGHT = 3
WINDOW_DAYS = 30
BLOCK_SIZE = 5
# Candidates kept per category, so that a block still fills up after a page has left out
# the comparisons it shows elsewhere (comparisons/reading.py).
CANDIDATES_PER_BLOCK = 3 * BLOCK_SIZE
BLOCKS_CACHE_KEY = "most-searched:v3"
forget_on_recovery(BLOCKS_CACHE_KEY)
BLOCKS_TIMEOUT = 60 * 60


def refresh_popularity(day=None, full=False):
    """Recompute comparisons' 30-day and all-time interest scores from the daily counts.

    Only comparisons that can have changed are recomputed: those counted since the day
    before the window began, and those whose 30-day score is not yet back to zero. The
    first run, or `full=True`, recomputes every comparison ever counted.
    """
    day = day or today()
    since = day - timedelta(days=WINDOW_DAYS - 1)
    recent = Q(daily_interest__day__gte=since, daily_interest__day__lte=day)
    candidates = Comparison.objects.filter(daily_interest__isnull=False).distinct()
    if not full and ComparisonPopularity.objects.exists():
        counted = DailyInterest.objects.filter(day__gte=since - timedelta(days=1))
        fading = ComparisonPopularity.objects.filter(score_30d__gt=0)
        candidates = Comparison.objects.filter(
            Q(pk__in=counted.values("comparison")) | Q(pk__in=fading.values("comparison"))
        )
    totals = (
        Comparison.objects.filter(pk__in=candidates.values("pk"))
        .annotate(
            v30=Sum("daily_interest__views", filter=recent, default=0),
            s30=Sum("daily_interest__searches", filter=recent, default=0),
            vt=Sum("daily_interest__views", default=0),
            st=Sum("daily_interest__searches", default=0),
        )
        .values_list("pk", "v30", "s30", "vt", "st")
    )
    now = timezone.now()
    scores = [
        ComparisonPopularity(
            comparison_id=pk,
            views_30d=v30,
            searches_30d=s30,
            views_total=vt,
            searches_total=st,
            score_30d=v30 + SEARCH_WEIGHT * s30,
            score_total=vt + SEARCH_WEIGHT * st,
            updated_at=now,
        )
        for pk, v30, s30, vt, st in totals
    ]
    ComparisonPopularity.objects.bulk_create(
        scores,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["comparison"],
        update_fields=[
            "views_30d",
            "searches_30d",
            "views_total",
            "searches_total",
            "score_30d",
            "score_total",
            "updated_at",
        ],
    )
    # The sort key lives on the comparison itself, so rankings need no join and can use
    # an index; only keys that changed are written.
    for start in range(0, len(scores), 1000):
        changed = []
        chunk = {score.comparison_id: score for score in scores[start : start + 1000]}
        current = Comparison.objects.filter(pk__in=chunk).values_list("pk", "popularity_rank")
        for pk, rank in current:
            new_rank = popularity_rank(chunk[pk].score_30d, chunk[pk].score_total)
            if new_rank != rank:
                changed.append(Comparison(pk=pk, popularity_rank=new_rank))
        Comparison.objects.bulk_update(changed, ["popularity_rank"], batch_size=500)
    return len(scores)


def popular_order(prefix=""):
    """Order by: 30-day score, all-time score (both in popularity_rank), then newest."""
    return [
        F(f"{prefix}popularity_rank").desc(),
        F(f"{prefix}publish_at").desc(),
        F(f"{prefix}id").desc(),
    ]


RANK_SHIFT = 2**31


def popularity_rank(score_30d, score_total):
    """Return the single sort key of a comparison: 30-day score first, then all-time."""
    return score_30d * RANK_SHIFT + min(score_total, RANK_SHIFT - 1)


def most_searched_first(comparisons, category):
    """Order `comparisons` of `category` as its "Most searched" block: pins, then popularity."""
    pin_order = PinnedComparison.objects.filter(
        category=category, comparison=OuterRef("pk")
    ).values("order")[:1]
    return comparisons.annotate(pin_order=Subquery(pin_order)).order_by(
        F("pin_order").asc(nulls_last=True), *popular_order()
    )


def compute_most_searched(per_category=CANDIDATES_PER_BLOCK):
    """Return the "Most searched" blocks, in one query: a list of plain dicts per category.

    Pinned comparisons come first (by pin order), then the ranking of `popular_order`.
    """
    return compute_most_searched_with_expiry(per_category)[0]


def _next_moment(field, now):
    """A subquery: the earliest future `field` of a published comparison."""
    return Subquery(
        Comparison.objects.filter(status=Comparison.Status.PUBLISHED, **{f"{field}__gt": now})
        .order_by(field)
        .values(field)[:1]
    )


def compute_most_searched_with_expiry(per_category=CANDIDATES_PER_BLOCK, now=None):
    """Return (blocks, stale_at) in one query.

    `stale_at` is the next moment a scheduled comparison appears or a published one expires
    (None if neither is planned): the blocks must be recomputed then.
    """
    now = now or timezone.now()
    through = Comparison.categories.through
    pin_order = PinnedComparison.objects.filter(
        category=OuterRef("category_id"), comparison=OuterRef("comparison_id")
    ).values("order")[:1]
    ranked = (
        through.objects.filter(comparison__in=Comparison.objects.published(at=now))
        .annotate(
            pin_order=Subquery(pin_order),
            rank=Window(
                RowNumber(),
                partition_by=[F("category_id")],
                order_by=[F("pin_order").asc(nulls_last=True), *popular_order("comparison__")],
            ),
            next_publish=_next_moment("publish_at", now),
            next_expiry=_next_moment("expire_at", now),
        )
        .filter(rank__lte=per_category)
        .values_list(
            "category_id",
            "category__name",
            "category__slug",
            "category__order",
            "comparison_id",
            "comparison__slug",
            "comparison__first_subject__name",
            "comparison__second_subject__name",
            "rank",
            "next_publish",
            "next_expiry",
        )
    )
    blocks = {}
    # With nothing published there is no row to carry the next change: look again soon.
    stale_at = now + timedelta(minutes=1)
    for row in ranked:
        category_id, name, slug, order, pk, comparison_slug, first, second, rank = row[:9]
        stale_at = min((moment for moment in row[9:] if moment), default=None)
        block = blocks.setdefault(
            category_id,
            {
                "category_id": category_id,
                "name": name,
                "order": order,
                "url": reverse("comparisons:category", kwargs={"slug": slug}),
                "items": [],
            },
        )
        block["items"].append(
            {
                "id": pk,
                "rank": rank,
                "label": f"{first} vs {second}",
                "first": first,
                "second": second,
                "url": reverse("comparisons:detail", kwargs={"slug": comparison_slug}),
            }
        )
    for block in blocks.values():
        block["items"].sort(key=lambda item: item["rank"])
    ordered = sorted(blocks.values(), key=lambda block: (block["order"], block["name"]))
    return ordered, stale_at


def refresh_most_searched():
    """Recompute the blocks; return them.

    Outside a transaction they are put in the cache for every server at once. Inside one they
    are kept on its connection, and only that transaction reads them (`most_searched_blocks`),
    until it commits and they are computed again for everyone: no other server lists a
    comparison that is not committed yet, or that a rollback took away. Many refreshes in one
    transaction (an import) share that one on commit.

    The cached copy also says when it goes stale: the next moment a scheduled comparison
    appears or one expires, so the blocks follow publication by themselves. Cached pages
    showing the blocks are dropped only when the blocks changed (inside a transaction, now
    and again after the commit).
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return _share_most_searched()
    blocks, stale_at = compute_most_searched_with_expiry()
    previous = _blocks_of_this_transaction(connection) or cache.get(BLOCKS_CACHE_KEY)
    if not _refresh_pending(connection):
        transaction.on_commit(_share_most_searched, robust=True)
    connection.most_searched_blocks = {"blocks": blocks, "stale_at": stale_at}
    if previous is not None:
        invalidate(*changed_block_tags(previous["blocks"], blocks))
    return blocks


def _share_most_searched():
    blocks, stale_at = compute_most_searched_with_expiry()
    previous = cache.get(BLOCKS_CACHE_KEY)
    cache.set(BLOCKS_CACHE_KEY, {"blocks": blocks, "stale_at": stale_at}, BLOCKS_TIMEOUT)
    if previous is not None:
        invalidate(*changed_block_tags(previous["blocks"], blocks))
    return blocks


def _blocks_of_this_transaction(connection):
    """The blocks this transaction computed, while its refresh on commit is still due (a
    commit runs it, a rollback drops it, and with it these blocks)."""
    if not connection.in_atomic_block or not _refresh_pending(connection):
        return None
    return getattr(connection, "most_searched_blocks", None)


def _refresh_pending(connection):
    """Whether a refresh on commit is due. It runs whenever one added now would: it can only
    be dropped by rolling back a savepoint that is still open, which would drop both."""
    return any(
        func is _share_most_searched for _savepoints, func, _robust in connection.run_on_commit
    )


def changed_block_tags(before, after):
    """Return the page-cache tags of the blocks that differ between `before` and `after`."""
    old = {block["category_id"]: block for block in before}
    new = {block["category_id"]: block for block in after}
    if old.keys() != new.keys():
        return [MOST_SEARCHED]
    return [most_searched_tag(pk) for pk, block in new.items() if old[pk] != block]


def most_searched_blocks():
    """Return the cached blocks (0 queries), computing them when the cache is cold or stale (1).

    Inside a transaction that changed them, the blocks as that change leaves them."""
    connection = transaction.get_connection()
    cached = _blocks_of_this_transaction(connection) or read_derived(cache, BLOCKS_CACHE_KEY)
    if cached is None or (cached["stale_at"] and cached["stale_at"] <= timezone.now()):
        return refresh_most_searched()
    return cached["blocks"]


def blocks_for_page(category_ids=(), exclude_id=None, limit_blocks=6, size=BLOCK_SIZE):
    """Return the blocks for a page: its own categories first, then the others.

    Each block lists at most `size` comparisons (all its candidates with None), without the
    page's own.
    """
    blocks = []
    for block in most_searched_blocks():
        items = [item for item in block["items"] if item["id"] != exclude_id][:size]
        if items:
            blocks.append({**block, "items": items, "own": block["category_id"] in category_ids})
    blocks.sort(key=lambda block: not block["own"])  # stable: own first, then editors' order
    return blocks[:limit_blocks]
