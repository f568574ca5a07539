"""The editors' figures: a comparison's interest, the most read, unanswered searches."""

from datetime import timedelta

from django.db.models import Q, Sum
from django.utils import timezone

from ..models import Comparison, DailyInterest, SearchQuery
from .ranking import WINDOW_DAYS
from .recording import today


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
