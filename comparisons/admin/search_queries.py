"""What readers search for: the list and the report."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse

from ..models import SearchQuery


class ResultsFilter(admin.SimpleListFilter):
    title = "results"
    parameter_name = "results"

    def lookups(self, request, model_admin):
        return [("none", "No results"), ("some", "Some results")]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(result_count=0)
        if self.value() == "some":
            return queryset.filter(result_count__gt=0)
        return queryset


@admin.register(SearchQuery)
class SearchQueryAdmin(admin.ModelAdmin):
    """What readers search for. Queries with no results are the comparisons to write next."""

    list_display = ["query", "count", "result_count", "last_asked"]
    list_filter = [ResultsFilter, "last_asked"]
    search_fields = ["query"]
    ordering = ["-count", "query"]
    readonly_fields = ["query", "count", "result_count", "first_asked", "last_asked"]
    report_size = 50

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        report = self.admin_site.admin_view(self.report_view)
        return [
            path("report/", report, name="comparisons_searchquery_report"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "report_url": reverse("admin:comparisons_searchquery_report"),
        }
        return super().changelist_view(request, extra_context)

    def report_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        queries = SearchQuery.objects.order_by("-count", "query")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "What readers search for",
            "most_asked": queries[: self.report_size],
            "unanswered": queries.filter(result_count=0)[: self.report_size],
        }
        return TemplateResponse(request, "admin/comparisons/searchquery/report.html", context)
