"""Reader-facing pages. Views stay thin: QuerySets in models.py hold the rules."""

from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, TemplateView

from comments.moderation import client_ip

from .models import (
    Category,
    Comparison,
    Subject,
    find_comparison_by_pair_slug,
    group_rows,
    published_q,
)
from .reports import RowReportForm, allow_report, file_report
from .search import MAX_QUERY_LENGTH, search_comparisons


class VisibleComparisonsMixin:
    """Limit comparisons to what the requesting user may see."""

    def visible_comparisons(self):
        return Comparison.objects.visible_to(self.request.user)


class HomeView(VisibleComparisonsMixin, TemplateView):
    template_name = "comparisons/home.html"
    newest_count = 12

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        published = published_q(prefix="comparisons__")
        context["categories"] = Category.objects.annotate(
            comparison_count=Count("comparisons", filter=published, distinct=True)
        )
        context["newest"] = (
            Comparison.objects.published().for_listing().newest_first()[: self.newest_count]
        )
        return context


class CategoryDetailView(ListView):
    template_name = "comparisons/category_detail.html"
    context_object_name = "comparisons"
    paginate_by = 20

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


class SubjectDetailView(ListView):
    template_name = "comparisons/subject_detail.html"
    context_object_name = "comparisons"

    def get_queryset(self):
        self.subject = get_object_or_404(Subject, slug=self.kwargs["slug"])
        return (
            Comparison.objects.published().involving(self.subject).for_listing().order_by("title")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(subject=self.subject, **kwargs)


class ComparisonDetailView(VisibleComparisonsMixin, DetailView):
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
        context.update(
            comparison_page_context(
                comparison,
                categories=list(comparison.categories.all()),
                rows=list(comparison.rows.all()),
                credits=list(comparison.credits.all()),
            )
        )
        return context


def comparison_page_context(comparison, categories, rows, credits):
    """Return what the comparison template needs besides `comparison` itself.

    The parts are passed in so that the admin's preview can show unsaved ones.
    """
    return {
        "comparison": comparison,
        "categories": categories,
        "main_category": categories[0] if categories else None,
        "rows": rows,
        "row_groups": group_rows(rows),
        "credits": credits,
        "related": list(
            Comparison.objects.published().for_listing().related_to(comparison, categories)
        ),
        "is_public": comparison.is_public(),
        "publication_state": comparison.publication_state(),
    }


def vs_redirect(request, pair):
    """Send "/a-vs-b/" (in either order) permanently to the comparison's canonical address."""
    comparison = find_comparison_by_pair_slug(
        Comparison.objects.visible_to(request.user), pair, "-vs-"
    )
    if comparison is None:
        raise Http404("No comparison of these subjects.")
    return redirect(comparison, permanent=True)


class SearchView(ListView):
    template_name = "comparisons/search.html"
    context_object_name = "comparisons"
    paginate_by = 20

    def get_queryset(self):
        self.query = self.request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
        return search_comparisons(self.query)

    def get_context_data(self, **kwargs):
        return super().get_context_data(search_query=self.query, **kwargs)


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
        if allow_report(client_ip(request) or "unknown"):
            file_report(comparison, form.cleaned_data["row"], form.cleaned_data["note"])
            return render(request, "comparisons/row_report_sent.html", {"comparison": comparison})
        form.add_error(
            None,
            "You have sent several reports in a short time. Thank you! Please try again in an hour.",
        )
        status = 429
    return render(
        request,
        "comparisons/row_report_form.html",
        {"comparison": comparison, "form": form},
        status=status,
    )
