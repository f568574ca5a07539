"""The admin's import screen and export actions (see transfer/ for the formats)."""

import io
import secrets
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from ..transfer import (
    apply_plan,
    export_records,
    guess_format,
    plan_import,
    read_file,
    write_csv,
    write_json,
)

MAX_IMPORT_BYTES = 20 * 1024 * 1024
SHOWN_PER_LIST = 200
EXAMPLE_FILE = Path(__file__).resolve().parents[1] / "fixtures" / "example-import.csv"
CHECKED_FILE_SECONDS = 60 * 60


def remember_checked_file(request, name, text, file_format):
    """Keep a file that passed a dry run for an hour; return the token that names it."""
    token = secrets.token_urlsafe(16)
    cache.set(
        f"import-checked:{request.user.pk}:{token}",
        {"name": name, "text": text, "format": file_format},
        CHECKED_FILE_SECONDS,
    )
    return token


def take_checked_file(request, token):
    """The file `remember_checked_file` kept for this user under `token`, once: None when it
    is not (or no longer) there, or was already taken, so that "Import now" pressed twice (a
    double click, the back button) imports once."""
    if not token:
        return None
    key = f"import-checked:{request.user.pk}:{token}"
    checked = cache.get(key)
    return checked if checked is not None and cache.delete(key) else None


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


def write_and_report(model_admin, request, plan, name):
    counts = apply_plan(plan, user=request.user)
    model_admin.message_user(
        request,
        f"Imported {name}: {counts['create']} created, {counts['change']} changed, "
        f"{counts['unchanged']} left alone.",
        messages.SUCCESS,
    )
    return redirect("admin:comparisons_comparison_changelist")


def import_view(model_admin, request):
    """Check an uploaded file; on a dry run show the plan (and an "Import now" button when it
    is clean), otherwise write it."""
    if not (model_admin.has_add_permission(request) and model_admin.has_change_permission(request)):
        raise PermissionDenied
    if request.method == "POST" and "checked" in request.POST:
        checked = take_checked_file(request, request.POST["checked"])
        if checked is None:
            model_admin.message_user(
                request,
                "That file was imported already, or its check is over an hour old: to import "
                "it (again), upload it again.",
                messages.ERROR,
            )
            return redirect("admin:comparisons_comparison_import")
        plan = plan_import(checked["text"], checked["format"], user=request.user)
        if not plan.errors:
            return write_and_report(model_admin, request, plan, checked["name"])
        form, token = ImportForm(), None  # the site changed since the check: say how
    else:
        form = ImportForm(request.POST or None, request.FILES or None)
        plan, token = None, None
    if request.method == "POST" and "checked" not in request.POST and form.is_valid():
        name = form.cleaned_data["file"].name
        plan = plan_import(form.text, form.file_format, user=request.user)
        if not plan.errors and not form.cleaned_data["dry_run"]:
            return write_and_report(model_admin, request, plan, name)
        if not plan.errors:
            token = remember_checked_file(request, name, form.text, form.file_format)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": "Import comparisons",
        "form": form,
        "plan": plan,
        "checked": token,
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


def import_template_view(model_admin, request, file_format):
    """Download an example file in `file_format` ("csv" or "json") to start from."""
    if file_format not in ("csv", "json"):
        raise Http404("No such format.")
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    text = EXAMPLE_FILE.read_text(encoding="utf-8")
    if file_format == "json":
        stream = io.StringIO()
        write_json([record for record, _ in read_file(text, "csv")], stream)
        text = stream.getvalue()
    content_type = "text/csv" if file_format == "csv" else "application/json"
    response = HttpResponse(text, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="comparisons-template.{file_format}"'
    return response
