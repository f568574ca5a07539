"""The comparison screens: the list and the change form; the form and its inlines are in
`comparison_form`, the workflow buttons in `comparison_workflow`, revisions and drafts in
`comparison_history`."""

from functools import partial

from adminsortable2.admin import SortableAdminBase
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponse, HttpResponseNotAllowed
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from reversion.admin import VersionAdmin

from comments.api import Comment, comment_count

from ..images import LeadImageField
from ..markup import render_markdown
from ..models import Comparison, ComparisonDraft, DifferenceRow, ImageCredit, RowReport
from ..revisions import register_models
from ..services import (
    DraftSaved,
    comparison_delete,
    comparison_draft_discard,
    comparison_draft_save,
    comparison_publish,
    comparison_save,
    comparison_states,
    comparison_submit,
    comparison_unpublish,
    draft_applied,
    is_live,
    published_changes_comment,
)
from ..workflow import can_publish, locks_publishing_fields
from .comparison_form import (
    PUBLISHING_FIELDS,
    ComparisonAdminForm,
    DifferenceRowInline,
    ImageCreditInline,
    RowReportInline,
    TextWithNewlines,
    VisibilityFilter,
    formset_objects,
)
from .comparison_history import ComparisonHistoryMixin
from .comparison_workflow import DRAFT_MESSAGES, ComparisonWorkflowMixin
from .interest import interest_panel
from .preview import may_write, preview_view
from .transfer import export_response, import_template_view, import_view

register_models()

@admin.register(Comparison)
class ComparisonAdmin(
    ComparisonWorkflowMixin, ComparisonHistoryMixin, SortableAdminBase, VersionAdmin
):
    form = ComparisonAdminForm
    history_latest_first = True
    formfield_overrides = {
        models.ImageField: {"form_class": LeadImageField},
        models.TextField: {"form_class": TextWithNewlines},
    }
    object_history_template = "admin/comparisons/comparison/object_history.html"
    change_list_template = "admin/comparisons/comparison/change_list.html"
    list_display = [
        "title",
        "category_names",
        "state",
        "publish_at",
        "updated_at",
        "published_comments",
        "pending_comments",
    ]
    list_filter = ["status", VisibilityFilter, "categories", "publish_at", "comments_open"]
    search_fields = ["title", "first_subject__name", "second_subject__name"]
    autocomplete_fields = ["first_subject", "second_subject"]
    filter_horizontal = ["categories"]
    date_hierarchy = "publish_at"
    ordering = ["-updated_at"]
    inlines = [DifferenceRowInline, ImageCreditInline, RowReportInline]
    actions = ["submit_for_review", "publish", "unpublish", "export_csv", "export_json"]
    readonly_fields = [
        "created_at",
        "updated_at",
        "earlier_addresses",
        "reader_interest",
        "lead_image_thumbnail",
    ]
    fieldsets = [
        (None, {"fields": ["first_subject", "second_subject", "title", "slug"]}),
        ("Article", {"fields": ["key_difference", "body", "categories"]}),
        ("Lead image", {"fields": ["lead_image_thumbnail", "lead_image", "lead_image_alt"]}),
        (
            "Publishing",
            {
                "fields": [
                    "status",
                    "publish_at",
                    "expire_at",
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
        ("History", {"fields": ["revision_comment"]}),
    ]

    class Media:
        js = ["comparisons/admin/comparison_slug.js", "comparisons/admin/markdown_preview.js"]
        css = {"all": ["comparisons/admin/editors.css"]}

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

    def get_urls(self):
        def view(function):
            # Cacheable: the view sets its own "private, no-store" header.
            return self.admin_site.admin_view(partial(function, self), cacheable=True)

        name = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("add/preview/", view(preview_view), name=f"{name}_preview_add"),
            path(
                "import/",
                self.admin_site.admin_view(partial(import_view, self)),
                name=f"{name}_import",
            ),
            path(
                "import/template.<str:file_format>",
                self.admin_site.admin_view(partial(import_template_view, self)),
                name=f"{name}_import_template",
            ),
            path(
                "markdown-preview/",
                self.admin_site.admin_view(self.markdown_preview_view),
                name=f"{name}_markdown_preview",
            ),
            path("<path:object_id>/preview/", view(preview_view), name=f"{name}_preview"),
            path(
                "<path:object_id>/draft/<str:action>/",
                self.admin_site.admin_view(self.draft_action_view),
                name=f"{name}_draft",
            ),
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name=f"{name}_compare",
            ),
            *super().get_urls(),
        ]

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
        return format_html(
            "{} (they redirect here with a 301)",
            format_html_join(
                ", ",
                "<code>{}</code>",
                ((reverse("comparisons:detail", args=[slug]),) for slug in slugs),
            ),
        )

    @admin.display(description="Now shown")
    def lead_image_thumbnail(self, comparison):
        picture = comparison.responsive_lead_image if comparison.pk else None
        if picture is None:
            return "No image yet."
        smallest = comparison.lead_image_renditions[0]
        return format_html(
            '<img src="{}" width="{}" height="{}" alt="{}" class="lead-image-thumbnail">',
            comparison.lead_image.storage.url(smallest["jpeg"]),
            160,
            round(160 * smallest["height"] / smallest["width"]),
            comparison.lead_image_alt,
        )

    @admin.display(description="Views and searches")
    def reader_interest(self, comparison):
        if not comparison.pk:
            return "Counted once the comparison is published and read."
        return interest_panel(comparison)

    def save_model(self, request, obj, form, change):
        # Written with its categories, rows and credits in save_related, through the service.
        self.keep_publishing_fields(request, obj)
        if getattr(request, "recovering", False) or not change:
            request.comparison_before = None  # it did not exist
        elif not hasattr(request, "comparison_before"):  # read before a restore rewrote it
            request.comparison_before = comparison_states([obj.pk]).get(obj.pk)
        request.revision_comment = form.cleaned_data.get("revision_comment", "")
        self.apply_workflow_button(request, obj)

    def get_inline_instances(self, request, obj=None):
        # The reports section shows only on comparisons that have reports.
        return [
            inline
            for inline in super().get_inline_instances(request, obj)
            if not isinstance(inline, RowReportInline)
            or (obj is not None and obj.row_reports.exists())
        ]

    def save_related(self, request, form, formsets, change):
        parts = {}
        for formset in formsets:
            formset.save(commit=False)  # what the change message reports
            if formset.model is RowReport:
                for report, _ in formset.changed_objects:
                    report.handle(report.status, request.user)
                    report.save()
            elif may_write(request.user, formset.model):
                parts[formset.model] = formset_objects(formset)
        # Parts this user may not edit come from the draft the form showed, if any.
        shown = getattr(form.instance, "draft_parts", {})
        content = {
            "categories": form.cleaned_data.get(
                "categories", getattr(form.instance, "draft_categories", None)
            ),
            "rows": parts.get(DifferenceRow, shown.get(DifferenceRow)),
            "credits": parts.get(ImageCredit, shown.get(ImageCredit)),
            "user": request.user,
        }
        keep_as_draft = not can_publish(request.user) or getattr(request, "save_as_draft", False)
        if is_live(request.comparison_before) and keep_as_draft:
            outcome = comparison_draft_save(form.instance, **content)
            request.saved_as_draft = outcome != DraftSaved.DROPPED
            self.message_user(request, DRAFT_MESSAGES[outcome], messages.INFO)
            return
        waiting = (
            ComparisonDraft.objects.filter(comparison=form.instance).select_related("saved_by")
            if change
            else ComparisonDraft.objects.none()
        ).first()
        comparison_save(form.instance, before=request.comparison_before, **content)
        if waiting is not None:
            comparison_draft_discard(form.instance)  # the form showed it: now it is live
            request.workflow_step = published_changes_comment(waiting)
        if getattr(request, "workflow_step", None):
            self.message_user(request, request.workflow_step, messages.SUCCESS)

    def get_object(self, request, object_id, from_field=None):
        """The comparison; on its change form and preview, with its draft's content (if it has
        unpublished changes), so that editing goes on from the draft."""
        obj = super().get_object(request, object_id, from_field)
        match = request.resolver_match
        names = {
            f"{self.opts.app_label}_{self.opts.model_name}_{view}" for view in ("change", "preview")
        }
        if obj is None or match is None or match.url_name not in names:
            return obj
        draft = ComparisonDraft.objects.filter(comparison=obj).first()
        if draft is not None:
            _, categories, rows, credits = draft_applied(obj, draft)
            obj.draft_categories = categories
            obj.draft_parts = {DifferenceRow: rows, ImageCredit: credits}
        return obj

    def markdown_preview_view(self, request):
        """Return the POSTed `body` as the page will show it, rendered by the page's own code."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        response = HttpResponse(render_markdown(request.POST.get("body", "")))
        response["Cache-Control"] = "private, no-store"
        return response

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("author", request.user.pk)
        return initial

    @admin.display(description="Status", ordering="status")
    def state(self, comparison):
        return {
            "review": "In review",
            "scheduled": f"Scheduled for {timezone.localtime(comparison.publish_at):%Y-%m-%d %H:%M}",
        }.get(comparison.publication_state(), comparison.publication_state().capitalize())

    def has_publish_permission(self, request):
        return can_publish(request.user)

    def get_readonly_fields(self, request, obj=None):
        # The status changes through the workflow buttons, never a dropdown.
        readonly = [*super().get_readonly_fields(request, obj), "status"]
        if locks_publishing_fields(request.user, obj):
            readonly += [name for name in PUBLISHING_FIELDS if name != "status"]
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # The admin shows help texts as HTML: name the real subjects, escaped.
        if "title" in form.base_fields:
            example = obj.default_title() if obj else "Difference between BPO and KPO"
            form.base_fields["title"].help_text = format_html(
                "Leave blank for “Difference between” the two subjects: “{}”.", example
            )
        if "body" in form.base_fields:
            form.base_fields["body"].widget.attrs["data-preview-url"] = reverse(
                "admin:comparisons_comparison_markdown_preview"
            )
        if "slug" in form.base_fields:
            example = obj.default_slug() if obj else "bpo-and-kpo"
            form.base_fields["slug"].help_text = format_html(
                "The page lives at /difference-between-{}/. Leave blank to derive it from the "
                "subjects ({}).",
                obj.slug if obj else "bpo-and-kpo",
                example,
            )
        return form

    def has_delete_permission(self, request, obj=None):
        """Deleting a published comparison takes it down: that needs the publish permission."""
        allowed = super().has_delete_permission(request, obj)
        if allowed and obj is not None and obj.status == Comparison.Status.PUBLISHED:
            return can_publish(request.user)
        return allowed

    def delete_model(self, request, obj):
        comparison_delete(obj)

    def delete_queryset(self, request, queryset):
        for comparison in queryset:
            comparison_delete(comparison)

    def _move(self, request, queryset, service, message):
        """Apply `service` to each comparison of `queryset`, logging each change."""
        moved = 0
        for comparison in queryset:
            service(comparison, user=request.user, comment=message)
            self.log_change(request, comparison, message)
            moved += 1
        return moved

    @admin.action(description="Submit selected drafts for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        moved = self._move(
            request,
            queryset.filter(status=Comparison.Status.DRAFT),
            comparison_submit,
            "Submitted for review.",
        )
        self.message_user(request, f"Submitted {moved} comparison(s) for review.", messages.SUCCESS)

    @admin.action(description="Publish selected comparisons", permissions=["publish"])
    def publish(self, request, queryset):
        moved = self._move(
            request,
            queryset.exclude(status=Comparison.Status.PUBLISHED),
            comparison_publish,
            "Published.",
        )
        self.message_user(
            request,
            f"Published {moved} comparison(s). Those with a future publish date appear then.",
            messages.SUCCESS,
        )

    @admin.action(description="Unpublish (take down) selected comparisons", permissions=["publish"])
    def unpublish(self, request, queryset):
        moved = self._move(
            request,
            queryset.filter(status=Comparison.Status.PUBLISHED),
            comparison_unpublish,
            "Unpublished.",
        )
        self.message_user(request, f"Unpublished {moved} comparison(s).", messages.SUCCESS)

    @admin.action(description="Export selected comparisons as CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        return export_response(queryset, "csv")

    @admin.action(description="Export selected comparisons as JSON", permissions=["view"])
    def export_json(self, request, queryset):
        return export_response(queryset, "json")
