"""The comparison change form: its fields, the rows and credits inlines (showing a draft's parts
when there is one), the reports inline and the list's visibility filter."""

from adminsortable2.admin import CustomInlineFormSet, SortableInlineAdminMixin
from django import forms
from django.contrib import admin
from django.db import models
from django.forms.models import BaseInlineFormSet, InlineForeignKeyField
from django.utils import timezone

from ..models import Comparison, DifferenceRow, ImageCredit, RowReport
from .preview import inline_objects

PUBLISHING_FIELDS = ("status", "publish_at", "expire_at")


class TextWithNewlines(forms.CharField):
    """Text whose line breaks are kept as "\n" however they were sent: browsers send every
    line break of a text area as "\r\n", which would make each save change the text."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


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


class DraftPartsMixin:
    """An inline formset that shows the rows (or credits) of the comparison's draft, when the
    change form shows its draft (see ComparisonAdmin.get_object): those that exist as forms of
    their own, the new ones as filled-in extra forms."""

    def draft_parts(self):
        return getattr(self.instance, "draft_parts", {}).get(self.model)

    def may_add(self):
        """False for a user who may only view these parts (the admin sets max_num to 0)."""
        return self.max_num != 0

    def get_queryset(self):
        parts = self.draft_parts()
        if parts is None:
            return super().get_queryset()
        if not self.may_add():
            return list(parts)  # all shown read-only, the new ones too: nothing to type into
        return [part for part in parts if part.pk]

    def new_draft_parts(self):
        if not self.may_add():
            return []
        return [part for part in self.draft_parts() or [] if not part.pk]

    def total_form_count(self):
        total = super().total_form_count()
        if self.is_bound or not self.may_add():
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


class PartForm(forms.ModelForm):
    """A row or credit. A new one is filled in when any of its own fields holds something,
    not when it differs from what it was shown with: the new parts of unpublished changes are
    shown filled in, and each save must send them again, changed or not."""

    NOT_ITS_OWN = ("id", "order", "DELETE")

    def has_changed(self):
        if self.instance.pk is not None or not self.is_bound:
            return super().has_changed()
        return any(
            str(self[name].data or "").strip()
            for name, field in self.fields.items()
            if name not in self.NOT_ITS_OWN and not isinstance(field, InlineForeignKeyField)
        )


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


def formset_objects(formset):
    """Return the rows (or credits) a saved inline formset describes, marking typed orders."""
    for form in formset.forms:
        if "order" in form.changed_data:
            form.instance._order_typed = True
    return inline_objects(formset)


class DifferenceRowInline(SortableInlineAdminMixin, admin.TabularInline):
    model = DifferenceRow
    form = PartForm
    formset = RowFormSet
    template = "admin/comparisons/comparison/rows_inline.html"
    extra = 1
    fields = list(DifferenceRow.EDITABLE_FIELDS)
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
            .order_by(*DifferenceRow._meta.ordering)  # a GROUP BY leaves Meta.ordering out
        )


class ImageCreditInline(admin.TabularInline):
    model = ImageCredit
    form = PartForm
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
        help_text='A few words for the history, e.g. "Corrected the KPO salary row".',
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
