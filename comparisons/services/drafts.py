"""Drafts of live comparisons: an editor's change that readers see once it is published."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from pagecache.tags import detail_tag, invalidate, object_tag

from ..invalidation import forget_next_scheduled_draft, known_scheduled_draft
from ..models import Category, Comparison, ComparisonDraft, DifferenceRow, ImageCredit
from .writing import comparison_save, renumber

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
    DifferenceRow: ["id", *DifferenceRow.EDITABLE_FIELDS],
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


class DraftSaved:
    """What comparison_draft_save did: SAVED (new unpublished changes), UNCHANGED (the same as
    those already waiting: kept, schedule included), DROPPED (the same as the live page: none
    are kept)."""

    SAVED, UNCHANGED, DROPPED = "saved", "unchanged", "dropped"


def _draft_content(comparison, categories, parts):
    content = {
        "fields": {name: _plain(getattr(comparison, name)) for name in DRAFT_FIELDS},
        "categories": sorted(category.pk for category in categories),
    }
    for model, given in parts.items():
        content[_DRAFT_PARTS[model]] = [
            {name: _plain(getattr(part, name)) for name in DRAFT_PART_FIELDS[model]}
            for part in renumber(list(given))
        ]
    return content


def comparison_draft_save(comparison, *, categories=None, rows=None, credits=None, user=None):
    """Keep `comparison` (changed in memory, not saved) with these parts as the draft of the
    live comparison, replacing any earlier draft. The live comparison, its page and everything
    derived from it stay exactly as they are. Parts left None are kept as they are now.

    Content the same as the live page's leaves no draft (a save that changed nothing, or one
    that undid every change); content the same as the waiting draft's leaves it as it is.
    Return a DraftSaved value.
    """
    image = comparison.lead_image
    if image and not image._committed:  # a new upload: stored now, shown once published
        image.save(image.name, image.file, save=False)
    live = Comparison.objects.get(pk=comparison.pk)
    live_parts = {model: list(getattr(live, key).all()) for model, key in _DRAFT_PARTS.items()}
    given = {DifferenceRow: rows, ImageCredit: credits}
    content = _draft_content(
        comparison,
        live.categories.all() if categories is None else categories,
        {model: live_parts[model] if given[model] is None else given[model] for model in given},
    )
    waiting = ComparisonDraft.objects.filter(comparison=live).first()
    if content == _draft_content(live, live.categories.all(), live_parts):
        if waiting is not None:
            comparison_draft_discard(live)
        return DraftSaved.DROPPED
    if waiting is not None and waiting.content == content:
        return DraftSaved.UNCHANGED
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
    return DraftSaved.SAVED


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
        scheduled = draft.publish_at is not None and draft.publish_at <= timezone.now()
        comparison_save(
            changed,
            categories=categories,
            rows=rows,
            credits=credits,
            user=draft.scheduled_by if scheduled else user,
            comment=published_changes_comment(draft, scheduled),
        )
        draft.delete()
        if draft.publish_at is not None:
            forget_next_scheduled_draft()
    return changed


def published_changes_comment(draft, scheduled=False):
    """What the history says of `draft` made live: "Published the changes <editor> saved on
    <date>." """
    by = draft.saved_by.get_username() if draft.saved_by else "someone"
    return (
        f"Published {'on schedule ' if scheduled else ''}the changes {by} saved on "
        f"{timezone.localtime(draft.saved_at):%Y-%m-%d %H:%M}."
    )


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
