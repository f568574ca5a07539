"""Which cached pages show what, and dropping exactly those when content changes.

Tags (see the pagecache package):
- object_tag(x), e.g. "comparisons.comparison:12": pages that show x's own fields (its page,
  and every list whose card shows it).
- detail_tag(x), comments_tag(x): what only x's own page shows (rows and credits; comments).
- members_tag(category or subject): pages whose list depends on which published comparisons
  the category or subject has (its own page, and the "related" block of comparisons in it).
- HOME: the home page (category counts and the newest list depend on every comparison).
- CATEGORY_NAV: every page (the footer lists the categories).
- SEARCH: every search results page.
- MOST_SEARCHED and most_searched_tag(category): pages showing "Most searched" blocks (or a
  category ranked by them); `interest.refresh_most_searched` drops the pages of exactly the
  blocks that changed, and all of them when the set of blocks changed.

A comparison change is a "membership" change when it can move the comparison in or out of a
list or change its place (created, deleted, status, publish date, subjects, categories); then
the lists it belongs to are dropped too. Otherwise (body, rows, key difference...) only the
pages showing the comparison itself are.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Min, Q
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone

from comments.api import comments_changed
from pagecache.tags import (
    comments_tag,
    detail_tag,
    forget_on_recovery,
    invalidate,
    members_tag,
    object_tag,
    read_derived,
    register_schedule_source,
)

from .models import (
    CATEGORY_NAV_CACHE_KEY,
    Category,
    Comparison,
    Subject,
    published_q,
)

HOME = "home"
CATEGORY_NAV = "category-nav"
SEARCH = "search"
MOST_SEARCHED = "most-searched"  # pages showing the "Most searched" blocks or that order


def most_searched_tag(category_pk):
    """The tag of pages showing one category's "Most searched" block (or ranked by it)."""
    return f"{MOST_SEARCHED}:{category_pk}"


def most_searched_tags(blocks):
    """Tags of a page showing `blocks`: each block's own, and the general one (which blocks
    a page shows can change when a category gains or loses its block)."""
    return [MOST_SEARCHED, *(most_searched_tag(block["category_id"]) for block in blocks)]


_NEXT_PUBLISH_KEY = "comparisons:next-scheduled-publish"
_CATEGORY_COUNTS_KEY = "comparisons:published-counts-by-category"
forget_on_recovery(CATEGORY_NAV_CACHE_KEY, _NEXT_PUBLISH_KEY, _CATEGORY_COUNTS_KEY)


# -- what pages show ------------------------------------------------------------------------


def listing_tags(comparisons):
    return [object_tag(comparison) for comparison in comparisons]


def comparison_page_tags(comparison, categories, related):
    """Everything a comparison page shows: itself, its subjects and categories (names, and
    the lists its related block is drawn from), and the related comparisons."""
    subject_pks = (comparison.first_subject_id, comparison.second_subject_id)
    return [
        object_tag(comparison),
        detail_tag(comparison),
        comments_tag(comparison),
        CATEGORY_NAV,
        *(object_tag(Subject, pk) for pk in subject_pks),
        *(members_tag(Subject, pk) for pk in subject_pks),
        *(object_tag(category) for category in categories),
        *(members_tag(category) for category in categories),
        *listing_tags(related),
    ]


# -- what a change drops --------------------------------------------------------------------
# Comparisons, their rows and credits, and subjects: comparisons.services (comparisons_changed).


@receiver([post_save, post_delete], sender=Category)
def category_changed(sender, instance, raw=False, **kwargs):
    Category.objects.forget_navigation()
    if not raw:
        invalidate(object_tag(instance), members_tag(instance), CATEGORY_NAV, HOME)


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
@receiver(pre_delete, sender=settings.AUTH_USER_MODEL)
def author_changed(sender, instance, raw=False, update_fields=None, **kwargs):
    """Comparison pages name their author: drop them when the author's name changes or the
    author is deleted (not on every login, which only saves last_login)."""
    if raw or (update_fields and set(update_fields) <= {"last_login", "password"}):
        return
    authored = Comparison.objects.filter(author_id=instance.pk).values_list("pk", flat=True)
    invalidate(*(detail_tag(Comparison, pk) for pk in authored))


@receiver(comments_changed)
def comments_changed_pages(sender, targets, **kwargs):
    """Drop the pages of the objects whose comments changed (any model, by content type)."""
    tags = set()
    for content_type_id, object_id in targets:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is not None:
            tags.add(comments_tag(model, object_id))
    invalidate(*tags)


# -- scheduled publishing -------------------------------------------------------------------


def _schedule():
    """{"public": when a published comparison next goes public or expires, "draft": when the
    earliest scheduled draft of a live comparison is due (in the past while one is overdue,
    until a request publishes it)}, None where nothing is planned.

    Read with one query and kept in the cache until the next public moment (at most an hour)
    or a schedule changes, so that pages can expire before it, and each request can tell
    whether a draft is due, without a query each time.
    """
    now = timezone.now()
    cached = read_derived(cache, _NEXT_PUBLISH_KEY)
    if isinstance(cached, dict) and (cached["public"] is None or cached["public"] > now):
        return cached
    published = Q(status=Comparison.Status.PUBLISHED)
    found = Comparison.objects.aggregate(
        publish=Min("publish_at", filter=published & Q(publish_at__gt=now)),
        expire=Min("expire_at", filter=published & Q(expire_at__gt=now)),
        draft=Min("draft__publish_at"),
    )
    public = min((moment for moment in (found["publish"], found["expire"]) if moment), default=None)
    schedule = {"public": public, "draft": found["draft"]}
    timeout = 3600 if public is None else max(1, min(3600, int((public - now).total_seconds())))
    cache.set(_NEXT_PUBLISH_KEY, schedule, timeout=timeout)
    return schedule


@register_schedule_source
def next_scheduled_publish():
    """When a published comparison next goes public or expires (None if none is planned)."""
    return _schedule()["public"]


def forget_next_scheduled_publish():
    """Recompute the next scheduled publish and the category counts on next use: now, and
    again after the commit."""
    keys = [_NEXT_PUBLISH_KEY, _CATEGORY_COUNTS_KEY]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys), robust=True)


@register_schedule_source
def next_scheduled_draft():
    """When the earliest scheduled draft of a live comparison is due (None if none is)."""
    return _schedule()["draft"]


def known_scheduled_draft():
    """When the earliest scheduled draft is due, if the cache knows it (None otherwise): a
    cache read, never a query. Every page the page cache stores reads the schedule, so it is
    known again after the first page made."""
    cached = read_derived(cache, _NEXT_PUBLISH_KEY)
    return cached["draft"] if isinstance(cached, dict) else None


def forget_next_scheduled_draft():
    """Recompute when the next scheduled draft is due on next use: now, and after the commit."""
    cache.delete(_NEXT_PUBLISH_KEY)
    transaction.on_commit(lambda: cache.delete(_NEXT_PUBLISH_KEY), robust=True)


# -- category counts ------------------------------------------------------------------------


def published_counts_by_category():
    """{category pk: number of public comparisons}, for the home tiles and the pagination of
    category pages.

    Counting means reading every comparison, so the answer is kept in the cache until a
    comparison changes membership or the next scheduled comparison goes public or expires.
    """
    now = timezone.now()
    cached = read_derived(cache, _CATEGORY_COUNTS_KEY)
    if cached is not None and (cached["until"] is None or now < cached["until"]):
        return cached["counts"]
    counts = dict(
        Comparison.categories.through.objects.filter(published_q(now, prefix="comparison__"))
        .values_list("category_id")
        .annotate(total=Count("comparison_id"))
        .order_by()
    )
    until = next_scheduled_publish()
    cache.set(_CATEGORY_COUNTS_KEY, {"counts": counts, "until": until}, timeout=3600)
    return counts
