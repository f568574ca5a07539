"""30 days of view counts for the synthetic benchmark site (`manage.py bench_site`).

`tests.bench.site.build_bench_site` calls `build_bench_data` after it created the
comparisons, and `remove_bench_data` before it deletes them. The scores the "Most searched"
blocks read are then recomputed once, as the nightly `refresh_popularity` would.
"""

import random
from datetime import timedelta

from django.db import models

from comparisons.interest import WINDOW_DAYS, refresh_popularity, today
from comparisons.models import ComparisonPopularity, DailyInterest

BATCH = 5000


def build_bench_data(comparison_ids, comments, progress, seed=1):
    """Create WINDOW_DAYS (30) DailyInterest rows per comparison with bulk inserts."""
    del comments  # the comments hook uses it; views do not depend on it
    if not comparison_ids:
        return 0
    rng = random.Random(seed)
    last = today()
    days = [last - timedelta(days=n) for n in range(WINDOW_DAYS)]
    plain = models.QuerySet(DailyInterest)
    bar = progress("view counts", len(comparison_ids) * len(days))
    pending = []
    for comparison_id in comparison_ids:
        popularity = rng.paretovariate(1.2)  # a few pages are read far more than most
        for day in days:
            views = int(popularity * rng.randrange(1, 20))
            pending.append(
                DailyInterest(
                    comparison_id=comparison_id,
                    day=day,
                    views=views,
                    searches=views // rng.randrange(2, 10),
                )
            )
        if len(pending) >= BATCH:
            plain.bulk_create(pending)
            bar.advance(len(pending))
            pending = []
    if pending:
        plain.bulk_create(pending)
        bar.advance(len(pending))
    refresh_popularity(day=last, full=True)
    return len(comparison_ids) * len(days)


def remove_bench_data(comparison_ids):
    """Delete the counts and scores of the bench comparisons (`comparison_ids`: pks)."""
    ComparisonPopularity.objects.filter(comparison__in=comparison_ids)._raw_delete("default")
    DailyInterest.objects.filter(comparison__in=comparison_ids)._raw_delete("default")
