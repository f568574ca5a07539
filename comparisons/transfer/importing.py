"""Importing: a whole file is checked into a Plan (nothing written), then the Plan is written
through `comparisons.services.comparisons_import`, exactly as the admin saves.

Import is all or nothing: `plan_import` returns either errors that name the line (CSV) or
object (JSON) and the problem, or a plan of what will be created, changed and left alone, and
for each changed comparison what happens to its rows and their open reader reports.
"""

import csv
import json

from django.db.models import Count, Prefetch, Q

from ..models import Comparison, DifferenceRow, RowReport
from ..services import comparisons_import, match_rows
from ..workflow import PUBLISHER_STATUSES, can_publish
from .formats import COMPARISON_COLUMNS, FileError, _record, comparison_record, read_file
from .validation import (
    BATCH,
    Item,
    Lookups,
    Plan,
    RecordError,
    check_record,
    clean_row,
    record_aliases,
)


def rows_with_open_reports():
    return DifferenceRow.objects.annotate(
        open_reports=Count("reports", filter=Q(reports__status=RowReport.Status.OPEN))
    )


def plan_import(text, file_format, storage=None, user=None, progress=None):
    """Parse and check a whole file; return a Plan with its items or its errors.

    With `user` (an admin import), the workflow applies as in the change form: only
    publishers may import published or unpublished comparisons, or change those that are,
    except that an editor's change to a live comparison that leaves it live is kept as its
    unpublished changes, for a publisher to publish.
    """
    try:
        records = read_file(text, file_format)
    except FileError as error:
        return Plan(errors=[str(error)])
    except csv.Error as error:
        return Plan(errors=[f"The CSV file cannot be read: {error}."])
    return plan_records(records, storage, user, progress)


def plan_records(records, storage=None, user=None, progress=None):
    """Check parsed `records` ([(record dict, Source)], see formats); return a Plan.

    Records that come from no file can name their Source freely, e.g. Source("BPO vs KPO").
    `progress(done, total)` is called after each record is checked.
    """
    storage = storage or Comparison._meta.get_field("lead_image").storage
    plan = Plan()
    if not records:
        plan.errors.append("The file holds no comparisons.")
        return plan
    lookups = Lookups(records)
    seen_slugs, seen_pairs, seen_aliases = {}, {}, {}
    for done, (record, source) in enumerate(records, start=1):
        if progress:
            progress(done, len(records))
        try:
            comparison, first, second, categories, credits = check_record(record, lookups, storage)
            first_subject, second_subject = lookups.subject(first), lookups.subject(second)
            aliases = record_aliases(record)
            for name, given in zip((first, second), aliases, strict=True):
                if given is not None and seen_aliases.setdefault(name, (given, source))[0] != given:
                    raise RecordError(
                        f"the aliases of {name} differ from those in "
                        f"{seen_aliases[name][1].label.lower()}"
                    )
        except RecordError as error:
            plan.errors.append(f"{source.label}: {error}.")
            continue
        comparison.first_subject, comparison.second_subject = first_subject, second_subject
        comparison.title = comparison.title or comparison.default_title()
        comparison.slug = comparison.slug or comparison.default_slug()
        rows, row_errors = [], []
        raw_rows = record.get("rows", [])
        if not isinstance(raw_rows, list):
            plan.errors.append(f"{source.label}: rows must be a list.")
            continue
        for position, raw in enumerate(raw_rows, start=1):
            try:
                rows.append(clean_row(raw, position))
            except RecordError as error:
                label = source.row_labels[position - 1] if source.row_labels else source.label
                row_errors.append(f"{label}: {error}.")
        plan.errors.extend(row_errors)
        if comparison.slug in seen_slugs:
            plan.errors.append(
                f"{source.label}: the address {comparison.slug!r} is already used by "
                f"{seen_slugs[comparison.slug].lower()} of this file."
            )
            continue
        pair = frozenset((first, second))
        if pair in seen_pairs:
            plan.errors.append(
                f"{source.label}: {first} and {second} are already compared by "
                f"{seen_pairs[pair].lower()} of this file."
            )
            continue
        seen_slugs[comparison.slug], seen_pairs[pair] = source.label, source.label
        if first_subject.pk and second_subject.pk:
            owner = lookups.pairs.get(frozenset((first_subject.pk, second_subject.pk)))
            if owner is not None and owner != comparison.slug:
                plan.errors.append(
                    f"{source.label}: {first} and {second} are already compared on the site, "
                    f"at /difference-between-{owner}/."
                )
                continue
        if row_errors:
            continue
        comparison.pk = lookups.existing.get(comparison.slug)
        as_draft = False
        if user is not None and not can_publish(user):
            current = lookups.statuses.get(comparison.slug)
            live = Comparison.Status.PUBLISHED
            if comparison.pk and current == live and comparison.status == live:
                as_draft = True
            elif comparison.status in PUBLISHER_STATUSES or current in PUBLISHER_STATUSES:
                plan.errors.append(
                    f"{source.label}: only publishers may import published or unpublished "
                    f"comparisons, or change those that are ({comparison.slug!r} would be "
                    f"{comparison.status}{f', and is {current} now' if current else ''})."
                )
                continue
        item = Item(source, record, comparison, first, second, categories, rows, credits)
        item.aliases = aliases
        item.as_draft = as_draft
        plan.items.append(item)
    if plan.errors:
        plan.items = []
        return plan
    _mark_unchanged(plan)
    return plan


def _normalised(record):
    record = {key: record.get(key) for key in COMPARISON_COLUMNS + ["rows"]}
    return json.dumps(record, sort_keys=True, default=str)


def _mark_unchanged(plan):
    """Set each item's action by comparing it with what the site holds now."""
    existing = [item for item in plan.items if item.comparison.pk]
    for start in range(0, len(existing), BATCH):
        batch = existing[start : start + BATCH]
        comparisons = (
            Comparison.objects.filter(pk__in=[i.comparison.pk for i in batch])
            .select_related("first_subject", "second_subject", "author")
            .prefetch_related("categories", "credits", Prefetch("rows", rows_with_open_reports()))
        )
        current, stored_rows, stored = {}, {}, {}
        for comparison in comparisons:
            current[comparison.pk] = comparison_record(comparison)
            stored_rows[comparison.pk] = list(comparison.rows.all())
            stored[comparison.pk] = comparison
        for item in batch:
            if not str(item.record.get("publish_at") or "").strip():
                # A blank publish date keeps the stored one (it is "now" for a new comparison).
                item.comparison.publish_at = stored[item.comparison.pk].publish_at
            incoming = comparison_record_of(item)
            same = _normalised(incoming) == _normalised(current[item.comparison.pk])
            item.action = "unchanged" if same else "change"
            if not same:
                item.row_changes = match_rows(stored_rows[item.comparison.pk], item.rows)


def comparison_record_of(item):
    """The export record the item will have once written."""
    return _record(
        item.comparison,
        item.first_name,
        item.second_name,
        item.categories,
        item.credits,
        item.rows,
        item_aliases(item),
    )


def item_aliases(item):
    """The (first, second) subjects' aliases once the item is written."""
    subjects = (item.comparison.first_subject, item.comparison.second_subject)
    return tuple(
        subject.alias_list if given is None else given
        for given, subject in zip(item.aliases, subjects, strict=True)
    )


def apply_plan(plan, user=None, progress=None):
    """Write a checked plan (see `comparisons_import`); return the counts."""
    return comparisons_import(plan, user=user, progress=progress)
