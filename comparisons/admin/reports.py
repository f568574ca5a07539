"""Readers' reports on rows: the queue."""

from django.contrib import admin, messages
from django.db.models import Case, When

from ..models import RowReport


@admin.register(RowReport)
class RowReportAdmin(admin.ModelAdmin):
    """The queue of readers' reports: open ones first, resolve or dismiss them in bulk."""

    list_display = ["comparison", "row_aspect", "note", "status", "created_at", "handled_by"]
    list_filter = ["status", "created_at"]
    list_select_related = ["comparison", "row", "handled_by"]
    search_fields = ["note", "row__aspect", "comparison__title"]
    readonly_fields = ["comparison", "row", "note", "created_at", "handled_at", "handled_by"]
    fields = ["comparison", "row", "note", "created_at", "status", "handled_at", "handled_by"]
    actions = ["resolve", "dismiss"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    @admin.display(description="Row", ordering="row__aspect")
    def row_aspect(self, report):
        return report.row.aspect

    def get_queryset(self, request):
        # Open reports first, newest first within each status.
        return super().get_queryset(request).order_by(
            Case(When(status=RowReport.Status.OPEN, then=0), default=1), "-created_at"
        )

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data:
            obj.handle(obj.status, request.user)
        super().save_model(request, obj, form, change)

    def _handle(self, request, queryset, status, verb):
        count = 0
        for report in queryset.exclude(status=status):
            report.handle(status, request.user)
            report.save(update_fields=["status", "handled_at", "handled_by"])
            self.log_change(request, report, f"{verb.capitalize()}.")
            count += 1
        self.message_user(request, f"{verb.capitalize()} {count} report(s).", messages.SUCCESS)

    @admin.action(description="Resolve: the row was corrected", permissions=["change"])
    def resolve(self, request, queryset):
        self._handle(request, queryset, RowReport.Status.RESOLVED, "resolved")

    @admin.action(description="Dismiss: the row is right", permissions=["change"])
    def dismiss(self, request, queryset):
        self._handle(request, queryset, RowReport.Status.DISMISSED, "dismissed")
