"""The comparison screens: the list, the change form with its rows, history and compare."""

from functools import partial

import reversion
from adminsortable2.admin import CustomInlineFormSet, SortableAdminBase, SortableInlineAdminMixin
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from reversion.admin import VersionAdmin
from reversion.models import Revision, Version

from comments.api import Comment, comment_count

from ..images import LeadImageField
from ..markup import render_markdown
from ..models import (
    Comparison,
    ComparisonDraft,
    DifferenceRow,
    ImageCredit,
    RowReport,
)
from ..revisions import (
    diff_revisions,
    diff_snapshots,
    draft_snapshot,
    live_snapshot,
    register_models,
)
from ..services import (
    comparison_delete,
    comparison_draft_discard,
    comparison_draft_publish,
    comparison_draft_save,
    comparison_draft_schedule,
    comparison_publish,
    comparison_save,
    comparison_states,
    comparison_submit,
    comparison_unpublish,
    draft_applied,
    is_live,
)
from ..workflow import PUBLISHER_STATUSES, can_publish, locks_publishing_fields
from .interest import interest_panel
from .preview import inline_objects, preview_view
from .transfer import export_response, import_template_view, import_view

PUBLISHING_FIELDS = ("status", "publish_at", "expire_at")
STEPS_IN_HISTORY = 100

register_models()


class TextWithNewlines(forms.CharField):
    """Text whose line breaks are kept as "\n" however they were sent: browsers send every
    line break of a text area as "\r\n", which would make each save change the text."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


class DraftPartsMixin:
    """An inline formset that shows the rows (or credits) of the comparison's draft, when the
    change form shows its draft (see ComparisonAdmin.get_object): those that exist as forms of
    their own, the new ones as filled-in extra forms."""

    def draft_parts(self):
        return getattr(self.instance, "draft_parts", {}).get(self.model)

    def get_queryset(self):
        parts = self.draft_parts()
        if parts is None:
            return super().get_queryset()
        return [part for part in parts if part.pk]

    def new_draft_parts(self):
        return [part for part in self.draft_parts() or [] if not part.pk]

    def total_form_count(self):
        total = super().total_form_count()
        if self.is_bound:
            return total
        return max(total, self.initial_form_count() + len(self.new_draft_parts()) + self.extra)

    def _construct_form(self, i, **kwargs):
        new = self.new_draft_parts()
        index = i - self.initial_form_count()
        if 0 <= index < len(new):
            part = new[index]
            kwargs["initial"] = {
                name: getattr(part, name)
                for name in self.form.base_fields
                if name not in ("id", "DELETE") and hasattr(part, name)
            }
        return super()._construct_form(i, **kwargs)


class CreditFormSet(DraftPartsMixin, BaseInlineFormSet):
    pass


class RowFormSet(DraftPartsMixin, CustomInlineFormSet):
    """Sortable rows whose order stays a visible number field, for keyboards and typing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        order = self.form.base_fields[self.default_order_field]
        order.widget = forms.NumberInput(
            attrs={"class": "_reorder_ vSmallField", "min": 0, "aria-label": "Order"}
        )
        order.is_hidden = False

    def _construct_form(self, i, **kwargs):
        # A new row is numbered after the last one, never 0.
        if i >= self.initial_form_count() + len(self.new_draft_parts()):
            highest = max((row.order for row in self.get_queryset()), default=0)
            number = highest + 1 + i - self.initial_form_count()
            kwargs["initial"] = {**kwargs.get("initial", {}), self.default_order_field: number}
        return super()._construct_form(i, **kwargs)


def may_write(user, model):
    """Whether `user` may add or change `model` objects (rows, credits) in a comparison."""
    opts = model._meta
    return any(
        user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")
        for action in ("add", "change", "delete")
    )


def formset_objects(formset):
    """Return the rows (or credits) a saved inline formset describes, marking typed orders."""
    for form in formset.forms:
        if "order" in form.changed_data and form.instance.pk:
            form.instance._order_typed = True
    return inline_objects(formset)


class DifferenceRowInline(SortableInlineAdminMixin, admin.TabularInline):
    model = DifferenceRow
    formset = RowFormSet
    template = "admin/comparisons/comparison/rows_inline.html"
    extra = 1
    fields = [
        "order",
        "section",
        "aspect",
        "first_value",
        "second_value",
        "source",
        "source_url",
        "checked_on",
    ]
    formfield_overrides = {
        models.TextField: {
            "form_class": TextWithNewlines,
            "widget": forms.Textarea(attrs={"rows": 2, "cols": 20}),
        },
    }

    def get_queryset(self, request):
        # Each row's open reader reports are shown beside it (see rows_inline.html).
        return (
            super()
            .get_queryset(request)
            .annotate(
                open_reports=models.Count(
                    "reports", filter=models.Q(reports__status=RowReport.Status.OPEN)
                )
            )
        )


class ImageCreditInline(admin.TabularInline):
    model = ImageCredit
    formset = CreditFormSet
    extra = 0
    fields = ["order", "text", "url"]
    verbose_name = "image credit"


class VisibilityFilter(admin.SimpleListFilter):
    title = "what readers see"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("live", "Live now"), ("scheduled", "Scheduled"), ("expired", "Expired")]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "live":
            return queryset.published(now)
        if self.value() == "scheduled":
            return queryset.scheduled(now)
        if self.value() == "expired":
            return queryset.filter(status=Comparison.Status.PUBLISHED, expire_at__lte=now)
        return queryset


class ComparisonAdminForm(forms.ModelForm):
    revision_comment = forms.CharField(
        label="What changed",
        max_length=200,
        required=False,
        help_text="A few words for the history, e.g. \"Corrected the KPO salary row\".",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        draft_categories = getattr(self.instance, "draft_categories", None)
        if draft_categories is not None and "categories" in self.fields:
            self.initial["categories"] = draft_categories

    @property
    def changed_data(self):
        # The comment describes the change; it is not one.
        return [name for name in super().changed_data if name != "revision_comment"]

    class Meta:
        model = Comparison
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose the fields


class RowReportInline(admin.TabularInline):
    model = RowReport
    extra = 0
    fields = ["row", "note", "created_at", "status"]
    readonly_fields = ["row", "note", "created_at"]
    verbose_name_plural = "Reader reports on rows (set the status once handled)"
    classes = ["collapse"]

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("row")


class DraftScheduleForm(forms.Form):
    """When a live comparison's unpublished changes go live by themselves."""

    publish_at = forms.DateTimeField(
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        error_messages={"invalid": "Enter the date and time as 2025-06-03 09:00."},
    )

    def clean_publish_at(self):
        when = self.cleaned_data["publish_at"]
        if when is not None and when <= timezone.now():
            raise forms.ValidationError(
                "Choose a moment in the future, or publish the changes now."
            )
        return when


@admin.register(Comparison)
class ComparisonAdmin(SortableAdminBase, VersionAdmin):
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

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Restoring brings back content; what readers see stays the publishers' call.
        # Restoring replaces a live page at once, so on a live page it is theirs too.
        pk = unquote(object_id)
        request.comparison_before = comparison_states([pk] if str(pk).isdigit() else []).get(
            int(pk) if str(pk).isdigit() else None
        )
        keep_as_draft = not can_publish(request.user) or getattr(request, "save_as_draft", False)
        if is_live(request.comparison_before) and keep_as_draft:
            raise PermissionDenied(
                "Restoring a revision of a live comparison needs the publish permission."
            )
        current = Comparison.objects.filter(pk=pk).values(*PUBLISHING_FIELDS)
        request.publishing_before = current.first()
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        request.recovering = True
        return super().recover_view(request, version_id, extra_context)

    def keep_publishing_fields(self, request, obj):
        """Stop a restore from changing what readers see: restoring brings back content, and
        the status and dates change only when someone publishes or unpublishes. A recovery by
        a non-publisher brings a published or unpublished comparison back as a draft."""
        before = getattr(request, "publishing_before", None)
        if before:
            for name, value in before.items():
                setattr(obj, name, value)
        elif (
            getattr(request, "recovering", False)
            and obj.status in PUBLISHER_STATUSES
            and not can_publish(request.user)
        ):
            obj.status = Comparison.Status.DRAFT

    def save_model(self, request, obj, form, change):
        # Written with its categories, rows and credits in save_related, through the service.
        self.keep_publishing_fields(request, obj)
        if getattr(request, "recovering", False) or not change:
            request.comparison_before = None  # it did not exist
        elif not hasattr(request, "comparison_before"):  # read before a restore rewrote it
            request.comparison_before = comparison_states([obj.pk]).get(obj.pk)
        request.revision_comment = form.cleaned_data.get("revision_comment", "")
        self.apply_workflow_button(request, obj)

    def workflow_buttons(self, request, obj):
        """The (name, label) of the buttons beside Save that this user may press for `obj`:
        the workflow as buttons, according to the user's rights. Save keeps the status (an
        editor's save of a live comparison keeps it as unpublished changes)."""
        status = obj.status if obj else Comparison.Status.DRAFT
        publisher = can_publish(request.user)
        buttons = []
        if status == Comparison.Status.REVIEW or (status == Comparison.Status.PUBLISHED and publisher):
            buttons.append(("_save_draft", "Save draft"))
        if status == Comparison.Status.DRAFT:
            buttons.append(("_submit_review", "Submit for review"))
        if publisher:
            if status != Comparison.Status.PUBLISHED:
                later = obj is not None and obj.publish_at and obj.publish_at > timezone.now()
                buttons.append(("_publish", "Schedule" if later else "Publish"))
            elif obj is not None:
                buttons.append(("_unpublish", "Unpublish"))
        return buttons

    def apply_workflow_button(self, request, obj):
        """Set the status the pressed workflow button stands for, if this user may press it.

        "Save draft" takes a comparison in review back to draft, and keeps a publisher's
        change to a live comparison as its unpublished changes."""
        current = Comparison.objects.filter(pk=obj.pk).first() if obj.pk else None
        statuses = {
            "_save_draft": (
                Comparison.Status.DRAFT
                if current is None or current.status != Comparison.Status.PUBLISHED
                else current.status
            ),
            "_submit_review": Comparison.Status.REVIEW,
            "_publish": Comparison.Status.PUBLISHED,
            "_unpublish": Comparison.Status.UNPUBLISHED,
        }
        for name, _ in self.workflow_buttons(request, current):
            if name in request.POST:
                obj.status = statuses[name]
                request.save_as_draft = name == "_save_draft"

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["workflow_buttons"] = self.workflow_buttons(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

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
            comparison_draft_save(form.instance, **content)
            request.saved_as_draft = True
            self.message_user(
                request,
                "Saved as unpublished changes: readers still see the live page until a "
                "publisher publishes them.",
                messages.INFO,
            )
            return
        comparison_save(form.instance, before=request.comparison_before, **content)
        if change:
            comparison_draft_discard(form.instance)  # the form showed it: now it is live

    def _with_editor_comment(self, request, entry):
        comment = getattr(request, "revision_comment", "")
        if comment and reversion.is_active():
            reversion.set_comment(f"{comment} ({entry.get_change_message()})")
        return entry

    def log_addition(self, request, obj, message):
        return self._with_editor_comment(request, super().log_addition(request, obj, message))

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        if getattr(request, "saved_as_draft", False):
            entry.change_message = f"Saved unpublished changes: {entry.get_change_message()}"
            entry.save(update_fields=["change_message"])
        return self._with_editor_comment(request, entry)

    def history_view(self, request, object_id, extra_context=None):
        """The revisions, then every step taken in the admin (unpublished changes saved,
        published, scheduled or discarded, which keep no revision of their own)."""
        steps = []
        if str(unquote(object_id)).isdigit():
            steps = (
                LogEntry.objects.filter(
                    content_type=ContentType.objects.get_for_model(self.model),
                    object_id=str(unquote(object_id)),
                )
                .select_related("user")
                .order_by("-action_time", "-pk")[:STEPS_IN_HISTORY]
            )
        extra_context = {**(extra_context or {}), "admin_steps": steps}
        return super().history_view(request, object_id, extra_context)

    def get_object(self, request, object_id, from_field=None):
        """The comparison; on its change form and preview, with its draft's content (if it has
        unpublished changes), so that editing goes on from the draft."""
        obj = super().get_object(request, object_id, from_field)
        match = request.resolver_match
        names = {f"{self.opts.app_label}_{self.opts.model_name}_{view}" for view in ("change", "preview")}
        if obj is None or match is None or match.url_name not in names:
            return obj
        draft = ComparisonDraft.objects.filter(comparison=obj).first()
        if draft is not None:
            _, categories, rows, credits = draft_applied(obj, draft)
            obj.draft_categories = categories
            obj.draft_parts = {DifferenceRow: rows, ImageCredit: credits}
        return obj

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), **self.draft_context(request, object_id)}
        return super().change_view(request, object_id, form_url, extra_context)

    def draft_context(self, request, object_id):
        """What the change form shows of unpublished changes: who saved them when, the diff
        against the live comparison, and whether this user may publish or discard them."""
        draft = (
            ComparisonDraft.objects.filter(comparison_id=unquote(object_id))
            .select_related("saved_by", "scheduled_by", "comparison")
            .first()
            if str(unquote(object_id)).isdigit()
            else None
        )
        if draft is None:
            return {}
        live = draft.comparison
        fields, rows = diff_snapshots(live_snapshot(live), draft_snapshot(live, draft.content))
        return {
            "draft": draft,
            "draft_fields": [field for field in fields if field.changed],
            "draft_rows": [row for row in rows if row.kind != "same"],
            "may_publish_draft": can_publish(request.user),
        }

    def draft_action_view(self, request, object_id, action):
        """Publish or discard a comparison's unpublished changes (POST, publishers only)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        comparison = get_object_or_404(Comparison, pk=unquote(object_id))
        if not can_publish(request.user):
            raise PermissionDenied
        if not ComparisonDraft.objects.filter(comparison=comparison).exists():
            self.message_user(request, "There are no unpublished changes.", messages.WARNING)
        elif action == "publish":
            comparison_draft_publish(comparison, user=request.user)
            self.log_change(request, comparison, "Published the unpublished changes.")
            self.message_user(request, "The changes are live.", messages.SUCCESS)
        elif action == "schedule":
            return self.schedule_draft(request, comparison)
        else:
            comparison_draft_discard(comparison)
            self.log_change(request, comparison, "Discarded the unpublished changes.")
            self.message_user(request, "The unpublished changes were discarded.", messages.SUCCESS)
        return redirect("admin:comparisons_comparison_change", comparison.pk)

    def schedule_draft(self, request, comparison):
        """Schedule the unpublished changes for the moment posted (or cancel the schedule)."""
        form = DraftScheduleForm(request.POST)
        change_url = reverse("admin:comparisons_comparison_change", args=[comparison.pk])
        if not form.is_valid():
            for error in form.errors.get("publish_at", []):
                self.message_user(request, error, messages.ERROR)
            return redirect(f"{change_url}#unpublished-changes")
        when = form.cleaned_data["publish_at"]
        if "_cancel" in request.POST:
            when = None
        comparison_draft_schedule(comparison, when, user=request.user)
        if when is None:
            message = "The changes are no longer scheduled."
        else:
            message = f"The changes go live at {timezone.localtime(when):%Y-%m-%d %H:%M}."
        self.log_change(request, comparison, message)
        self.message_user(request, message, messages.SUCCESS)
        return redirect(change_url)

    def markdown_preview_view(self, request):
        """Return the POSTed `body` as the page will show it, rendered by the page's own code."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        response = HttpResponse(render_markdown(request.POST.get("body", "")))
        response["Cache-Control"] = "private, no-store"
        return response

    def compare_view(self, request, object_id):
        """Show two revisions of a comparison side by side: fields, then table rows."""
        comparison = self.get_object(request, unquote(object_id))
        if comparison is None:
            raise Http404("No such comparison.")
        if not self.has_view_or_change_permission(request, comparison):
            raise PermissionDenied
        revisions = Revision.objects.filter(
            pk__in=Version.objects.get_for_object(comparison).values("revision_id")
        )
        try:
            chosen = [int(request.GET[key]) for key in ("from", "to")]
        except (KeyError, ValueError):
            raise Http404("Choose two revisions to compare.") from None
        old, new = (get_object_or_404(revisions, pk=pk) for pk in sorted(chosen))
        fields, rows = diff_revisions(old, new, comparison.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": comparison,
            "title": f"Compare revisions of {comparison}",
            "old": old,
            "new": new,
            "fields": fields,
            "rows": rows,
            "unchanged_rows": [row.aspect for row in rows if row.kind == "same"],
        }
        return TemplateResponse(
            request, "admin/comparisons/comparison/compare_revisions.html", context
        )

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


