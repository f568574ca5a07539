"""The one step after every change: what derives from the comparisons, brought in step."""

import reversion

from pagecache.tags import detail_tag, invalidate, members_tag, object_tag

from ..images import make_renditions
from ..interest import refresh_most_searched
from ..invalidation import HOME, SEARCH, forget_next_scheduled_publish
from ..models import Category, Comparison, ComparisonAddress, Subject
from ..search import update_search_index
from .states import comparison_states


def comparisons_changed(before):
    """Bring everything derived from the comparisons in step after they changed.

    `before` maps each changed comparison's pk to its ComparisonState before the change
    (None for a new one). In order: earlier addresses are recorded, renditions of a new lead
    image made, the search index rebuilt, the comparisons added to the revision being made
    (if any), their cached pages dropped, and the "Most searched" blocks refreshed when
    they may list something else (`blocks_may_change`).
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
    drop_pages(before, after)
    if blocks_may_change(before, after):
        refresh_most_searched()


def blocks_may_change(before, after):
    """Whether the "Most searched" blocks may now list something else: a published comparison
    came or went, moved between lists or in them, or changed its address. Its text alone (the
    key difference, the body, rows) is not in the blocks, so editing it leaves them as they
    are; at 100,000 comparisons computing them costs more than a second."""
    for pk in before.keys() | after.keys():
        old, new = before.get(pk), after.get(pk)
        if not any(state is not None and state.is_published for state in (old, new)):
            continue
        if old is None or new is None:
            return True
        if old.membership() != new.membership() or old.address() != new.address():
            return True
    return False


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


def drop_pages(before, after):
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
