"""Where counts go: straight to the database (an atomic upsert each), or to a Redis hash
that `flush.flush_interest` moves to the database."""

from django.conf import settings
from django.db import connection
from django.utils import timezone

from ..models import Comparison, DailyInterest, SearchQuery

VIEW, SEARCH = "view", "search"


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
