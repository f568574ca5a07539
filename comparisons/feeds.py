"""RSS and Atom feeds of new comparisons, site-wide and per category."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .models import Category, Comparison
from .text import without_control_characters

FEED_SIZE = 30


def feed_text(text):
    """`text` as a feed can hold it (XML 1.0): without control characters, line breaks from
    a word processor as spaces."""
    return without_control_characters(text, line_break=" ")


class LatestComparisonsFeed(Feed):
    description = "New comparisons, newest first."

    def title(self):
        return f"{settings.SITE_NAME}: new comparisons"

    def link(self):
        return reverse("comparisons:home")

    def items(self):
        return Comparison.objects.published().for_listing().newest_first()[:FEED_SIZE]

    def item_title(self, comparison):
        return feed_text(comparison.title)

    def item_description(self, comparison):
        return feed_text(comparison.key_difference)

    def item_pubdate(self, comparison):
        return comparison.publish_at

    def item_updateddate(self, comparison):
        return comparison.updated_at


class LatestComparisonsAtomFeed(LatestComparisonsFeed):
    feed_type = Atom1Feed
    subtitle = LatestComparisonsFeed.description


class CategoryFeed(LatestComparisonsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Category, slug=slug)

    def title(self, category):
        return feed_text(f"{settings.SITE_NAME}: new comparisons in {category.name}")

    def link(self, category):
        return category.get_absolute_url()

    def description(self, category):
        return feed_text(f"New comparisons in {category.name}, newest first.")

    def items(self, category):
        return (
            Comparison.objects.published()
            .filter(categories=category)
            .for_listing()
            .newest_first()[:FEED_SIZE]
        )


class CategoryAtomFeed(CategoryFeed):
    feed_type = Atom1Feed

    def subtitle(self, category):
        return self.description(category)
