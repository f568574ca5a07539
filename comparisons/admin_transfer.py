"""The admin's import screen and export actions (see transfer/ for the formats)."""

import io

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from .transfer import apply_plan, export_records, guess_format, plan_import, write_csv, write_json

MAX_IMPORT_BYTES = 20 * 1024 * 1024
SHOWN_PER_LIST = 200


class ImportForm(forms.Form):
    file = forms.FileField(
        help_text="A .csv file (one line per table row) or a .json file (one object per "
        "comparison), UTF-8. The formats are described in docs/editing.md."
    )
    dry_run = forms.BooleanField(
        label="Dry run: only show what would happen",
        required=False,
        initial=True,
        help_text="Untick to write. Nothing is written unless the whole file is valid.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                "This file is larger than 20 MB: use the import_comparisons command for it."
            )
        try:
            self.text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError("The file must be UTF-8 text.") from None
        self.file_format = guess_format(upload.name)
        return upload


def import_view(model_admin, request):
    """Check an uploaded file; on a dry run show the plan, otherwise write it."""
    if not (model_admin.has_add_permission(request) and model_admin.has_change_permission(request)):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    plan = None
    if request.method == "POST" and form.is_valid():
        plan = plan_import(form.text, form.file_format, user=request.user)
        if not plan.errors and not form.cleaned_data["dry_run"]:
            counts = apply_plan(plan, user=request.user)
            model_admin.message_user(
                request,
                f"Imported {form.cleaned_data['file'].name}: {counts['create']} created, "
                f"{counts['change']} changed, {counts['unchanged']} left alone.",
                messages.SUCCESS,
            )
            return redirect("admin:comparisons_comparison_changelist")
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": "Import comparisons",
        "form": form,
        "plan": plan,
        "shown": SHOWN_PER_LIST,
    }
    if plan and not plan.errors:
        context["lists"] = [
            ("Will be created", plan.of("create")),
            ("Will be changed", plan.of("change")),
            ("Left alone (no change)", plan.of("unchanged")),
        ]
    return TemplateResponse(request, "admin/comparisons/comparison/import.html", context)


def export_response(queryset, file_format):
    """Return a download of `queryset` in `file_format` ("csv" or "json")."""
    stream = io.StringIO()
    (write_csv if file_format == "csv" else write_json)(export_records(queryset), stream)
    content_type = "text/csv" if file_format == "csv" else "application/json"
    response = HttpResponse(stream.getvalue(), content_type=f"{content_type}; charset=utf-8")
    name = f"comparisons-{timezone.now():%Y%m%d-%H%M}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
