"""Revisions of comparisons (django-reversion), their rows and credits included, and their diff."""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cached_property

import reversion
from django.contrib.contenttypes.models import ContentType
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import Category, Comparison, DifferenceRow, ImageCredit, Subject


def register_models():
    """Keep a revision of a comparison together with its rows and image credits."""
    if not reversion.is_registered(Comparison):
        reversion.register(DifferenceRow)
        reversion.register(ImageCredit)
        reversion.register(Comparison, follow=["rows", "credits"])


# (attribute name in a version's field_dict, label) in the order the diff shows them.
COMPARISON_FIELDS = [
    ("first_subject_id", "First subject"),
    ("second_subject_id", "Second subject"),
    ("title", "Title"),
    ("slug", "Slug"),
    ("key_difference", "Key difference"),
    ("body", "Body"),
    ("categories", "Categories"),
    ("lead_image", "Lead image"),
    ("lead_image_alt", "Lead image alt text"),
    ("status", "Status"),
    ("publish_at", "Publish date"),
    ("expire_at", "Expiry date"),
    ("meta_description", "Meta description"),
]
ROW_FIELDS = [
    ("order", "Order"),
    ("section", "Section"),
    ("aspect", "Aspect"),
    ("first_value", "First value"),
    ("second_value", "Second value"),
    ("source", "Source"),
    ("source_url", "Source link"),
    ("checked_on", "Last checked"),
]


def word_diff(old, new):
    """Return (old, new) as safe HTML with the words that differ in <del> and <ins>, and line
    breaks as <br>."""
    before, after = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    old_html, new_html = [], []
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        left, right = escape("".join(before[i1:i2])), escape("".join(after[j1:j2]))
        if tag == "equal":
            old_html.append(left)
            new_html.append(right)
            continue
        if left:
            old_html.append(f"<del>{left}</del>")
        if right:
            new_html.append(f"<ins>{right}</ins>")
    return tuple(mark_safe("".join(parts).replace("\n", "<br>")) for parts in (old_html, new_html))


@dataclass
class Change:
    label: str
    old: str
    new: str

    @property
    def changed(self):
        return self.old != self.new

    @cached_property
    def marked(self):
        """(old, new) as HTML, the changed words marked (see word_diff)."""
        return word_diff(self.old, self.new)


@dataclass
class RowChange:
    kind: str  # "added", "removed", "changed" or "same"
    fields: list

    @property
    def aspect(self):
        return next(change.new or change.old for change in self.fields if change.label == "Aspect")


def snapshot(revision, comparison_id):
    """Return (comparison field_dict, {row id: row field_dict}) as saved in `revision`."""
    types = ContentType.objects.get_for_models(Comparison, DifferenceRow)
    fields, rows = {}, {}
    for version in revision.version_set.filter(
        content_type__in=types.values()
    ).select_related("content_type"):
        if version.content_type_id == types[Comparison].pk:
            if version.object_id == str(comparison_id):
                fields = version.field_dict
        else:
            row = version.field_dict
            if row.get("comparison_id") == comparison_id:
                rows[int(version.object_id)] = row
    return fields, rows


def _display(value):
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
    # Browsers send line breaks as CRLF: a text saved again unchanged is not a change.
    return str(value).replace("\r\n", "\n")


def _names(old, new):
    """Replace subject and category ids by their names, for people to read."""
    subject_ids = {
        fields.get(key) for fields in (old, new) for key in ("first_subject_id", "second_subject_id")
    }
    subjects = dict(Subject.objects.filter(pk__in=subject_ids).values_list("pk", "name"))
    category_ids = {pk for fields in (old, new) for pk in fields.get("categories", [])}
    categories = dict(Category.objects.filter(pk__in=category_ids).values_list("pk", "name"))

    def readable(fields):
        fields = dict(fields)
        for key in ("first_subject_id", "second_subject_id"):
            fields[key] = subjects.get(fields.get(key), fields.get(key))
        fields["categories"] = ", ".join(
            sorted(str(categories.get(pk, pk)) for pk in fields.get("categories", []))
        )
        return fields

    return readable(old), readable(new)


def diff_revisions(old_revision, new_revision, comparison_id):
    """Return (field changes, row changes) from `old_revision` to `new_revision`."""
    return diff_snapshots(
        snapshot(old_revision, comparison_id), snapshot(new_revision, comparison_id)
    )


def live_snapshot(comparison):
    """The stored comparison as (field_dict, {row id: row field_dict}), like `snapshot`."""
    fields = {key: getattr(comparison, key) for key, _ in COMPARISON_FIELDS if key != "categories"}
    fields["lead_image"] = comparison.lead_image.name
    fields["categories"] = list(comparison.categories.values_list("pk", flat=True))
    rows = {
        row.pk: {key: getattr(row, key) for key, _ in ROW_FIELDS} for row in comparison.rows.all()
    }
    return fields, rows


def draft_snapshot(comparison, content):
    """A draft's content (see services.comparison_draft_save) as (field_dict, rows), like
    `snapshot`; the draft keeps no status or dates, so the comparison's own stand in."""
    fields = {key: getattr(comparison, key) for key in ("status", "publish_at", "expire_at")}
    fields.update(content["fields"], categories=content["categories"])
    rows = {
        row["id"] or -number: {key: row.get(key) for key, _ in ROW_FIELDS}
        for number, row in enumerate(content["rows"], start=1)
    }
    return fields, rows


def diff_snapshots(old, new):
    """Return (field changes, row changes) from snapshot `old` to snapshot `new`."""
    (old_fields, old_rows), (new_fields, new_rows) = old, new
    old_fields, new_fields = _names(old_fields, new_fields)
    fields = [
        Change(label, _display(old_fields.get(key)), _display(new_fields.get(key)))
        for key, label in COMPARISON_FIELDS
    ]

    def row_key(row_id):
        row = new_rows.get(row_id) or old_rows[row_id]
        return (row.get("order") or 0, row_id)

    rows = []
    for row_id in sorted(set(old_rows) | set(new_rows), key=row_key):
        old, new = old_rows.get(row_id, {}), new_rows.get(row_id, {})
        changes = [
            Change(label, _display(old.get(key)), _display(new.get(key))) for key, label in ROW_FIELDS
        ]
        if not old:
            kind = "added"
        elif not new:
            kind = "removed"
        elif any(change.changed for change in changes):
            kind = "changed"
        else:
            kind = "same"
        rows.append(RowChange(kind, changes))
    return fields, rows


def credits_change(live_credits, draft_credits):
    """The image credits of the live page against a draft's (dicts with text and url) as one
    Change, a line per credit: "text (url)"."""

    def lines(credits):
        return "\n".join(
            f"{credit['text']} ({credit['url']})" if credit.get("url") else credit["text"]
            for credit in credits
        )

    live = [{"text": credit.text, "url": credit.url} for credit in live_credits]
    return Change("Image credits", lines(live), lines(draft_credits))
