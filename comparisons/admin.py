"""The editors' screens."""

from django.contrib import admin, messages
from django.db.models import Count
from django.utils import timezone

from comments.models import Comment, comment_count

from .models import Category, Comparison, DifferenceRow, ImageCredit, Subject


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order", "comparison_count"]
    list_editable = ["order"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(comparison_total=Count("comparisons"))

    @admin.display(description="Comparisons", ordering="comparison_total")
    def comparison_count(self, category):
        return category.comparison_total


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


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
    readonly_fields = ["created_at", "updated_at"]
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
                ]
            },
        ),
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

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("author", request.user.pk)
        return initial

    @admin.action(description="Publish selected comparisons", permissions=["change"])
    def publish(self, request, queryset):
        updated = queryset.exclude(status=Comparison.Status.PUBLISHED).update(
            status=Comparison.Status.PUBLISHED, updated_at=timezone.now()
        )
        self.message_user(request, f"Published {updated} comparison(s).", messages.SUCCESS)

    @admin.action(description="Unpublish selected comparisons", permissions=["change"])
    def unpublish(self, request, queryset):
        updated = queryset.filter(status=Comparison.Status.PUBLISHED).update(
            status=Comparison.Status.DRAFT, updated_at=timezone.now()
        )
        self.message_user(request, f"Unpublished {updated} comparison(s).", messages.SUCCESS)
