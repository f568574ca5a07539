"""The page cache's API for apps: name what a page shows, and drop pages when it changes.

A view names what its page shows with `tag_page(request, *tags)` (views that name no tag are
never cached); a change calls `invalidate(*tags)` with the tags of what it changed. Tags are
strings: `object_tag(instance)` and its variants, or names an app chooses ("home").
"""

from django.db import transaction

from . import recovery
from .store import bump_if_possible, page_cache

SITE_TAG = "site"  # carried by every cached page: invalidate(SITE_TAG) drops them all
_SCHEDULE_SOURCES = []
_DERIVED_KEYS = set()


def tag_page(request, *tags):
    """Declare that the page answering `request` shows `tags`; only tagged pages are cached."""
    request._page_cache_tags = getattr(request, "_page_cache_tags", set()) | {
        str(tag) for tag in tags
    }


def page_query(request, **understood):
    """Declare the query parameters the page answering `request` read, each with the value it
    understood (a page number as a number, a sort it knows). The page is stored only when its
    address holds exactly those: the same page under any other query (an unknown sort, a page
    number with leading zeros, a parameter this page ignores) is served but not kept, so that
    made-up addresses cannot fill the cache with copies."""
    request._page_cache_query = {
        name: str(value) for name, value in understood.items() if value is not None
    }


def object_tag(model_or_instance, pk=None):
    """The tag of one object: "<app>.<model>:<pk>", e.g. "comparisons.comparison:12"."""
    pk = model_or_instance.pk if pk is None else pk
    return f"{model_or_instance._meta.label_lower}:{pk}"


def detail_tag(model_or_instance, pk=None):
    """The tag of what only the object's own page shows (for a comparison: rows, credits)."""
    return object_tag(model_or_instance, pk) + ":detail"


def comments_tag(model_or_instance, pk=None):
    """The tag of the comments shown for an object."""
    return object_tag(model_or_instance, pk) + ":comments"


def members_tag(model_or_instance, pk=None):
    """The tag of the list of things an object groups (a category's comparisons, ...)."""
    return object_tag(model_or_instance, pk) + ":members"


def invalidate(*tags):
    """Drop every cached page showing one of `tags`, on every server, once the current
    transaction commits, even if the shared cache refuses the change at that moment.

    The bump is recorded in the database with the transaction and written to the shared cache
    twice: now, so that a page rendered from the old data before the commit is not kept, and
    after the commit. A bump the cache refused stays recorded and is replayed until the cache
    takes it (pagecache.recovery).
    """
    tags = {str(tag) for tag in tags if tag}
    if not tags:
        return
    pks = recovery.record(tags)
    bump_if_possible(page_cache(), tags)
    transaction.on_commit(lambda: recovery.deliver(tags, pks), robust=True)


def register_schedule_source(function):
    """Register `function() -> datetime | None`: the next time public pages change by
    themselves (a scheduled publish). Cached pages expire before it."""
    if function not in _SCHEDULE_SOURCES:
        _SCHEDULE_SOURCES.append(function)
    return function


def schedule_sources():
    return list(_SCHEDULE_SOURCES)


def forget_on_recovery(*keys):
    """Register keys of values an app keeps in the default cache, computed from its content
    and deleted or replaced by the app when that changes. When the page cache recovers from a
    change the shared cache lost (refused, or forgot in a restart or flush), these keys are
    deleted too: the app's own delete or replacement may have been lost with it."""
    _DERIVED_KEYS.update(keys)


def derived_keys():
    return sorted(_DERIVED_KEYS)


def read_derived(cache, key):
    """`cache.get(key)` for a key registered with forget_on_recovery; None while this process
    is behind on a change the shared cache refused: the value may show what that change
    replaced (a taken-down page in a list), and the app's own replacement may be refused
    too. The caller computes it again."""
    from . import recovery

    return None if recovery.is_behind() else cache.get(key)
