"""sitemap.xml: every published comparison, every category and subject, with lastmod."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q

from .models import Category, Comparison, Subject


def published_in(prefix):
    """Q for rows whose comparisons (reached through `prefix`) are published."""
    return Q(**{f"{prefix}__in": Comparison.objects.published()})


class ComparisonSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8
    limit = 10_000

    def items(self):
        return Comparison.objects.published().only("slug", "updated_at").order_by("id")

    def lastmod(self, comparison):
        return comparison.updated_at


class CategorySitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Category.objects.annotate(
            last_change=Max("comparisons__updated_at", filter=published_in("comparisons"))
        ).filter(last_change__isnull=False).order_by("order", "name")

    def lastmod(self, category):
        return category.last_change


class SubjectSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.4
    limit = 10_000

    def items(self):
        first = Max("comparisons_as_first__updated_at", filter=published_in("comparisons_as_first"))
        second = Max(
            "comparisons_as_second__updated_at", filter=published_in("comparisons_as_second")
        )
        return (
            Subject.objects.annotate(first_change=first, second_change=second)
            .filter(Q(first_change__isnull=False) | Q(second_change__isnull=False))
            .only("slug")
            .order_by("id")
        )

    def lastmod(self, subject):
        return max(date for date in (subject.first_change, subject.second_change) if date)


SITEMAPS = {
    "comparisons": ComparisonSitemap,
    "categories": CategorySitemap,
    "subjects": SubjectSitemap,
}
