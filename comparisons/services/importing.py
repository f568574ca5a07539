"""Writing an import plan: comparisons created or changed from a file, rows matched in place."""

from dataclasses import dataclass

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.db import transaction

from ..models import Comparison
from .drafts import comparison_draft_save
from .subjects import subject_save
from .writing import comparison_save

# What an import sets on a comparison that exists; the rest (created_at, renditions...) stays.
IMPORTED_FIELDS = [
    "first_subject",
    "second_subject",
    "title",
    "slug",
    "key_difference",
    "body",
    "status",
    "publish_at",
    "expire_at",
    "meta_description",
    "lead_image",
    "lead_image_alt",
    "author",
]


@dataclass
class RowMatch:
    """What writing incoming rows does to the stored ones."""

    updated: list  # (stored, incoming) pairs: the row is changed in place, its reports stay
    added: list
    removed: list  # stored rows that go, with their reports

    @staticmethod
    def _reports(rows):
        return sum(getattr(row, "open_reports", 0) for row in rows)

    @property
    def reports_kept(self):
        return self._reports(stored for stored, _ in self.updated)

    @property
    def reports_lost(self):
        return self._reports(self.removed)

    def describe(self):
        """E.g. "3 rows updated in place (1 open report kept), 1 added, 1 removed"."""
        parts = [f"{len(self.updated)} row(s) updated in place"]
        if self.reports_kept:
            parts[0] += f" ({self.reports_kept} open report(s) kept)"
        if self.added:
            parts.append(f"{len(self.added)} added")
        if self.removed:
            lost = f" (with {self.reports_lost} open report(s))" if self.reports_lost else ""
            parts.append(f"{len(self.removed)} removed{lost}")
        return ", ".join(parts)


def match_rows(stored, incoming):
    """Pair `incoming` rows (unsaved) with the `stored` rows they replace and give each paired
    one the stored row's pk, so writing them updates rows in place.

    A row is paired with a stored row of the same aspect (ignoring case and spaces), else with
    the unpaired stored row at the same position.
    """

    def key(row):
        return " ".join(row.aspect.split()).casefold()

    free = list(stored)
    pairs, unpaired = {}, []
    for row in incoming:
        match = next((old for old in free if key(old) == key(row)), None)
        if match is None:
            unpaired.append(row)
        else:
            free.remove(match)
            pairs[id(row)] = (match, row)
    positions = {id(old): index for index, old in enumerate(stored)}
    for row in unpaired:
        index = incoming.index(row)
        match = next((old for old in free if positions[id(old)] == index), None)
        if match is not None:
            free.remove(match)
            pairs[id(row)] = (match, row)
    for old, row in pairs.values():
        row.pk = old.pk
    updated = [pairs[id(row)] for row in incoming if id(row) in pairs]
    added = [row for row in incoming if id(row) not in pairs]
    return RowMatch(updated, added, free)


def comparisons_import(plan, user=None, progress=None):
    """Write a checked import plan in one transaction, each comparison as `comparison_save`
    writes it (indexed, revisioned, rows updated in place), or as `comparison_draft_save`
    keeps an editor's change to a live one; return the counts.

    `progress(done, total)` is called after each comparison. With `user`, each created or
    changed comparison is also recorded in the admin log.
    """
    assert not plan.errors, "Only a plan without errors can be written."
    work = plan.of("create") + plan.of("change")
    with transaction.atomic():
        for done, item in enumerate(work, start=1):
            _import_item(item, user)
            if progress:
                progress(done, len(work))
        if user is not None:
            _log_import(user, work)
    return plan.counts


def _import_item(item, user):
    incoming = item.comparison
    for side, aliases in zip(("first_subject", "second_subject"), item.aliases, strict=True):
        subject = getattr(incoming, side)
        if aliases is not None and subject.alias_list != aliases:
            subject.aliases = "\n".join(aliases)
            subject_save(subject)
        elif subject.pk is None:
            subject_save(subject)
        setattr(incoming, side, subject)
    comparison = incoming
    if incoming.pk:
        comparison = Comparison.objects.get(pk=incoming.pk)
        for name in IMPORTED_FIELDS:
            setattr(comparison, name, getattr(incoming, name))
        if item.row_changes is None:
            item.row_changes = match_rows(list(comparison.rows.all()), item.rows)
    if item.as_draft:
        comparison_draft_save(
            comparison,
            categories=item.categories,
            rows=item.rows,
            credits=item.credits,
            user=user,
        )
        item.comparison = comparison
        return
    comparison_save(
        comparison,
        categories=item.categories,
        rows=item.rows,
        credits=item.credits,
        user=user,
        comment="Imported." if item.action == "create" else "Changed by an import.",
    )
    item.comparison = comparison


def _log_import(user, items):
    for action, as_draft, flag, message in (
        ("create", False, ADDITION, "Imported."),
        ("change", False, CHANGE, "Changed by an import."),
        ("change", True, CHANGE, "Saved unpublished changes: changed by an import."),
    ):
        comparisons = [
            item.comparison
            for item in items
            if item.action == action and item.as_draft == as_draft
        ]
        if comparisons:
            LogEntry.objects.log_actions(
                user.pk, comparisons, flag, change_message=message, single_object=False
            )
