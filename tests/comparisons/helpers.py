"""Turn a rendered admin change form back into the POST data a browser would send."""


def _field_data(form, name):
    field = form[name]
    value = field.value()
    if value is None:
        return None
    widget = field.field.widget
    if hasattr(widget, "widgets") and isinstance(value, (list, tuple)):  # split date/time
        return {f"{form.add_prefix(name)}_{i}": part for i, part in enumerate(value)}
    if hasattr(widget, "decompress"):
        parts = widget.decompress(value)
        return {
            f"{form.add_prefix(name)}_{i}": "" if part is None else str(part)
            for i, part in enumerate(parts)
        }
    if isinstance(value, bool):
        return {form.add_prefix(name): "on"} if value else {}
    if isinstance(value, (list, tuple)):
        return {form.add_prefix(name): [str(item) for item in value]}
    if hasattr(value, "name"):  # a file: the browser sends no file, the field keeps its value
        return {}
    return {form.add_prefix(name): str(value)}


def form_data(form):
    data = {}
    for name in form.fields:
        data.update(_field_data(form, name) or {})
    return data


def change_form_data(response):
    """Return the POST data of the admin change form in `response`, as the page shows it."""
    data = form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update(
            {management.add_prefix(name): management[name].value() for name in management.fields}
        )
        # Send only the forms that hold rows; blank extra forms are not needed.
        data[management.add_prefix("TOTAL_FORMS")] = str(len(formset.initial_forms))
        for form in formset.initial_forms:
            data.update(form_data(form))
    return data
