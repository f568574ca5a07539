"""The editors' screens."""

from django.contrib import admin, messages
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html_join

from comments.models import Comment, comment_count

from .admin_interest import interest_panel
from .models import (
    Category,
    Comparison,
    DifferenceRow,
    ImageCredit,
    PinnedComparison,
    SearchQuery,
    Subject,
    record_address_change,
)
from .popularity import refresh_most_searched
from .search import update_search_index, update_search_index_for_subject


class PinnedComparisonInline(admin.TabularInline):
    model = PinnedComparison
    extra = 1
    fields = ["order", "comparison"]
    autocomplete_fields = ["comparison"]
    verbose_name = "pinned comparison"
    verbose_name_plural = 'Pinned to the top of "Most searched in this category"'


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order", "comparison_count"]
    list_editable = ["order"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PinnedComparisonInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(comparison_total=Count("comparisons"))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        refresh_most_searched()

    @admin.display(description="Comparisons", ordering="comparison_total")
    def comparison_count(self, category):
        return category.comparison_total


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:
            update_search_index_for_subject(obj)


class DifferenceRowInline(admin.TabularInline):
    model = DifferenceRow
    extra = 1
    fields = ["order", "aspect", "first_value", "second_value"]


class ImageCreditInline(admin.TabularInline):
    model = ImageCredit
    extra = 0
    fields = ["order", "text", "url"]
    verbose_name = "image credit"


@admin.register(Comparison)
class ComparisonAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "category_names",
        "status",
        "publish_at",
        "updated_at",
        "published_comments",
        "pending_comments",
    ]
    list_filter = ["status", "categories", "publish_at", "comments_open"]
    search_fields = ["title", "first_subject__name", "second_subject__name"]
    autocomplete_fields = ["first_subject", "second_subject"]
    filter_horizontal = ["categories"]
    date_hierarchy = "publish_at"
    ordering = ["-updated_at"]
    inlines = [DifferenceRowInline, ImageCreditInline]
    actions = ["publish", "unpublish"]
    readonly_fields = ["created_at", "updated_at", "earlier_addresses", "reader_interest"]
    fieldsets = [
        (None, {"fields": ["first_subject", "second_subject", "title", "slug"]}),
        ("Article", {"fields": ["key_difference", "body", "categories"]}),
        ("Lead image", {"fields": ["lead_image", "lead_image_alt"]}),
        (
            "Publishing",
            {
                "fields": [
                    "status",
                    "publish_at",
                    "author",
                    "comments_open",
                    "meta_description",
                    "created_at",
                    "updated_at",
                    "earlier_addresses",
                ]
            },
        ),
        ("Reader interest", {"fields": ["reader_interest"]}),
    ]

    class Media:
        js = ["comparisons/admin/comparison_slug.js"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("categories")
            .annotate(
                published_comment_total=comment_count(Comment.Status.PUBLISHED, Comparison),
                pending_comment_total=comment_count(Comment.Status.PENDING, Comparison),
            )
        )

    @admin.display(description="Published comments", ordering="published_comment_total")
    def published_comments(self, comparison):
        return comparison.published_comment_total

    @admin.display(description="Pending comments", ordering="pending_comment_total")
    def pending_comments(self, comparison):
        return comparison.pending_comment_total

    @admin.display(description="Categories")
    def category_names(self, comparison):
        return ", ".join(category.name for category in comparison.categories.all())

    @admin.display(description="Earlier addresses")
    def earlier_addresses(self, comparison):
        slugs = (
            [address.slug for address in comparison.old_addresses.all()] if comparison.pk else []
        )
        if not slugs:
            return "None: the address never changed."
        return (
            format_html_join(
                ", ",
                "<code>{}</code>",
                ((reverse("comparisons:detail", args=[slug]),) for slug in slugs),
            )
            + " (they redirect here with a 301)"
        )

    @admin.display(description="Views and searches")
    def reader_interest(self, comparison):
        if not comparison.pk:
            return "Counted once the comparison is published and read."
        return interest_panel(comparison)

    def save_model(self, request, obj, form, change):
        previous = None
        if change:
            previous = Comparison.objects.select_related("first_subject", "second_subject").get(
                pk=obj.pk
            )
        super().save_model(request, obj, form, change)
        if previous is not None:
            record_address_change(previous, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        update_search_index([form.instance.pk])
        refresh_most_searched()

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("author", request.user.pk)
        return initial

    @admin.action(description="Publish selected comparisons", permissions=["change"])
    def publish(self, request, queryset):
        updated = queryset.exclude(status=Comparison.Status.PUBLISHED).update(
            status=Comparison.Status.PUBLISHED, updated_at=timezone.now()
        )
        refresh_most_searched()
        self.message_user(request, f"Published {updated} comparison(s).", messages.SUCCESS)

    @admin.action(description="Unpublish selected comparisons", permissions=["change"])
    def unpublish(self, request, queryset):
        updated = queryset.filter(status=Comparison.Status.PUBLISHED).update(
            status=Comparison.Status.DRAFT, updated_at=timezone.now()
        )
        refresh_most_searched()
        self.message_user(request, f"Unpublished {updated} comparison(s).", messages.SUCCESS)


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
            from django.core.exceptions import PermissionDenied

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
