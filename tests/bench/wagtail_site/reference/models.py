from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable, Page


class ComparisonPage(Page):
    """Two subjects, their key difference and a table of differences: no blocks, no comments."""

    first_subject = models.CharField(max_length=100)
    second_subject = models.CharField(max_length=100)
    key_difference = models.TextField()

    content_panels = [
        *Page.content_panels,
        FieldPanel("first_subject"),
        FieldPanel("second_subject"),
        FieldPanel("key_difference"),
        InlinePanel("rows", label="Differences"),
    ]


class DifferenceRow(Orderable):
    page = ParentalKey(ComparisonPage, on_delete=models.CASCADE, related_name="rows")
    aspect = models.CharField(max_length=200)
    first_value = models.TextField()
    second_value = models.TextField()

    panels = [FieldPanel("aspect"), FieldPanel("first_value"), FieldPanel("second_value")]
