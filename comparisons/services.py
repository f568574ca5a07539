"""The only way comparisons, their rows and credits, and subjects are written.

The admin, the importer, the demo loader, the benchmarks and the tests all call these
functions. Each change ends in one `comparisons_changed()` step that keeps everything derived
from the content in step: earlier addresses, image renditions, the search index, the revision,
the page-cache tags and the "Most searched" blocks. Nothing else (no `save()` override, no
signal receiver) does any of that work.

Derived rows (addresses, renditions, index, revision) are written in the same transaction as
the change, so a change is never stored without them; the caches are dropped at once and
again when the transaction commits (see `pagecache.tags.invalidate`).
"""

from dataclasses import dataclass
from datetime import date

import reversion
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.db import transaction
from django.utils import timezone

from pagecache.tags import detail_tag, invalidate, members_tag, object_tag

from .images import make_renditions
from .interest import refresh_most_searched
from .invalidation import (
    HOME,
    SEARCH,
    forget_next_scheduled_draft,
    forget_next_scheduled_publish,
    known_scheduled_draft,
)
from .markup import render_markdown
from .models import (
    Category,
    Comparison,
    ComparisonAddress,
    ComparisonDraft,
    DifferenceRow,
    ImageCredit,
    Subject,
    subject_slug,
    update_alias_names,
)
from .search import update_search_index
from .text import fold_text

Status = Comparison.Status


@dataclass(frozen=True)
class ComparisonState:
    """What a comparison was before a change: what decides its lists, address and image."""

    status: str
    publish_at: object
    expire_at: object
    first_subject_id: int
    second_subject_id: int
    slug: str
    first_subject_slug: str
    second_subject_slug: str
    lead_image: str
    category_ids: frozenset

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED

    def membership(self):
        """What moves the comparison in or out of lists, or changes its place in them."""
        return (
            self.status,
            self.publish_at,
            self.expire_at,
            self.first_subject_id,
            self.second_subject_id,
            self.category_ids,
        )

    def address(self):
        return (self.slug, self.first_subject_slug, self.second_subject_slug)


def comparison_states(pks):
    """Return {pk: ComparisonState} of the stored comparisons `pks` (two queries)."""
    pks = [pk for pk in pks if pk is not None]
    if not pks:
        return {}
    categories = {}
    for comparison_id, category_id in Comparison.categories.through.objects.filter(
        comparison_id__in=pks
    ).values_list("comparison_id", "category_id"):
        categories.setdefault(comparison_id, set()).add(category_id)
    return {
        row[0]: ComparisonState(*row[1:], frozenset(categories.get(row[0], ())))
        for row in Comparison.objects.filter(pk__in=pks).values_list(
            "pk",
            "status",
            "publish_at",
            "expire_at",
            "first_subject_id",
            "second_subject_id",
            "slug",
            "first_subject__slug",
            "second_subject__slug",
            "lead_image",
        )
    }


# -- subjects ---------------------------------------------------------------------------------


def subject_prepare(subject):
    """Set what a subject derives from its name: its slug when blank, its search name."""
    subject.slug = subject.slug or subject_slug(subject.name)
    subject.search_name = fold_text(subject.name)[:120]
    return subject


def subject_save(subject):
    """Create or change `subject`; re-index and drop the pages of its comparisons."""
    with transaction.atomic():
        before = (
            Subject.objects.filter(pk=subject.pk).values_list("name", "slug").first()
            if subject.pk
            else None
        )
        subject_prepare(subject).save()
        update_alias_names([subject])
        involving = list(Comparison.objects.involving(subject).values_list("pk", flat=True))
        if before is not None and before[0] != subject.name:
            update_search_index(involving)
        invalidate(
            object_tag(subject),
            members_tag(subject),
            *(object_tag(Comparison, pk) for pk in involving),
            *([SEARCH] if involving else []),
        )
    return subject


def subject_get_or_create(name, description=""):
    """Return the subject called `name`, creating it (through `subject_save`) if needed."""
    subject = Subject.objects.filter(name=name).first()
    if subject is None:
        subject = subject_save(Subject(name=name, description=description))
    return subject


# -- comparisons ------------------------------------------------------------------------------


def comparison_prepare(comparison):
    """Set what a comparison derives from its content: title and slug when blank, body HTML."""
    comparison.title = comparison.title or comparison.default_title()
    comparison.slug = comparison.slug or comparison.default_slug()
    comparison.body_html = render_markdown(comparison.body)
    return comparison


def renumber(parts):
    """Return `parts` (rows or credits) in their shown order, with distinct order numbers.

    A part whose number was just typed goes before the part that held that number, and the
    parts after it move down one; a part with no number (or 0) goes last. Distinct numbers
    are kept as they are (1, 5, 9 stays so).
    """

    def position(item):
        index, part = item
        typed = getattr(part, "_order_typed", False)
        return (part.order or float("inf"), 0 if typed else 1, index)

    ordered = [part for _, part in sorted(enumerate(parts), key=position)]
    previous = 0
    for part in ordered:
        part.order = max(part.order or 0, previous + 1)
        previous = part.order
    return ordered


def _sync_parts(comparison, model, parts):
    """Make `parts` the comparison's rows (or credits): update those that exist in place,
    create the new ones and delete the ones left out."""
    parts = renumber(list(parts))
    kept = [part.pk for part in parts if part.pk]
    model.objects.filter(comparison=comparison).exclude(pk__in=kept).delete()
    for part in parts:
        part.comparison = comparison
        part.save()
    return parts


def comparison_save(
    comparison,
    *,
    categories=None,
    rows=None,
    credits=None,
    user=None,
    comment="",
    before=None,
):
    """Create or change `comparison`, with its categories, rows and credits when given.

    `rows` and `credits` are the full lists wanted afterwards: parts with a pk are updated in
    place (so reader reports on a row stay attached), the others are created, and the ones left
    out are deleted; their order numbers are made distinct (see `renumber`). `before` is the
    ComparisonState read before the change (read here when not given). Keeps a revision with
    `user` and `comment`.
    """
    with transaction.atomic(), reversion.create_revision():
        if before is None and comparison.pk:
            before = comparison_states([comparison.pk]).get(comparison.pk)
        comparison_prepare(comparison).save()
        if categories is not None:
            comparison.categories.set(categories)
        if rows is not None:
            _sync_parts(comparison, DifferenceRow, rows)
        if credits is not None:
            _sync_parts(comparison, ImageCredit, credits)
        if user is not None and user.is_authenticated:
            reversion.set_user(user)
        if comment:
            reversion.set_comment(comment)
        comparisons_changed({comparison.pk: before})
    return comparison


def comparison_publish(comparison, user=None, comment="Published."):
    """Make `comparison` public (from its publish date on)."""
    comparison.status = Status.PUBLISHED
    return comparison_save(comparison, user=user, comment=comment)


def comparison_unpublish(comparison, user=None, comment="Unpublished."):
    """Take `comparison` down: readers get a 404 until it is published again."""
    comparison.status = Status.UNPUBLISHED
    return comparison_save(comparison, user=user, comment=comment)


def comparison_submit(comparison, user=None, comment="Submitted for review."):
    """Put a draft in the publishers' queue."""
    comparison.status = Status.REVIEW
    return comparison_save(comparison, user=user, comment=comment)


def comparison_delete(comparison):
    """Delete `comparison` with its rows and credits (its revisions stay, to recover it)."""
    with transaction.atomic():
        state = comparison_states([comparison.pk]).get(comparison.pk)
        pk = comparison.pk
        comparison.delete()
        _drop_pages({pk: state}, {})
        _refresh_blocks()


# -- drafts of live comparisons ---------------------------------------------------------------

# What a draft keeps of the comparison itself: its content, not what readers get when
# (status and dates stay the publishers' call).
DRAFT_FIELDS = [
    "first_subject_id",
    "second_subject_id",
    "title",
    "slug",
    "key_difference",
    "body",
    "meta_description",
    "lead_image",
    "lead_image_alt",
    "author_id",
    "comments_open",
]
DRAFT_PART_FIELDS = {
    DifferenceRow: [
        "id",
        "order",
        "section",
        "aspect",
        "first_value",
        "second_value",
        "source",
        "source_url",
        "checked_on",
    ],
    ImageCredit: ["id", "order", "text", "url"],
}
_DRAFT_PARTS = {DifferenceRow: "rows", ImageCredit: "credits"}


def is_live(state):
    """Whether a comparison in `state` (a ComparisonState, or None for a new one) is published,
    so that an editor's change to it goes to a draft."""
    return state is not None and state.is_published


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "name") and not isinstance(value, str):  # a file
        return value.name or ""
    return value


def comparison_draft_save(comparison, *, categories=None, rows=None, credits=None, user=None):
    """Keep `comparison` (changed in memory, not saved) with these parts as the draft of the
    live comparison, replacing any earlier draft. The live comparison, its page and everything
    derived from it stay exactly as they are. Parts left None are kept as they are now."""
    image = comparison.lead_image
    if image and not image._committed:  # a new upload: stored now, shown once published
        image.save(image.name, image.file, save=False)
    live = Comparison.objects.get(pk=comparison.pk)
    if categories is None:
        categories = live.categories.all()
    parts = {DifferenceRow: rows, ImageCredit: credits}
    content = {
        "fields": {name: _plain(getattr(comparison, name)) for name in DRAFT_FIELDS},
        "categories": sorted(category.pk for category in categories),
    }
    for model, given in parts.items():
        given = list(getattr(live, _DRAFT_PARTS[model]).all()) if given is None else given
        content[_DRAFT_PARTS[model]] = [
            {name: _plain(getattr(part, name)) for name in DRAFT_PART_FIELDS[model]}
            for part in renumber(list(given))
        ]
    # A schedule is a publisher's consent to what they saw: changed content waits for a new one.
    ComparisonDraft.objects.update_or_create(
        comparison=live,
        defaults={
            "content": content,
            "saved_at": timezone.now(),
            "saved_by": user,
            "publish_at": None,
            "scheduled_by": None,
        },
    )
    forget_next_scheduled_draft()


def draft_applied(comparison, draft=None):
    """Return (comparison, categories, rows, credits) as the draft has them: the comparison
    changed in memory, the parts unsaved (those that exist keep their pk). Nothing is written."""
    draft = draft or comparison.draft
    content = draft.content
    for name, value in content["fields"].items():
        if name == "lead_image":
            comparison.lead_image.name = value
        else:
            setattr(comparison, name, value)
    # Related objects follow the ids just set.
    for name in ("first_subject", "second_subject", "author"):
        field = Comparison._meta.get_field(name)
        if field.is_cached(comparison):
            field.delete_cached_value(comparison)
    categories = list(Category.objects.filter(pk__in=content["categories"]))
    parts = []
    for model, key in _DRAFT_PARTS.items():
        made = []
        for values in content[key]:
            values = dict(values)
            if values.get("checked_on"):
                values["checked_on"] = date.fromisoformat(values["checked_on"])
            made.append(model(comparison_id=comparison.pk, **values))
        parts.append(made)
    return comparison, categories, *parts


def comparison_draft_publish(comparison, user=None):
    """Make the draft of `comparison` live (a revision is kept) and drop the draft.

    Raises ComparisonDraft.DoesNotExist when there is none (any more: someone else may have
    published it a moment ago)."""
    with transaction.atomic():
        draft = (
            ComparisonDraft.objects.select_for_update(of=("self",))
            .select_related("saved_by")
            .get(comparison=comparison)
        )
        changed, categories, rows, credits = draft_applied(comparison, draft)
        by = draft.saved_by.get_username() if draft.saved_by else "someone"
        scheduled = draft.publish_at is not None and draft.publish_at <= timezone.now()
        comparison_save(
            changed,
            categories=categories,
            rows=rows,
            credits=credits,
            user=draft.scheduled_by if scheduled else user,
            comment=(
                f"Published {'on schedule ' if scheduled else ''}the changes {by} saved on "
                f"{timezone.localtime(draft.saved_at):%Y-%m-%d %H:%M}."
            ),
        )
        draft.delete()
        if draft.publish_at is not None:
            forget_next_scheduled_draft()
    return changed


def comparison_draft_schedule(comparison, when, user=None):
    """Have the draft of `comparison` published by itself at `when` (None: no longer)."""
    ComparisonDraft.objects.filter(comparison=comparison).update(
        publish_at=when, scheduled_by=user if when else None
    )
    forget_next_scheduled_draft()
    # Its pages are made again, to be kept no longer than until the changes go live.
    invalidate(object_tag(Comparison, comparison.pk), detail_tag(Comparison, comparison.pk))


def comparison_drafts_publish_due(now=None):
    """Publish the drafts whose scheduled moment has come; return the comparisons made live.

    Costs one cache read, and no query, while none is due: requests call it, so a scheduled
    draft goes live by itself, like a scheduled comparison, without a job. Pages are not kept
    past a draft's moment, so the request after it publishes the draft (see
    `invalidation.known_scheduled_draft`).
    """
    now = now or timezone.now()
    due = known_scheduled_draft()
    if due is None or due > now:
        return []
    published = []
    for draft in ComparisonDraft.objects.filter(publish_at__lte=now).select_related("comparison"):
        try:
            published.append(comparison_draft_publish(draft.comparison))
        except ComparisonDraft.DoesNotExist:
            continue  # published by a request running at the same time
    forget_next_scheduled_draft()
    return published


def comparison_draft_discard(comparison):
    """Drop the draft of `comparison`: the live comparison stays as it is."""
    ComparisonDraft.objects.filter(comparison=comparison).delete()
    forget_next_scheduled_draft()


# -- imports ----------------------------------------------------------------------------------

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


# -- the one step after every change ----------------------------------------------------------


def comparisons_changed(before):
    """Bring everything derived from the comparisons in step after they changed.

    `before` maps each changed comparison's pk to its ComparisonState before the change
    (None for a new one). In order: earlier addresses are recorded, renditions of a new lead
    image made, the search index rebuilt, the comparisons added to the revision being made
    (if any), their cached pages dropped, and the "Most searched" blocks refreshed.
    """
    pks = list(before)
    if not pks:
        return
    after = comparison_states(pks)
    _record_addresses(before, after)
    _make_renditions(before, after)
    update_search_index(pks)
    if reversion.is_active():
        for comparison in Comparison.objects.filter(pk__in=pks):
            reversion.add_to_revision(comparison)
    _drop_pages(before, after)
    if any(
        state is not None and state.is_published
        for states in (before, after)
        for state in states.values()
    ):
        _refresh_blocks()


def _record_addresses(before, after):
    ComparisonAddress.objects.bulk_create(
        ComparisonAddress(
            comparison_id=pk,
            slug=old.slug,
            first_subject_slug=old.first_subject_slug,
            second_subject_slug=old.second_subject_slug,
        )
        for pk, old in before.items()
        if old is not None and pk in after and old.address() != after[pk].address()
    )


def _make_renditions(before, after):
    """Resize each newly set lead image once (from storage); forget those of a removed one."""
    for pk, new in after.items():
        old = before.get(pk)
        if (old.lead_image if old else "") == new.lead_image:
            continue
        renditions = []
        if new.lead_image:
            storage = Comparison._meta.get_field("lead_image").storage
            with storage.open(new.lead_image) as file:
                renditions = make_renditions(file, new.lead_image, storage)
        Comparison.objects.filter(pk=pk).update(lead_image_renditions=renditions)


def _drop_pages(before, after):
    """Drop the cached pages showing these comparisons, and the lists they were or are in."""
    tags = []
    membership = False
    for pk in set(before) | set(after):
        old, new = before.get(pk), after.get(pk)
        tags += [object_tag(Comparison, pk), detail_tag(Comparison, pk)]
        published = any(state is not None and state.is_published for state in (old, new))
        if not published:
            continue
        moved = old is None or new is None or old.membership() != new.membership()
        if not moved:
            tags.append(SEARCH)  # the title may have changed
            continue
        membership = True
        tags += [HOME, SEARCH]
        for state in (old, new):
            if state is not None:
                tags += [
                    members_tag(Subject, state.first_subject_id),
                    members_tag(Subject, state.second_subject_id),
                    *(members_tag(Category, category) for category in state.category_ids),
                ]
    invalidate(*tags)
    if membership:
        forget_next_scheduled_publish()


def _refresh_blocks():
    """Refresh the "Most searched" blocks now and again once the change is committed."""
    refresh_most_searched()
    transaction.on_commit(refresh_most_searched, robust=True)
