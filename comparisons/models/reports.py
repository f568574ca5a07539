"""Readers' reports on rows of a comparison."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .comparison import Comparison
from .parts import DifferenceRow


class RowReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=RowReport.Status.OPEN)


class RowReport(models.Model):
    """A reader's note that a row of a comparison's table is wrong."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved: the row was corrected"
        DISMISSED = "dismissed", "Dismissed: the row is right"

    comparison = models.ForeignKey(
        Comparison, on_delete=models.CASCADE, related_name="row_reports", editable=False
    )
    row = models.ForeignKey(
        DifferenceRow,
        on_delete=models.CASCADE,
        related_name="reports",
        help_text="The row the reader says is wrong.",
    )
    note = models.TextField(max_length=1000, help_text="What the reader says is wrong.")
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.OPEN,
        db_index=True,
        help_text="Resolve it once the row is corrected, or dismiss it if the row is right.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    handled_at = models.DateTimeField(null=True, blank=True, editable=False)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = RowReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "row report"

    def __str__(self):
        return f"Report on {self.row}"

    def handle(self, status, user, at=None):
        """Record that `user` resolved or dismissed this report (call save() after)."""
        self.status = status
        self.handled_by = user
        self.handled_at = at or timezone.now()
