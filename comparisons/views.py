"""Reader-facing pages. Views stay thin: QuerySets in the models package hold the rules."""

from urllib.parse import quote_plus

from django.core import signing
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponsePermanentRedirect,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.generic import DetailView, ListView, TemplateView

from comments import api as comments
from pagecache.fragments import fragment, rendering_page
from pagecache.tags import members_tag, object_tag, page_query, tag_page

from . import interest
from .invalidation import (
    CATEGORY_NAV,
    HOME,
    SEARCH,
    comparison_page_tags,
    listing_tags,
    most_searched_tag,
    most_searched_tags,
    published_counts_by_category,
)
from .models import (
    COMPARISON_SLUG_LENGTH,
    Category,
    Comparison,
    Subject,
    find_comparison_by_old_address,
    find_comparison_by_pair_slug,
    may_see_drafts,
)
from .page_parts import (
    comparison_page_context,
    comparison_parts,
    comparison_tags,
    kept_comment_threads,
    kept_comments_section,
)
from .reading import sidebar_blocks
from .reports import ReportRefused, RowReportForm, counted_report, file_report
from .search import search
from .text import parse_id


class VisibleComparisonsMixin:
    """Limit comparisons to what the requesting user may see."""

    def visible_comparisons(self):
        return Comparison.objects.visible_to(self.request.user)


class CachedPageMixin:
    """Name what the page shows (see comparisons/invalidation.py) so it can be cached whole."""

    def page_tags(self, context):
        return []

    def page_query(self, context):
        """The query parameters the page read, with the values it understood (see
        pagecache.tags.page_query)."""
        return {}

    def render_to_response(self, context, **response_kwargs):
        tag_page(self.request, CATEGORY_NAV, *self.page_tags(context))
        page_query(self.request, **self.page_query(context))
        context["keep_category_nav"] = True
        return super().render_to_response(context, **response_kwargs)


class HomeView(CachedPageMixin, VisibleComparisonsMixin, TemplateView):
    template_name = "comparisons/home.html"
    newest_count = 8

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = published_counts_by_category()
        context["categories"] = categories = list(Category.objects.all())
        for category in categories:
            category.comparison_count = counts.get(category.pk, 0)
        context["newest"] = list(
            Comparison.objects.published().for_listing().newest_first()[: self.newest_count]
        )
        context["most_searched"] = sidebar_blocks(shown=[c.pk for c in context["newest"]])
        return context

    def page_tags(self, context):
        return [
            HOME,
            *most_searched_tags(interest.most_searched_blocks()),
            *listing_tags(context["newest"]),
        ]


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

    sorts = {"newest": "Newest", "popular": "Most searched"}

    def get_paginator(self, queryset, per_page, **kwargs):
        count = published_counts_by_category().get(self.category.pk, 0)
        return KnownCountPaginator(queryset, per_page, count=count, **kwargs)

    def get_queryset(self):
        self.category = get_object_or_404(Category, slug=self.kwargs["slug"])
        self.sort = self.request.GET.get("sort", "newest")
        if self.sort not in self.sorts:
            self.sort = "newest"
        comparisons = Comparison.objects.published().filter(categories=self.category).for_listing()
        if self.sort == "newest":
            return comparisons.newest_first()
        return interest.most_searched_first(comparisons, self.category)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            category=self.category, sort=self.sort, sorts=self.sorts, **kwargs
        )
        context["current_category"] = self.category
        context["most_searched"] = sidebar_blocks(
            shown=[c.pk for c in context["object_list"]],
            exclude_category_ids={self.category.pk},
        )
        return context

    def page_query(self, context):
        return {"sort": self.sort, "page": context["page_obj"].number}

    def page_tags(self, context):
        return [
            object_tag(self.category),
            members_tag(self.category),
            *most_searched_tags(interest.most_searched_blocks()),
            *([most_searched_tag(self.category.pk)] if self.sort == "popular" else []),
            *listing_tags(context["object_list"]),
        ]


class SubjectDetailView(CachedPageMixin, ListView):
    """A subject and its published comparisons. A subject of drafts alone is not shown to
    readers (404), as search does not name it: its page would announce what is coming."""

    template_name = "comparisons/subject_detail.html"
    context_object_name = "comparisons"

    def get_allow_empty(self):
        return may_see_drafts(self.request.user)

    def get_queryset(self):
        self.subject = get_object_or_404(Subject, slug=self.kwargs["slug"])
        return (
            Comparison.objects.published().involving(self.subject).for_listing().order_by("title")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(subject=self.subject, **kwargs)
        context["most_searched"] = sidebar_blocks(shown=[c.pk for c in context["object_list"]])
        return context

    def page_tags(self, context):
        return [
            *most_searched_tags(interest.most_searched_blocks()),
            object_tag(self.subject),
            members_tag(self.subject),
            *listing_tags(context["object_list"]),
        ]


class ComparisonDetailView(CachedPageMixin, VisibleComparisonsMixin, DetailView):
    template_name = "comparisons/comparison_detail.html"
    context_object_name = "comparison"

    def get_queryset(self):
        return (
            self.visible_comparisons().select_related("first_subject", "second_subject", "author")
        )

    def get_object(self, queryset=None):
        """The comparison the address names. On a page made for every reader (see
        pagecache.fragments.rendering_page), a published one is read once per change of it or
        of its subjects; whether it is still public is checked every time."""
        if queryset is not None or not rendering_page() or may_see_drafts(self.request.user):
            return super().get_object(queryset)
        comparison = fragment(
            f"comparison:{self.kwargs['slug']}",
            super().get_object,  # raises Http404: nothing is kept
            comparison_tags,
        )
        if not comparison.is_public():
            return super().get_object()
        return comparison

    def get(self, request, *args, **kwargs):
        try:
            if len(self.kwargs["slug"]) > COMPARISON_SLUG_LENGTH:
                raise Http404("No comparison has so long an address.")
            return super().get(request, *args, **kwargs)
        except Http404:
            visible = self.visible_comparisons()
            slug = self.kwargs["slug"].lower()
            moved = find_comparison_by_pair_slug(
                visible, slug, "-and-"
            ) or find_comparison_by_old_address(visible, slug, "-and-")
            if moved is None:
                raise
            return moved_permanently(request, moved)

    def get_context_data(self, **kwargs):
        comparison = self.object
        context = super().get_context_data(**kwargs)
        categories, rows, credits = comparison_parts(comparison)
        context.update(
            comparison_page_context(
                self.request, comparison, categories, rows, credits, shared_parts=True
            )
        )
        comments.keep_threads_with(self.request, kept_comment_threads, kept_comments_section)
        return context

    def page_query(self, context):
        # A page number the comments cannot read is their 404, given as the page renders.
        return {comments.PAGE_PARAMETER: parse_id(self.request.GET.get(comments.PAGE_PARAMETER))}

    def page_tags(self, context):
        return [
            *most_searched_tags(interest.most_searched_blocks()),
            *comparison_page_tags(self.object, context["categories"], context["related"]),
        ]


def moved_permanently(request, comparison):
    """A 301 to `comparison`'s address that keeps the query string (a campaign's tags)."""
    address, query = comparison.get_absolute_url(), request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{address}?{query}" if query else address)


@require_safe
def vs_redirect(request, pair):
    """Send "/a-vs-b/" (in either order, in any case) permanently to the comparison's
    canonical address."""
    visible = Comparison.objects.visible_to(request.user)
    pair = pair.lower()
    comparison = find_comparison_by_pair_slug(
        visible, pair, "-vs-"
    ) or find_comparison_by_old_address(visible, pair, "-vs-")
    if comparison is None:
        raise Http404("No comparison of these subjects.")
    return moved_permanently(request, comparison)


class SearchView(CachedPageMixin, ListView):
    """Results for ?q=: ranked by comparisons.search, 20 a page.

    Cached whole like every public page, so the query is not logged here: the first page
    carries a signed token that its beacon sends to `interest_beacon` (see popularity).
    """

    template_name = "comparisons/search.html"
    context_object_name = "comparisons"
    paginate_by = 20

    def get_queryset(self):
        self.results = search(self.request.GET.get("q", ""))
        return self.results.comparisons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        results = self.results
        total = context["paginator"].count if results.has_words else 0
        if results.has_words and context["page_obj"].number == 1:
            context["search_log_token"] = interest.search_log_token(results.query, total)
        if results.has_words and total == 0:
            results.suggest()
        context.update(
            results=results,
            search_query=results.query,
            result_count=total,
            max_counted=results.comparisons.max_counted,
            subjects=results.subjects,
            highlight_terms=results.highlight_terms,
            most_searched=sidebar_blocks(shown=[c.pk for c in context["object_list"]]),
            suggestion_url=(
                reverse("comparisons:search") + "?q=" + quote_plus(results.suggestion)
                if results.suggestion
                else ""
            ),
        )
        return context

    def page_query(self, context):
        return {"q": self.request.GET.get("q"), "page": context["page_obj"].number}

    def page_tags(self, context):
        """The search tag (dropped when what any search finds may change), and what the page
        shows: its comparisons and the subjects it names."""
        return [
            SEARCH,
            *listing_tags(context["object_list"]),
            *(object_tag(subject) for subject in context["subjects"]),
        ]


@csrf_exempt
@never_cache
@require_POST
def interest_beacon(request):
    """Count a view of, or a search click on, a comparison, or a search (kind=query with the
    results page's token); answer 204.

    Exempt from CSRF because the page that sends it is cached whole (no token in it);
    it is harmless: it can only add one count per visitor, comparison (or query) and day.
    """
    kind = request.POST.get("kind", "")
    if kind == "query":
        try:
            interest.record_search_log(request, request.POST.get("token", ""))
        except signing.BadSignature:
            return HttpResponseBadRequest("Expected the token of a results page.")
        return HttpResponse(status=204)
    comparison_id = parse_id(request.POST.get("comparison"))
    if kind not in interest.KINDS or comparison_id is None:
        return HttpResponseBadRequest("Expected kind=view|search and a comparison id.")
    interest.record_interest(request, comparison_id, kind)
    return HttpResponse(status=204)


@require_safe
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: " + reverse("admin:index"),
        "Disallow: " + reverse("comparisons:search"),
        "Disallow: " + reverse("comparisons:interest"),
        f"Sitemap: {sitemap}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def report_row(request, slug):
    """The "Is this row wrong?" page: its own request, so the comparison page stays cacheable."""
    comparison = get_object_or_404(
        Comparison.objects.visible_to(request.user).select_related(
            "first_subject", "second_subject"
        ),
        slug=slug,
    )
    form = RowReportForm(request.POST or None, comparison=comparison)
    row_id = parse_id(request.GET.get("row"))
    if request.method == "GET" and row_id is not None:
        form.initial["row"] = row_id
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            with counted_report(request):
                file_report(comparison, form.cleaned_data["row"], form.cleaned_data["note"])
            return render(request, "comparisons/row_report_sent.html", {"comparison": comparison})
        except ReportRefused as refused:
            form.add_error(None, refused.message)
            status = 429
    return render(
        request,
        "comparisons/row_report_form.html",
        {"comparison": comparison, "form": form},
        status=status,
    )
