"""Reader interest: counting views, searches and queries, and ranking "Most searched".

- `recording`: `record_interest(request, comparison_id, kind)` counts one view or one search
  (a click on a search result) per visitor, comparison and day; `record_search_query`
  counts a query the same way.
- `counters`: with `settings.INTEREST_REDIS_URL` the counts only go to a Redis hash;
  without it each count is written at once with an atomic upsert.
- `flush`: `flush_interest` (cron, every minute) moves the Redis counts to the database.
  Either way no count is lost or doubled under concurrency.
- `ranking`: `refresh_popularity()` recomputes each comparison's 30-day and all-time scores
  (a search counts SEARCH_WEIGHT views); `refresh_most_searched()` computes the
  "Most searched in <Category>" blocks into the cache; pages only read the cache.
- `figures`: what the editors' dashboard and change form show.

The names below are the package's public API.
"""

from .counters import (
    DatabaseCounter,
    RedisCounter,
    add_daily_counts,
    add_query_counts,
    counter,
    pending_key,
    redis_client,
)
from .figures import interest_summary, most_read, unanswered_searches
from .flush import flush_interest
from .ranking import (
    BLOCK_SIZE,
    BLOCKS_CACHE_KEY,
    SEARCH_WEIGHT,
    WINDOW_DAYS,
    blocks_for_page,
    changed_block_tags,
    compute_most_searched,
    compute_most_searched_with_expiry,
    most_searched_blocks,
    most_searched_first,
    popular_order,
    popularity_rank,
    refresh_most_searched,
    refresh_popularity,
)
from .recording import (
    KINDS,
    SEARCH,
    VIEW,
    VISITORS_PER_ADDRESS,
    counts,
    first_time_today,
    is_bot,
    normalise_query,
    record_interest,
    record_search_log,
    record_search_query,
    search_log_token,
    today,
    visitor_key,
)

__all__ = [
    "BLOCKS_CACHE_KEY",
    "BLOCK_SIZE",
    "KINDS",
    "SEARCH",
    "SEARCH_WEIGHT",
    "VIEW",
    "VISITORS_PER_ADDRESS",
    "WINDOW_DAYS",
    "DatabaseCounter",
    "RedisCounter",
    "add_daily_counts",
    "add_query_counts",
    "blocks_for_page",
    "changed_block_tags",
    "compute_most_searched",
    "compute_most_searched_with_expiry",
    "counter",
    "counts",
    "first_time_today",
    "flush_interest",
    "interest_summary",
    "is_bot",
    "most_read",
    "most_searched_blocks",
    "most_searched_first",
    "normalise_query",
    "pending_key",
    "popular_order",
    "popularity_rank",
    "record_interest",
    "record_search_log",
    "record_search_query",
    "search_log_token",
    "redis_client",
    "refresh_most_searched",
    "refresh_popularity",
    "today",
    "unanswered_searches",
    "visitor_key",
]
