"""Reader-facing pages. Views stay thin: QuerySets in models.py hold the rules."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import DetailView, ListView, TemplateView

from config.page_cache import members_tag, object_tag, tag_page

from .invalidation import (
    CATEGORY_NAV,
    HOME,
    SEARCH,
    comparison_page_tags,
    listing_tags,
    published_counts_by_category,
)
from .models import Category, Comparison, Subject, find_comparison_by_pair_slug
from .search import MAX_QUERY_LENGTH, search_comparisons


class VisibleComparisonsMixin:
    """Limit comparisons to what the requesting user may see."""

    def visible_comparisons(self):
        return Comparison.objects.visible_to(self.request.user)


class CachedPageMixin:
    """Name what the page shows (see comparisons/invalidation.py) so it can be cached whole."""

    def page_tags(self, context):
        return []

    def render_to_response(self, context, **response_kwargs):
        tag_page(self.request, CATEGORY_NAV, *self.page_tags(context))
        return super().render_to_response(context, **response_kwargs)


class HomeView(CachedPageMixin, VisibleComparisonsMixin, TemplateView):
    template_name = "comparisons/home.html"
    newest_count = 12

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = published_counts_by_category()
        context["categories"] = categories = list(Category.objects.all())
        for category in categories:
            category.comparison_count = counts.get(category.pk, 0)
        context["newest"] = list(
            Comparison.objects.published().for_listing().newest_first()[: self.newest_count]
        )
        return context

    def page_tags(self, context):
        return [HOME, *listing_tags(context["newest"])]


class KnownCountPaginator(Paginator):
    """A paginator told its total instead of counting the rows (a COUNT over a big category
    reads all of it)."""

    def __init__(self, *args, count, **kwargs):
        super().__init__(*args, **kwargs)
        self.count = count


class CategoryDetailView(CachedPageMixin, ListView):
    template_name = "comparisons/category_detail.html"
    context_object_name = "comparisons"
    paginate_by = 20

    def get_paginator(self, queryset, per_page, **kwargs):
        count = published_counts_by_category().get(self.category.pk, 0)
        return KnownCountPaginator(queryset, per_page, count=count, **kwargs)

    def get_queryset(self):
        self.category = get_object_or_404(Category, slug=self.kwargs["slug"])
        return (
            Comparison.objects.published()
            .filter(categories=self.category)
            .for_listing()
            .newest_first()
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(category=self.category, **kwargs)

    def page_tags(self, context):
        return [
            object_tag(self.category),
            members_tag(self.category),
            *listing_tags(context["object_list"]),
        ]


class SubjectDetailView(CachedPageMixin, ListView):
    template_name = "comparisons/subject_detail.html"
    context_object_name = "comparisons"

    def get_queryset(self):
        self.subject = get_object_or_404(Subject, slug=self.kwargs["slug"])
        return (
            Comparison.objects.published().involving(self.subject).for_listing().order_by("title")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(subject=self.subject, **kwargs)

    def page_tags(self, context):
        return [
            object_tag(self.subject),
            members_tag(self.subject),
            *listing_tags(context["object_list"]),
        ]


class ComparisonDetailView(CachedPageMixin, VisibleComparisonsMixin, DetailView):
    template_name = "comparisons/comparison_detail.html"
    context_object_name = "comparison"

    def get_queryset(self):
        return (
            self.visible_comparisons()
            .select_related("first_subject", "second_subject", "author")
            .prefetch_related("categories", "rows", "credits")
        )

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            reversed_pair = find_comparison_by_pair_slug(
                self.visible_comparisons(), self.kwargs["slug"], "-and-"
            )
            if reversed_pair is None:
                raise
            return redirect(reversed_pair, permanent=True)

    def get_context_data(self, **kwargs):
        comparison = self.object
        context = super().get_context_data(**kwargs)
        categories = list(comparison.categories.all())
        context.update(
            categories=categories,
            main_category=categories[0] if categories else None,
            rows=list(comparison.rows.all()),
            credits=list(comparison.credits.all()),
            related=list(Comparison.objects.published().for_listing().related_to(comparison)),
            is_public=comparison.is_public(),
        )
        return context

    def page_tags(self, context):
        return comparison_page_tags(self.object, context["categories"], context["related"])


def vs_redirect(request, pair):
    """Send "/a-vs-b/" (in either order) permanently to the comparison's canonical address."""
    comparison = find_comparison_by_pair_slug(
        Comparison.objects.visible_to(request.user), pair, "-vs-"
    )
    if comparison is None:
        raise Http404("No comparison of these subjects.")
    return redirect(comparison, permanent=True)


class SearchView(CachedPageMixin, ListView):
    template_name = "comparisons/search.html"
    context_object_name = "comparisons"
    paginate_by = 20

    def get_queryset(self):
        self.query = self.request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
        return search_comparisons(self.query)

    def get_context_data(self, **kwargs):
        return super().get_context_data(search_query=self.query, **kwargs)

    def page_tags(self, context):
        return [SEARCH, *listing_tags(context["object_list"])]
