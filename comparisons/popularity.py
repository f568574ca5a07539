"""Reader interest: counting views, searches and queries, and ranking "Most searched".

Counting
- `record_interest(request, comparison_id, kind)` counts one view or one search (a click
  on a search result) per visitor, comparison and day. The visitor is a keyed hash of the
  IP address and user agent with a salt that changes every day, kept only in the cache
  until the day ends: no cookie, nothing personal stored. Known bots and staff do not count.
- `record_search_query(request, query, result_count)` counts a search query the same way.
- With `settings.INTEREST_REDIS_URL` the counts only go to a Redis hash; `flush_interest`
  (cron, every minute) moves them to the database. Without it each count is written at
  once with an atomic upsert. Either way no count is lost or doubled under concurrency.

Ranking
- `refresh_popularity()` recomputes each comparison's 30-day and all-time scores (a
  search counts SEARCH_WEIGHT views) from the daily counts; `refresh_most_searched()`
  computes the "Most searched in <Category>" blocks into the cache. `flush_interest`
  runs both; pages only read the cache (one query when it is cold).
"""

import contextlib
import functools
import hashlib
import hmac
import logging
import re
import uuid
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import F, OuterRef, Q, Subquery, Sum, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from redis.exceptions import RedisError

from pagecache.tags import forget_on_recovery, invalidate

from .invalidation import MOST_SEARCHED, most_searched_tag
from .models import (
    Comparison,
    ComparisonPopularity,
    DailyInterest,
    InterestBatch,
    PinnedComparison,
    SearchQuery,
)

logger = logging.getLogger(__name__)

VIEW, SEARCH = "view", "search"
KINDS = (VIEW, SEARCH)
SEARCH_WEIGHT = 3
WINDOW_DAYS = 30
BLOCK_SIZE = 5
BLOCKS_CACHE_KEY = "most-searched:v2"
BLOCKS_TIMEOUT = 60 * 60
forget_on_recovery(BLOCKS_CACHE_KEY)
MAX_LOGGED_QUERY = 200
BOT_USER_AGENT = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|"
    r"lighthouse|pingdom|uptime|monitor|curl/|wget/|python-requests|python-urllib|"
    r"httpclient|okhttp|go-http-client|java/|headlesschrome|phantomjs|scrapy",
    re.IGNORECASE,
)


# Who counts ---------------------------------------------------------------------------


def is_bot(user_agent):
    """Return True for an empty user agent or one of a known bot, crawler or tool."""
    return not user_agent or bool(BOT_USER_AGENT.search(user_agent))


def counts(request):
    """Return True if this request's interest should be counted: not a bot, not staff."""
    if is_bot(request.META.get("HTTP_USER_AGENT", "")):
        return False
    user = getattr(request, "user", None)
    return not (user and user.is_authenticated and user.is_staff)


def visitor_key(request, day):
    """Return a cookie-free key for the visitor, valid for `day` only.

    A keyed hash (HMAC with the secret key and the day) of the IP address and user
    agent: it cannot be reversed or linked across days, and is never stored in the
    database.
    """
    salt = hmac.new(settings.SECRET_KEY.encode(), day.isoformat().encode(), hashlib.sha256)
    identity = f"{request.META.get('REMOTE_ADDR', '')}|{request.META.get('HTTP_USER_AGENT', '')}"
    return hmac.new(salt.digest(), identity.encode(), hashlib.sha256).hexdigest()[:32]


def first_time_today(request, what, day):
    """Return True the first time today this visitor does `what` (atomic: cache.add)."""
    key = f"interest:seen:{day.isoformat()}:{what}:{visitor_key(request, day)}"
    end_of_day = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    timeout = max(60, int((end_of_day - timezone.now()).total_seconds()) + 3600)
    return cache.add(key, 1, timeout=timeout)


def today():
    return timezone.now().date()


# Recording ------------------------------------------------------------------------------


def never_failing(record):
    """Let counting fail quietly (logged) when Redis is away: a page never fails for a count."""

    @functools.wraps(record)
    def wrapper(*args, **kwargs):
        try:
            return record(*args, **kwargs)
        except RedisError:
            logger.warning("Reader interest not counted: Redis is not answering.", exc_info=True)
            return False

    return wrapper


@never_failing
def record_interest(request, comparison_id, kind, day=None):
    """Count one view or search of a comparison for this visitor today; return if counted."""
    if kind not in KINDS:
        raise ValueError(f"Unknown kind of interest: {kind!r}")
    day = day or today()
    if not counts(request) or not first_time_today(request, f"{kind}:{comparison_id}", day):
        return False
    counter().add_interest(comparison_id, kind, day)
    return True


def normalise_query(query):
    """Return the query as logged: lower case, trimmed, single spaces, no e-mail or numbers."""
    text = "".join(char if char.isprintable() else " " for char in (query or "").lower())
    text = re.sub(r"\S+@\S+", "[email]", text)
    text = re.sub(r"\d[\d\s().+-]{6,}\d", "[number]", text)
    return " ".join(text.split())[:MAX_LOGGED_QUERY]


@never_failing
def record_search_query(request, query, result_count, day=None):
    """Count a search query (once per visitor per day); return whether it was counted."""
    day = day or today()
    query = normalise_query(query)
    if not query or not counts(request):
        return False
    digest = hashlib.sha256(query.encode()).hexdigest()[:24]
    if not first_time_today(request, f"query:{digest}", day):
        return False
    counter().add_query(query, result_count, day)
    return True


def counter():
    """Return where counts go: Redis when configured, else the database directly."""
    return RedisCounter() if settings.INTEREST_REDIS_URL else DatabaseCounter()


class DatabaseCounter:
    """Write every count at once, with an atomic upsert."""

    def add_interest(self, comparison_id, kind, day):
        if Comparison.objects.published().filter(pk=comparison_id).exists():
            add_daily_counts({(comparison_id, day): {kind: 1}})

    def add_query(self, query, result_count, day):
        add_query_counts({query: (1, result_count)})


_redis_clients = {}


def redis_client():
    url = settings.INTEREST_REDIS_URL
    if url not in _redis_clients:
        import redis

        _redis_clients[url] = redis.Redis.from_url(url)
    return _redis_clients[url]


def pending_key():
    return f"{settings.INTEREST_KEY_PREFIX}:pending"


class RedisCounter:
    """Only increment a Redis hash; `flush_interest` writes it to the database.

    Fields: "view|<id>|<day>" and "search|<id>|<day>" count readers; "query|<query>" counts
    a query and "results|<query>" holds how many results it found the last time.
    """

    def add_interest(self, comparison_id, kind, day):
        redis_client().hincrby(pending_key(), f"{kind}|{int(comparison_id)}|{day.isoformat()}", 1)

    def add_query(self, query, result_count, day):
        pipe = redis_client().pipeline()
        pipe.hincrby(pending_key(), f"query|{query}", 1)
        pipe.hset(pending_key(), f"results|{query}", int(result_count))
        pipe.execute()


# Writing counts to the database -------------------------------------------------------


def _upsert(table, key_columns, rows, add_columns, set_columns=(), insert_columns=()):
    """INSERT rows; on a key conflict add `add_columns` and overwrite `set_columns`.

    `insert_columns` are written by the first insert only. Each row holds the values of
    key, add, set and insert columns, in that order.

    One statement, atomic on SQLite and PostgreSQL alike (ON CONFLICT ... DO UPDATE).
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = [*key_columns, *add_columns, *set_columns, *insert_columns]
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    updates = [f"{quote(c)} = {quote(table)}.{quote(c)} + excluded.{quote(c)}" for c in add_columns]
    updates += [f"{quote(c)} = excluded.{quote(c)}" for c in set_columns]
    sql = (
        f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES {', '.join([placeholders] * len(rows))} "
        f"ON CONFLICT ({', '.join(quote(c) for c in key_columns)}) DO UPDATE SET {', '.join(updates)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for row in rows for value in row])


def add_daily_counts(increments):
    """Add {(comparison_id, day): {"view": n, "search": m}} to the daily counts."""
    rows = [
        (comparison_id, day, kinds.get(VIEW, 0), kinds.get(SEARCH, 0))
        for (comparison_id, day), kinds in sorted(increments.items())
    ]
    for start in range(0, len(rows), 500):
        _upsert(
            DailyInterest._meta.db_table,
            ["comparison_id", "day"],
            rows[start : start + 500],
            ["views", "searches"],
        )


def add_query_counts(queries):
    """Add {query: (times asked, results found)} to the query log."""
    now = timezone.now()
    rows = [
        (query, asked, results, now, now) for query, (asked, results) in sorted(queries.items())
    ]
    for start in range(0, len(rows), 500):
        _upsert(
            SearchQuery._meta.db_table,
            ["query"],
            rows[start : start + 500],
            ["count"],
            ["result_count", "last_asked"],
            ["first_asked"],
        )


def flush_interest():
    """Move the counts buffered in Redis to the database; return how many were moved.

    Safe to run every minute and twice at once: the pending hash is renamed atomically
    to a batch of its own, a batch is handled by whoever takes its lock, and a batch's
    key is written in the same transaction as its counts, so a batch retried after a
    crash is recognised and never added twice.
    """
    if not settings.INTEREST_REDIS_URL:
        return 0
    import redis

    client = redis_client()
    prefix = settings.INTEREST_KEY_PREFIX
    with contextlib.suppress(redis.ResponseError):  # raised when nothing is pending
        client.rename(pending_key(), f"{prefix}:batch:{uuid.uuid4().hex}")
    moved = 0
    for key in client.scan_iter(match=f"{prefix}:batch:*"):
        key = key.decode()
        batch_id = key.rsplit(":", 1)[1]
        lock = f"{prefix}:lock:{batch_id}"
        if not client.set(lock, 1, nx=True, ex=600):
            continue
        try:
            moved += _apply_batch(batch_id, client.hgetall(key))
            client.delete(key)
        finally:
            client.delete(lock)
    return moved


def _apply_batch(batch_id, fields):
    interest, queries, results = {}, {}, {}
    for raw_field, raw_value in fields.items():
        kind, _, rest = raw_field.decode().partition("|")
        value = int(raw_value)
        if kind in KINDS:
            comparison_id, _, day = rest.partition("|")
            key = (int(comparison_id), datetime.fromisoformat(day).date())
            interest.setdefault(key, {})[kind] = value
        elif kind == "query":
            queries[rest] = value
        elif kind == "results":
            results[rest] = value
    known = set(
        Comparison.objects.filter(pk__in={key[0] for key in interest}).values_list("pk", flat=True)
    )
    interest = {key: kinds for key, kinds in interest.items() if key[0] in known}
    with transaction.atomic():
        try:
            with transaction.atomic():
                InterestBatch.objects.create(key=batch_id)
        except IntegrityError:
            return 0  # written before a crash; the caller now drops it from Redis
        add_daily_counts(interest)
        add_query_counts(
            {query: (asked, results.get(query, 0)) for query, asked in queries.items()}
        )
    return sum(sum(kinds.values()) for kinds in interest.values()) + sum(queries.values())


# Ranking ------------------------------------------------------------------------------


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


def compute_most_searched(per_category=BLOCK_SIZE + 1):
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


def compute_most_searched_with_expiry(per_category=BLOCK_SIZE + 1, now=None):
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
                "url": reverse("comparisons:detail", kwargs={"slug": comparison_slug}),
            }
        )
    for block in blocks.values():
        block["items"].sort(key=lambda item: item["rank"])
    ordered = sorted(blocks.values(), key=lambda block: (block["order"], block["name"]))
    return ordered, stale_at


def refresh_most_searched():
    """Recompute the blocks and put them in the cache; return them.

    The cached copy also says when it goes stale: the next moment a scheduled comparison
    appears or one expires, so the blocks follow publication by themselves. Cached pages
    showing the blocks are dropped only when the blocks changed.
    """
    blocks, stale_at = compute_most_searched_with_expiry()
    previous = cache.get(BLOCKS_CACHE_KEY)
    cache.set(BLOCKS_CACHE_KEY, {"blocks": blocks, "stale_at": stale_at}, BLOCKS_TIMEOUT)
    if previous is not None:
        invalidate(*changed_block_tags(previous["blocks"], blocks))
    return blocks


def changed_block_tags(before, after):
    """Return the page-cache tags of the blocks that differ between `before` and `after`."""
    old = {block["category_id"]: block for block in before}
    new = {block["category_id"]: block for block in after}
    if old.keys() != new.keys():
        return [MOST_SEARCHED]
    return [most_searched_tag(pk) for pk, block in new.items() if old[pk] != block]


def most_searched_blocks():
    """Return the cached blocks (0 queries), computing them when the cache is cold or stale (1)."""
    cached = cache.get(BLOCKS_CACHE_KEY)
    if cached is None or (cached["stale_at"] and cached["stale_at"] <= timezone.now()):
        return refresh_most_searched()
    return cached["blocks"]


def blocks_for_page(category_ids=(), exclude_id=None, limit_blocks=6):
    """Return the blocks for a page: its own categories first, then the others.

    Each block lists at most BLOCK_SIZE comparisons, without the page's own.
    """
    blocks = []
    for block in most_searched_blocks():
        items = [item for item in block["items"] if item["id"] != exclude_id][:BLOCK_SIZE]
        if items:
            blocks.append({**block, "items": items, "own": block["category_id"] in category_ids})
    blocks.sort(key=lambda block: not block["own"])  # stable: own first, then editors' order
    return blocks[:limit_blocks]


# The admin's figures ---------------------------------------------------------------------


def interest_summary(comparison_id, day=None):
    """Return views and searches of the last 7 and 30 days and all time, and a 30-day series."""
    day = day or today()
    daily = DailyInterest.objects.filter(comparison_id=comparison_id)
    week = Q(day__gt=day - timedelta(days=7), day__lte=day)
    month = Q(day__gt=day - timedelta(days=WINDOW_DAYS), day__lte=day)
    totals = daily.aggregate(
        views_7=Sum("views", filter=week, default=0),
        searches_7=Sum("searches", filter=week, default=0),
        views_30=Sum("views", filter=month, default=0),
        searches_30=Sum("searches", filter=month, default=0),
        views_all=Sum("views", default=0),
        searches_all=Sum("searches", default=0),
    )
    by_day = {row["day"]: row for row in daily.filter(month).values("day", "views", "searches")}
    series = []
    for offset in range(WINDOW_DAYS - 1, -1, -1):
        date = day - timedelta(days=offset)
        row = by_day.get(date, {})
        series.append((date, row.get("views", 0), row.get("searches", 0)))
    return totals, series


def most_read(days=7, limit=5, day=None):
    """Return up to `limit` published comparisons with the most views in the last `days` days."""
    day = day or today()
    recent = Q(daily_interest__day__gt=day - timedelta(days=days), daily_interest__day__lte=day)
    return (
        Comparison.objects.published()
        .filter(recent)
        .annotate(recent_views=Sum("daily_interest__views"))
        .filter(recent_views__gt=0)
        .order_by("-recent_views", "-id")[:limit]
    )


def unanswered_searches(days=7, limit=5):
    """Return (query, times asked) for the most asked queries with no results asked lately."""
    since = timezone.now() - timedelta(days=days)
    return (
        SearchQuery.objects.filter(result_count=0, last_asked__gte=since)
        .order_by("-count", "query")
        .values_list("query", "count")[:limit]
    )
