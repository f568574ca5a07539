"""Comments for the synthetic benchmark site (`manage.py bench_site`), written in bulk.

`tests.bench.site.build_bench_site` calls `build_bench_data` after it created the
comparisons, and `remove_bench_data` before it deletes them. Comments are spread unevenly, as
on a real site: a few comparisons collect many, most a handful; about one in five is a reply.
"""

import random
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from comments.api import Comment, render_plain_text
from comparisons.models import Comparison

BATCH = 5000
REPLY_SHARE = 0.2
TEXT = (
    "I always mixed these two up. The table made it clear for me: the first one is about "
    "volume, the second about judgement. Thanks for writing comparison {n}."
)


def _weights(count, rng):
    """A long-tailed share of comments for each of `count` comparisons."""
    return [rng.paretovariate(1.2) for _ in range(count)]


def build_bench_data(comparison_ids, comments, progress, seed=1):
    """Create `comments` published comments on `comparison_ids` with bulk inserts.

    Top-level comments first, then the replies (REPLY_SHARE of them) to comments of the
    same comparison, so every reply has a stored parent.
    """
    if not comparison_ids or comments <= 0:
        return 0
    rng = random.Random(seed)
    content_type = ContentType.objects.get_for_model(Comparison)
    weights = _weights(len(comparison_ids), rng)
    now = timezone.now()
    html = render_plain_text(TEXT.format(n="N")).replace("N", "{n}")  # render once, fill in
    plain = models.QuerySet(Comment)  # no per-row save(): html is filled in here
    bar = progress("comments", comments)

    def comment(n, target, parent=None):
        return Comment(
            content_type=content_type,
            object_id=target,
            parent_id=parent,
            thread_id=parent,
            depth=1 if parent else 0,
            name=f"Bench reader {n % 997}",
            email=f"reader{n % 997}@bench.example",
            subject=f"Comment {n}",
            text=TEXT.format(n=n),
            html=html.format(n=n),
            status=Comment.Status.PUBLISHED,
            created_at=now - timedelta(minutes=comments - n),
            updated_at=now,
        )

    def insert(batch):
        with transaction.atomic():
            plain.bulk_create(batch)
        bar.advance(len(batch))

    top_count = max(1, round(comments * (1 - REPLY_SHARE)))
    targets = rng.choices(comparison_ids, weights=weights, k=top_count)
    for start in range(0, top_count, BATCH):
        insert([comment(n, targets[n]) for n in range(start, min(start + BATCH, top_count))])

    parents = list(
        Comment.objects.filter(email__endswith="@bench.example", depth=0)
        .order_by()
        .values_list("pk", "object_id")
    )
    batch = []
    for n in range(top_count, comments):
        parent, target = rng.choice(parents)
        batch.append(comment(n, target, parent))
        if len(batch) >= BATCH:
            insert(batch)
            batch = []
    if batch:
        insert(batch)
    return comments


def remove_bench_data(comparison_ids):
    """Delete the comments of the bench comparisons (`comparison_ids`: a queryset of pks)."""
    content_type = ContentType.objects.get_for_model(Comparison)
    Comment.objects.filter(
        content_type=content_type, object_id__in=comparison_ids
    )._raw_delete("default")
