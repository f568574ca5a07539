"""What readers read and search: daily counts, popularity, pinned comparisons, queries."""

from django.db import models
from django.utils import timezone

from .comparison import Comparison
from .taxonomy import Category


class DailyInterest(models.Model):
    """How many readers viewed a comparison, and reached it from search, on one day."""

    comparison = models.ForeignKey(
        Comparison, on_delete=models.CASCADE, related_name="daily_interest"
    )
    day = models.DateField(help_text="The day (UTC) the counts are for.")
    views = models.PositiveIntegerField(default=0, help_text="Readers who opened the page.")
    searches = models.PositiveIntegerField(
        default=0, help_text="Readers who opened it from the site search."
    )

    class Meta:
        ordering = ["-day"]
        verbose_name_plural = "daily interest"
        constraints = [
            models.UniqueConstraint(fields=["comparison", "day"], name="daily_interest_unique")
        ]
        indexes = [models.Index(fields=["day"], name="daily_interest_day_idx")]

    def __str__(self):
        return f"{self.comparison_id} on {self.day}"


class ComparisonPopularity(models.Model):
    """A comparison's interest totals, recomputed by `flush_interest` (never on a page view)."""

    comparison = models.OneToOneField(
        Comparison, on_delete=models.CASCADE, primary_key=True, related_name="popularity"
    )
    views_30d = models.PositiveIntegerField(default=0)
    searches_30d = models.PositiveIntegerField(default=0)
    views_total = models.PositiveIntegerField(default=0)
    searches_total = models.PositiveIntegerField(default=0)
    score_30d = models.PositiveIntegerField(
        default=0, db_index=True, help_text="Views plus weighted searches, last 30 days."
    )
    score_total = models.PositiveIntegerField(default=0, help_text="The same, all time.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "comparison popularity"

    def __str__(self):
        return f"{self.comparison_id}: {self.score_30d}"


class PinnedComparison(models.Model):
    """A comparison an editor put at the top of a category's "Most searched" block."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="pins")
    comparison = models.ForeignKey(
        Comparison,
        on_delete=models.CASCADE,
        related_name="pins",
        help_text='Shown at the top of the category\'s "Most searched" block.',
    )
    order = models.PositiveIntegerField(
        default=0, help_text="Pins are shown from the lowest number to the highest."
    )

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "pinned comparison"
        constraints = [
            models.UniqueConstraint(fields=["category", "comparison"], name="pin_unique")
        ]

    def __str__(self):
        return f"{self.comparison} in {self.category}"


class SearchQuery(models.Model):
    """A query readers typed in the site search, normalised, and how often."""

    query = models.CharField(max_length=200, unique=True, help_text="Lower case, trimmed.")
    count = models.PositiveIntegerField(default=0, help_text="How many times it was asked.")
    result_count = models.PositiveIntegerField(
        default=0, db_index=True, help_text="How many comparisons it found the last time."
    )
    first_asked = models.DateTimeField(default=timezone.now)
    last_asked = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-count", "query"]
        verbose_name = "search query"
        verbose_name_plural = "search queries"

    def __str__(self):
        return self.query


class InterestBatch(models.Model):
    """A batch of buffered counts already written, so a retried flush never doubles it."""

    key = models.CharField(max_length=64, unique=True)
    flushed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.key
