"""Reader-facing pages. Views stay thin: QuerySets in the models package hold the rules."""

from urllib.parse import quote_plus

from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import DetailView, ListView, TemplateView

from comments import api as comments
from pagecache.fragments import fragment, rendering_page
from pagecache.tags import comments_tag, detail_tag, members_tag, object_tag, tag_page

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
    group_rows,
    may_see_drafts,
)
from .reading import article_of, shows_contents, sidebar_blocks
from .reports import ReportRefused, RowReportForm, counted_report, file_report
from .search import search
from .structured_data import comparison_structured_data


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

    def page_tags(self, context):
        return [
            object_tag(self.category),
            members_tag(self.category),
            *most_searched_tags(interest.most_searched_blocks()),
            *([most_searched_tag(self.category.pk)] if self.sort == "popular" else []),
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
            lambda comparison: [
                object_tag(comparison),
                detail_tag(comparison),
                object_tag(Subject, comparison.first_subject_id),
                object_tag(Subject, comparison.second_subject_id),
            ],
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
            moved = find_comparison_by_pair_slug(
                visible, self.kwargs["slug"], "-and-"
            ) or find_comparison_by_old_address(visible, self.kwargs["slug"], "-and-")
            if moved is None:
                raise
            return redirect(moved, permanent=True)

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

    def page_tags(self, context):
        return [
            *most_searched_tags(interest.most_searched_blocks()),
            *comparison_page_tags(self.object, context["categories"], context["related"]),
        ]


def comparison_parts(comparison):
    """(categories, rows, credits) of a saved comparison, read once per change of it or of
    its categories."""

    def read():
        return (
            list(comparison.categories.all()),
            list(comparison.rows.all()),
            list(comparison.credits.all()),
        )

    return fragment(
        f"parts:{comparison.pk}",
        read,
        lambda parts: [
            object_tag(comparison),
            detail_tag(comparison),
            *(object_tag(category) for category in parts[0]),
        ],
    )


def kept_comment_threads(target, number, read):
    """A page of `target`'s comment threads, read once per change of its comments."""
    name = f"comments:{target._meta.label_lower}:{target.pk}:{number}"
    return fragment(name, read, lambda _threads: [comments_tag(target)])


def kept_comments_section(target, variant, render):
    """`target`'s comments section as HTML, rendered once per change of its comments (and
    per `variant`: the address, the comments page, whether comments are open)."""
    name = f"comments-html:{target._meta.label_lower}:{target.pk}:{variant}"
    return fragment(name, render, lambda _html: [comments_tag(target)])


def related_comparisons(comparison, categories, shared_parts=False):
    """The comparisons listed as related to `comparison` in `categories`; with
    `shared_parts`, read once per change of the lists they are drawn from (saved parts only)."""

    def read():
        return list(
            Comparison.objects.published()
            .for_listing()
            .related_to(comparison, categories, limit=interest.BLOCK_SIZE)
        )

    if not shared_parts:
        return read()
    subjects = (comparison.first_subject_id, comparison.second_subject_id)
    category_pks = [category.pk for category in categories]
    name = f"related:{comparison.pk}:{subjects}:{category_pks}"
    return fragment(name, read, lambda related: related_tags(comparison, categories, related))


def related_tags(comparison, categories, related):
    """The tags of the lists `related` is drawn from, and of the comparisons it lists."""
    subjects = (comparison.first_subject_id, comparison.second_subject_id)
    return [
        *(members_tag(Subject, pk) for pk in subjects),
        *(members_tag(category) for category in categories),
        *listing_tags(related),
    ]


def kept_differences(comparison, rows, row_groups):
    """The table of a saved comparison's differences as HTML, rendered once per change of
    the comparison, its rows or its subjects' names."""

    def render():
        return render_to_string(
            "comparisons/_differences.html",
            {"comparison": comparison, "rows": rows, "row_groups": row_groups},
        )

    return fragment(
        f"differences:{comparison.pk}",
        render,
        lambda _html: [
            object_tag(comparison),
            detail_tag(comparison),
            object_tag(Subject, comparison.first_subject_id),
            object_tag(Subject, comparison.second_subject_id),
        ],
    )


def kept_sidebar_lists(comparison, categories, related, blocks):
    """The related list and "Most searched" blocks of a saved comparison's sidebar as HTML,
    rendered once per change of the related list or of the blocks."""

    def render():
        return render_to_string(
            "comparisons/_sidebar_lists.html", {"related": related, "most_searched": blocks()}
        )

    subjects = (comparison.first_subject_id, comparison.second_subject_id)
    name = f"sidebar:{comparison.pk}:{subjects}:{[category.pk for category in categories]}"
    return fragment(
        name,
        render,
        lambda _html: [
            *related_tags(comparison, categories, related),
            *most_searched_tags(interest.most_searched_blocks()),
        ],
    )


def comparison_page_context(request, comparison, categories, rows, credits, shared_parts=False):
    """Return what the comparison template needs besides `comparison` itself.

    The parts are passed in so that the admin's preview can show unsaved ones; the public
    page passes `shared_parts` to reuse what stays the same between changes.
    """
    main_category = categories[0] if categories else None
    related = related_comparisons(comparison, categories, shared_parts)

    def blocks():
        return sidebar_blocks(
            shown=[other.pk for other in related],
            category_ids={category.pk for category in categories},
            exclude_id=comparison.pk,
        )

    row_groups = group_rows(rows)
    if shared_parts:
        most_searched = None
        sidebar_lists = kept_sidebar_lists(comparison, categories, related, blocks)
        differences = kept_differences(comparison, rows, row_groups)
    else:
        most_searched, sidebar_lists, differences = blocks(), None, None
    article = article_of(comparison.body_html)
    return {
        "comparison": comparison,
        "categories": categories,
        "main_category": main_category,
        "rows": rows,
        "row_groups": row_groups,
        "differences": differences,
        "credits": credits,
        "related": related,
        "article": article,
        "show_contents": shows_contents(article),
        "is_public": comparison.is_public(),
        "publication_state": comparison.publication_state(),
        "most_searched": most_searched,
        "sidebar_lists": sidebar_lists,
        "structured_data": comparison_structured_data(request, comparison, main_category, rows),
    }


def vs_redirect(request, pair):
    """Send "/a-vs-b/" (in either order) permanently to the comparison's canonical address."""
    visible = Comparison.objects.visible_to(request.user)
    comparison = find_comparison_by_pair_slug(
        visible, pair, "-vs-"
    ) or find_comparison_by_old_address(visible, pair, "-vs-")
    if comparison is None:
        raise Http404("No comparison of these subjects.")
    return redirect(comparison, permanent=True)


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
    comparison_id = request.POST.get("comparison", "")
    if kind not in interest.KINDS or not comparison_id.isdigit() or len(comparison_id) > 18:
        return HttpResponseBadRequest("Expected kind=view|search and a comparison id.")
    interest.record_interest(request, int(comparison_id), kind)
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
def report_row(request, slug):
    """The "Is this row wrong?" page: its own request, so the comparison page stays cacheable."""
    comparison = get_object_or_404(
        Comparison.objects.visible_to(request.user).select_related(
            "first_subject", "second_subject"
        ),
        slug=slug,
    )
    form = RowReportForm(request.POST or None, comparison=comparison)
    if request.method == "GET" and request.GET.get("row", "").isdigit():
        form.initial["row"] = int(request.GET["row"])
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
