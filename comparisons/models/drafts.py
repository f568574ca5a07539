"""Drafts of live comparisons."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .comparison import Comparison


class ComparisonDraft(models.Model):
    """Unpublished changes to a live comparison: what an editor saved, waiting for a publisher.

    Readers, search, feeds, sitemaps and caches see only the comparison itself; the draft
    becomes live when a publisher publishes it (see comparisons.services).
    """

    comparison = models.OneToOneField(
        Comparison, on_delete=models.CASCADE, primary_key=True, related_name="draft"
    )
    content = models.JSONField(
        help_text="The changed comparison: its fields, category ids, rows and image credits."
    )
    saved_at = models.DateTimeField(default=timezone.now)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    publish_at = models.DateTimeField(
        "publish the changes at",
        null=True,
        blank=True,
        db_index=True,
        help_text="When set, the changes go live by themselves at this moment.",
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "draft of a live comparison"

    def __str__(self):
        return f"Draft of {self.comparison}"
