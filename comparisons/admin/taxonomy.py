"""The category and subject screens."""

from django.contrib import admin
from django.db.models import Count

from ..interest import refresh_most_searched
from ..models import Category, PinnedComparison, Subject
from ..services import subject_save


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
    list_display = ["name", "slug", "aliases_shown"]
    search_fields = ["name", "aliases", "description"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "aliases", "description"]

    @admin.display(description="Aliases")
    def aliases_shown(self, subject):
        return ", ".join(subject.alias_list)

    def save_model(self, request, obj, form, change):
        subject_save(obj)
