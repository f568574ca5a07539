"""Parts of pages computed once per change rather than per request (each process keeps its own).

`fragment(name, compute, tags_of)` returns what `compute()` returned the last time, as long as
none of the tags `tags_of(value)` named was bumped since, the epoch has not moved and no
scheduled change has come; otherwise it calls `compute()` again. It keeps the page cache's
rules: a value is kept only if none of its tags was bumped after `compute()` began (as a page
is stored), and nothing is kept or reused while this process is behind on a bump
(pagecache.recovery).

Values live in this process's memory, not in the shared cache, so they are never pickled and
the caller must treat them as read-only. While the shared cache is watched (pagecache.watch) a
value is checked again only after some tag version changed; otherwise each use costs one read
of its tag versions.
"""

import threading
import time
from collections import OrderedDict
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.utils import timezone

from . import recovery
from .store import EPOCH_KEY, establish_epoch, page_cache, version_key
from .tags import SITE_TAG

_entries = OrderedDict()  # {name: (value, keys, versions, expires, generation)}
_lock = threading.Lock()
_page_started = ContextVar("page_started", default=None)


def forget_fragments():
    """Drop every value this process keeps (tests; pages are dropped by tag)."""
    with _lock:
        _entries.clear()


def fragment(name, compute, tags_of):
    """Return `compute()`'s value for `name`, computed at most once per change of the tags
    `tags_of(value)` names (SITE_TAG is always one of them)."""
    if not settings.PAGE_CACHE_ENABLED or recovery.is_behind():
        return compute()
    from .middleware import _change_generation, _seconds_until_next_scheduled_change

    cache = page_cache()
    generation = _change_generation(cache)
    now = timezone.now().timestamp()
    with _lock:
        found = _entries.get(name)
    if found is not None:
        value, keys, versions, expires, checked_in = found
        if expires > now:
            if generation is not None and checked_in == generation:
                return value
            current = cache.get_many(keys)
            if [current.get(key) for key in keys] == versions:
                _remember(name, (value, keys, versions, expires, generation))
                return value
    started = time.time_ns()
    value = compute()
    tags = sorted({*map(str, tags_of(value)), SITE_TAG})
    keys = [EPOCH_KEY, *(version_key(tag) for tag in tags)]
    versions = _current_versions(cache, keys, started)
    timeout = settings.PAGE_CACHE_SECONDS
    until_change = _seconds_until_next_scheduled_change()
    if until_change is not None:
        timeout = min(timeout, until_change)
    stale = versions is None or any(version >= started for version in versions[1:])
    if not stale and timeout >= 1:
        _remember(name, (value, keys, versions, now + timeout, generation))
    return value


def _current_versions(cache, keys, started):
    """The current values of `keys` (the epoch first), starting a tag never bumped just
    before the page being rendered began, as the middleware would when storing it; None
    when the cache cannot say."""
    current = cache.get_many(keys)
    if current.get(EPOCH_KEY) is None and establish_epoch(cache) is None:
        return None
    if len(current) < len(keys):
        first = min(started, _page_started.get() or started) - 1
        for key in keys[1:]:
            if key not in current:
                cache.add(key, first, timeout=None)
        current = cache.get_many(keys)
    versions = [current.get(key) for key in keys]
    return None if None in versions else versions


@contextmanager
def page_render(started):
    """Mark the code inside as rendering a page that began at `started` (nanoseconds)."""
    token = _page_started.set(started)
    try:
        yield
    finally:
        _page_started.reset(token)


def rendering_page():
    """True inside `page_render`: the page being made may be stored for every reader."""
    return _page_started.get() is not None


def _remember(name, entry):
    with _lock:
        _entries[name] = entry
        _entries.move_to_end(name)
        while len(_entries) > getattr(settings, "PAGE_CACHE_FRAGMENTS", 1000):
            _entries.popitem(last=False)
