"""Moving the counts buffered in Redis to the database, exactly once."""

import contextlib
import uuid
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction

from ..models import Comparison, InterestBatch
from .counters import add_daily_counts, add_query_counts, pending_key, redis_client
from .recording import KINDS


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
