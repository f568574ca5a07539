"""Preview a comparison as readers will see it, straight from the admin form, saving nothing."""

from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.template.response import TemplateResponse

from ..page_parts import comparison_page_context

PREVIEW_TEMPLATE = "comparisons/comparison_detail.html"
ERRORS_TEMPLATE = "admin/comparisons/comparison/preview_errors.html"


def inline_objects(formset):
    """Return the unsaved objects a valid inline formset describes, in their order."""
    objects = [
        form.instance
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]
    return sorted(objects, key=lambda item: (item.order or 0, item.pk or float("inf")))


def may_write(user, model):
    """Whether `user` may add or change `model` objects (rows, credits) in a comparison."""
    opts = model._meta
    return any(
        user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")
        for action in ("add", "change", "delete")
    )


def parts_shown(formset, obj, related_name, user):
    """The rows (or credits) to preview, as saving the form would write them: the form's when
    this user may change them; otherwise those of the unpublished changes the form showed, if
    any, else the stored ones."""
    if formset is not None and may_write(user, formset.model):
        return inline_objects(formset)
    model = getattr(type(obj), related_name).rel.related_model if obj is not None else None
    shown = getattr(obj, "draft_parts", {}).get(model)
    if shown is not None:
        return list(shown)
    return list(getattr(obj, related_name).all()) if obj is not None else []


def bound_forms(model_admin, request, obj):
    """Bind the change form and its inline formsets to the POSTed data, like the admin does."""
    fieldsets = model_admin.get_fieldsets(request, obj)
    model_form = model_admin.get_form(
        request, obj, change=obj is not None, fields=flatten_fieldsets(fieldsets)
    )
    form = model_form(request.POST, request.FILES, instance=obj)
    formsets, _ = model_admin._create_formsets(request, form.instance, change=obj is not None)
    return form, formsets


def preview_view(model_admin, request, object_id=None):
    """Render the POSTed (unsaved) comparison with the real page template; write nothing."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    obj = None
    if object_id is not None:
        obj = model_admin.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("No such comparison.")
        if not model_admin.has_change_permission(request, obj):
            raise PermissionDenied
        original_image = obj.lead_image.name
    else:
        if not model_admin.has_add_permission(request):
            raise PermissionDenied
        original_image = ""
    form, formsets = bound_forms(model_admin, request, obj)
    valid = form.is_valid() & all([formset.is_valid() for formset in formsets])
    if not valid:
        response = TemplateResponse(
            request,
            ERRORS_TEMPLATE,
            {
                **model_admin.admin_site.each_context(request),
                "title": "Preview: please fix these first",
                "form": form,
                "formsets": formsets,
            },
        )
    else:
        comparison = form.save(commit=False)
        new_image = "lead_image" in form.changed_data
        if new_image:
            # An upload is stored only when the form is saved; show the current image meanwhile.
            comparison.lead_image.name = original_image
        by_prefix = {formset.prefix: formset for formset in formsets}
        categories = form.cleaned_data.get("categories")
        if categories is None:  # a field this user may not change: as the form showed them
            categories = getattr(obj, "draft_categories", None)
        if categories is None:
            categories = obj.categories.all() if obj else []
        context = comparison_page_context(
            request,
            comparison,
            categories=list(categories),
            rows=parts_shown(by_prefix.get("rows"), obj, "rows", request.user),
            credits=parts_shown(by_prefix.get("credits"), obj, "credits", request.user),
        )
        context.update(preview=True, new_image_not_shown=new_image, is_public=False)
        response = TemplateResponse(request, PREVIEW_TEMPLATE, context)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
