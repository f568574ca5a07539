"""A comparison's parts: its rows of differences and its image credits."""

from dataclasses import dataclass

from django.db import models

from .comparison import Comparison
from .plain_text import PlainTextFields


class DifferenceRow(PlainTextFields, models.Model):
    # What an editor writes of a row, in the order the admin, drafts and imports list it.
    EDITABLE_FIELDS = (
        "order",
        "section",
        "aspect",
        "first_value",
        "second_value",
        "source",
        "source_url",
        "checked_on",
    )

    comparison = models.ForeignKey(Comparison, on_delete=models.CASCADE, related_name="rows")
    aspect = models.CharField(max_length=150, help_text='What is compared, e.g. "Stands for".')
    first_value = models.TextField(help_text="The value for the first subject.")
    second_value = models.TextField(help_text="The value for the second subject.")
    order = models.PositiveIntegerField(
        default=0,
        db_index=True,
        help_text="Rows are shown from the lowest number to the highest. Drag the rows, or type "
        "numbers here.",
    )
    section = models.CharField(
        max_length=80,
        blank=True,
        help_text='Optional heading such as "Overview" or "Careers". Consecutive rows with the '
        "same heading are grouped under it in the table.",
    )
    source = models.CharField(
        max_length=200,
        blank=True,
        help_text='Where this row\'s facts come from, e.g. "OECD Employment Outlook 2024".',
    )
    source_url = models.URLField(
        "source link", blank=True, help_text="Optional link to the source (https://...)."
    )
    checked_on = models.DateField(
        "last checked",
        null=True,
        blank=True,
        help_text="When an editor last checked this row against its source.",
    )

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "difference row"

    def __str__(self):
        return self.aspect


@dataclass
class RowGroup:
    heading: str
    rows: list


def group_rows(rows):
    """Group consecutive `rows` that share a section heading, keeping their order."""
    groups = []
    for row in rows:
        heading = row.section.strip()
        if not groups or groups[-1].heading != heading:
            groups.append(RowGroup(heading, []))
        groups[-1].rows.append(row)
    return groups


class ImageCredit(PlainTextFields, models.Model):
    comparison = models.ForeignKey(Comparison, on_delete=models.CASCADE, related_name="credits")
    text = models.CharField(max_length=200, help_text='Who the image is from, e.g. "tvtworld.com".')
    url = models.URLField(blank=True, help_text="Optional link to the source.")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.text
