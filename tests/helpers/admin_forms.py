"""POST data for the admin's comparison form: written out, or read back from a rendered page."""


def _field_data(form, name):
    field = form[name]
    value = field.value()
    widget = field.field.widget
    if value is None:  # an empty field: a browser sends it empty (a checkbox: not at all)
        if hasattr(widget, "widgets"):
            return {f"{form.add_prefix(name)}_{i}": "" for i in range(len(widget.widgets))}
        checkbox = getattr(widget, "input_type", None) == "checkbox"
        return {} if checkbox else {form.add_prefix(name): ""}
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
    for name, field in form.fields.items():
        sent = _field_data(form, name) or {}
        data.update(sent)
        if field.show_hidden_initial:  # the hidden "initial-" copy the page holds
            prefixed, initial = form.add_prefix(name), form.add_initial_prefix(name)
            data.update({key.replace(prefixed, initial, 1): value for key, value in sent.items()})
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
        # Every form, the extra ones too, with what they show: as a browser sends them.
        for form in formset.forms:
            data.update(form_data(form))
    return data


def add_inline_form(data, prefix, **fields):
    """Add a form to inline formset `prefix` in change form `data`, as "Add another" does;
    return its prefix."""
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(total + 1)
    data.update({f"{prefix}-{total}-{name}": value for name, value in fields.items()})
    return f"{prefix}-{total}-"


def inline_management(prefix, total, initial=0):
    """Return the management fields of the inline formset `prefix`."""
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def comparison_form(first, second, category, **overrides):
    """Return a valid draft comparison of `first` and `second` with two rows; `overrides` win."""
    data = {
        "first_subject": first.pk,
        "second_subject": second.pk,
        "title": "",
        "slug": "",
        "key_difference": "One is about process, the other about knowledge.",
        "body": "Some **body**.",
        "categories": [category.pk],
        "lead_image_alt": "",
        "status": "draft",
        "publish_at_0": "2024-01-02",
        "publish_at_1": "10:00:00",
        "meta_description": "",
        **inline_management("rows", 2),
        "rows-0-order": "1",
        "rows-0-aspect": "Stands for",
        "rows-0-first_value": "Business Process Outsourcing",
        "rows-0-second_value": "Knowledge Process Outsourcing",
        "rows-1-order": "2",
        "rows-1-aspect": "Workforce",
        "rows-1-first_value": "Generalists",
        "rows-1-second_value": "Specialists",
        **inline_management("credits", 0),
    }
    data.update(overrides)
    return data
