"""Serving and storing whole pages for anonymous readers (see the package docstring).

It is the first middleware: a hit is answered with every header the other middleware gave
the page when it was stored (security headers, CSP, Permissions-Policy), computed once, and
a conditional request for it gets its 304 here. Static and media files pass straight through.

What is never cached: anything but GET/HEAD, the admin, addresses with a query parameter
outside PAGE_CACHE_QUERY_PARAMETERS, requests from logged-in users (a session cookie whose
session has a user), responses that set a cookie or say private/no-store/no-cache, and
responses other than 200. A visitor with an anonymous session may be served a cached page but
their own render is never stored (it could hold their messages). Nothing is served from or
stored in the cache while this process knows of a change the shared cache has not taken
(pagecache.recovery).
"""

import hashlib
import logging
import re
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.signals import setting_changed
from django.db import DatabaseError
from django.dispatch import receiver
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date, parse_http_date_safe
from django.utils.module_loading import import_string

from . import edge, recovery
from .fragments import forget_fragments, page_render
from .store import EPOCH_KEY, VERSION_PREFIX, establish_epoch, page_cache, version_key
from .tags import SITE_TAG, schedule_sources
from .watch import watcher_for

logger = logging.getLogger(__name__)

HIT_HEADER = "X-Page-Cache"
_SESSION_KEY = re.compile(r"[a-z0-9]{8,64}")  # what Django's session engines issue
# Headers a hit does not repeat from the stored response (Content-Length is set anew).
_UNSTORED_HEADERS = frozenset({"set-cookie", "content-length", HIT_HEADER.lower()})


class LocalCopies:
    """A few of the hottest pages kept in each worker's memory, so that a hit costs at most one
    round trip to the shared cache (checking the tag versions) instead of two.

    A copy is never staler than the shared cache: it is checked against the tag versions there
    on every hit, except while the shared cache is watched (Redis, or local memory, which
    only this process changes: see pagecache.watch) and no tag version has changed since the
    copy was last checked; then it costs no round trip.
    """

    def __init__(self, size):
        self.size, self.entries, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        """Return (entry, the change generation it was last checked in) or (None, None)."""
        with self.lock:
            found = self.entries.get(key)
            if found is None:
                return None, None
            self.entries.move_to_end(key)
            return found

    def put(self, key, entry, generation):
        if self.size <= 0:
            return
        with self.lock:
            self.entries[key] = (entry, generation)
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def drop(self, key):
        with self.lock:
            self.entries.pop(key, None)

    def clear(self):
        with self.lock:
            self.entries.clear()


_local_copies = LocalCopies(getattr(settings, "PAGE_CACHE_LOCAL_ENTRIES", 200))


def _now():
    """Seconds since the epoch by Django's clock, which publish dates are compared with."""
    return timezone.now().timestamp()


def forget_local_copies():
    """Empty this process's copies of pages and fragments (tests; the shared cache is cleared
    separately)."""
    _local_copies.clear()
    forget_fragments()


def drop_page(request):
    """Drop the stored page `request` asks for, the shared entry and this process's copy: the
    next request for it misses, as for an expired or evicted page (tests, benchmarks)."""
    key = _cache_key(request)
    page_cache().delete(key)
    _local_copies.drop(key)


_watcher = []  # [the default cache's ChangeWatcher, or None] once looked up


def _change_generation(cache):
    """The generation of tag-version changes in `cache` (ChangeWatcher.generation), or None
    when they cannot be watched."""
    if not _watcher:
        watching = settings.PAGE_CACHE_WATCH_CHANGES
        _watcher.append(watcher_for(cache, VERSION_PREFIX) if watching else None)
    return None if _watcher[0] is None else _watcher[0].generation()


@receiver(setting_changed)
def _forget_admin_prefixes(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _admin_prefixes.clear()
    if setting in ("ALLOWED_HOSTS", "USE_X_FORWARDED_HOST", "USE_X_FORWARDED_PORT", "DEBUG"):
        _valid_hosts.clear()


@receiver(setting_changed)
def _forget_watcher(setting, **kwargs):
    if setting in ("CACHES", "PAGE_CACHE_WATCH_CHANGES") and _watcher:
        if _watcher[0] is not None:
            _watcher[0].close()
        _watcher.clear()


def _seconds_until_next_scheduled_change():
    soonest = None
    for source in schedule_sources():
        when = source()
        if when is not None:
            seconds = when.timestamp() - _now()
            soonest = seconds if soonest is None else min(soonest, seconds)
    return soonest


_valid_hosts = {}  # {the headers naming the host: the host they name, once validated}


def _host(request):
    """request.get_host(), validated against ALLOWED_HOSTS once per distinct Host header
    (a few hundred at most are remembered; others are validated every time)."""
    meta = request.META
    seen = tuple(
        meta.get(name)
        for name in (
            "HTTP_X_FORWARDED_HOST",
            "HTTP_X_FORWARDED_PORT",
            "HTTP_HOST",
            "SERVER_NAME",
            "SERVER_PORT",
        )
    )
    host = _valid_hosts.get(seen)
    if host is None:
        host = request.get_host()  # raises DisallowedHost for a host not allowed
        if len(_valid_hosts) < 256:
            _valid_hosts[seen] = host
    return host


def _cache_key(request):
    allowed = settings.PAGE_CACHE_QUERY_PARAMETERS
    query = "&".join(
        f"{name}={value}"
        for name in sorted(request.GET)
        if name in allowed
        for value in request.GET.getlist(name)
    )
    address = f"{request.scheme}://{_host(request)}{request.path}?{query}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"pagecache:page:{settings.PAGE_CACHE_KEY_VERSION}:{digest}"


_admin_prefixes = {}  # {ROOT_URLCONF: the admin's address prefix, or None}


def _admin_prefix():
    urlconf = settings.ROOT_URLCONF
    if urlconf not in _admin_prefixes:
        try:
            _admin_prefixes[urlconf] = reverse("admin:index")
        except Exception:  # no admin installed
            _admin_prefixes[urlconf] = None
    return _admin_prefixes[urlconf]


def _session_has_user(request):
    """Whether the request's session cookie belongs to a logged-in user (read, not touched).
    A cookie no session engine could have issued belongs to nobody. When the session cannot
    be read (the database is down), the answer is yes: the request goes on to the middleware
    that answers such outages."""
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not session_key or not _SESSION_KEY.fullmatch(session_key):
        return False
    store = import_string(settings.SESSION_ENGINE + ".SessionStore")(session_key)
    try:
        return "_auth_user_id" in store
    except DatabaseError:
        return True


def _file_prefixes():
    """The address prefixes of static and media files, which are never pages."""
    return tuple(
        url for url in (settings.STATIC_URL, settings.MEDIA_URL) if url and url.startswith("/")
    )


def public_cache_control(response, seconds=None):
    """Mark `response` as the same for every anonymous reader, cacheable by browsers and CDNs;
    with `seconds`, by none of them after that many seconds, a stale copy served while
    revalidating included."""
    max_age = settings.PAGE_HTTP_MAX_AGE
    shared = settings.PAGE_HTTP_SHARED_MAX_AGE
    stale = settings.PAGE_HTTP_STALE_WHILE_REVALIDATE
    if seconds is not None:
        max_age, shared = min(max_age, seconds), min(shared, seconds)
        stale = max(0, min(stale, seconds - max(max_age, shared)))
    patch_cache_control(
        response, public=True, max_age=max_age, s_maxage=shared, stale_while_revalidate=stale
    )


def _longest_public_lifetime():
    """How long a browser or an edge may use a page it was given, revalidation included."""
    return (
        max(settings.PAGE_HTTP_MAX_AGE, settings.PAGE_HTTP_SHARED_MAX_AGE)
        + settings.PAGE_HTTP_STALE_WHILE_REVALIDATE
    )


def _without_cookie_vary(response):
    """Drop "Vary: Cookie": Django adds it when the view looked at the (empty) session of an
    anonymous reader, but what an anonymous reader gets does not depend on cookies."""
    if response.has_header("Vary"):
        kept = [
            value.strip()
            for value in response["Vary"].split(",")
            if value.strip() and value.strip().lower() != "cookie"
        ]
        del response["Vary"]
        if kept:
            patch_vary_headers(response, kept)


class PageCacheMiddleware:
    """Serve and store whole pages for anonymous readers (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(_file_prefixes()):
            return self.get_response(request)
        recovery.keeper.ensure_running()
        if not self._may_use_cache(request):
            response = self.get_response(request)
            return self._private(request, response)
        started = time.time_ns()
        key = _cache_key(request)
        cached = self._lookup(key)
        if cached is not None:
            return self._conditional(request, cached)
        with page_render(started):
            response = self.get_response(request)
        if self._may_store(request, response):
            self._store(key, response, request._page_cache_tags, started)
        elif not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response

    # -- decisions ---------------------------------------------------------------------------

    def _may_use_cache(self, request):
        if not settings.PAGE_CACHE_ENABLED or request.method not in ("GET", "HEAD"):
            return False
        if recovery.is_behind():
            return False
        admin = _admin_prefix()
        if admin and request.path.startswith(admin):
            return False
        if any(name not in settings.PAGE_CACHE_QUERY_PARAMETERS for name in request.GET):
            return False
        return not _session_has_user(request)

    def _may_store(self, request, response):
        if response.status_code != 200 or response.streaming:
            return False
        if not getattr(request, "_page_cache_tags", None):
            return False
        understood = getattr(request, "_page_cache_query", {})
        if any(values != [understood.get(name)] for name, values in request.GET.lists()):
            return False
        if response.cookies or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return False
        cache_control = response.get("Cache-Control", "").lower()
        return not any(word in cache_control for word in ("private", "no-store", "no-cache"))

    @staticmethod
    def _conditional(request, response):
        """`response` (a hit), or a 304 when the request's validators say the reader has it."""
        meta = request.META
        if "HTTP_IF_NONE_MATCH" not in meta and "HTTP_IF_MODIFIED_SINCE" not in meta:
            return response
        last_modified = response.get("Last-Modified")
        return get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=parse_http_date_safe(last_modified) if last_modified else None,
            response=response,
        )

    def _private(self, request, response):
        """Per-visitor answers (the admin, logged-in users) must not be kept by any cache."""
        if not response.has_header("Cache-Control") and not response.streaming:
            add_never_cache_headers(response)
        return response

    # -- storage -----------------------------------------------------------------------------

    def _lookup(self, key):
        cache = page_cache()
        now = _now()
        # Read before any check below: a change after it shows in the next generation.
        generation = _change_generation(cache)
        entry, checked_in = _local_copies.get(key)
        unchanged = generation is not None and checked_in == generation
        if entry is not None and not (unchanged and entry["expires"] > now):
            if self._is_current(cache, entry):
                _local_copies.put(key, entry, generation)
            else:
                _local_copies.drop(key)
                entry = None
        if entry is None:
            entry = cache.get(key)
            if entry is None or not self._is_current(cache, entry):
                return None
            _local_copies.put(key, entry, generation)
        response = HttpResponse(entry["content"], status=entry["status"])
        headers = response.headers
        for name, value in entry["hit_headers"]:
            headers[name] = value
        seconds_left = int(entry["expires"] - _now())
        if entry.get("until_change") and seconds_left < _longest_public_lifetime():
            del headers["Cache-Control"]
            public_cache_control(response, seconds=max(0, seconds_left))
        return response

    @staticmethod
    def _is_current(cache, entry):
        """Whether the entry was stored in the current epoch, none of its tags was bumped
        since, and it has not expired."""
        if entry["expires"] <= _now():
            return False
        keys = [EPOCH_KEY, *(version_key(tag) for tag in entry["tags"])]
        current = cache.get_many(keys)
        if current.get(EPOCH_KEY) is None:
            return False
        return [current.get(k) for k in keys] == [entry["epoch"], *entry["versions"]]

    def _store(self, key, response, tags, started):
        cache = page_cache()
        tags = sorted(tags | {SITE_TAG})
        keys = [version_key(tag) for tag in tags]
        generation = _change_generation(cache)
        current = cache.get_many([EPOCH_KEY, *keys])
        epoch = current.get(EPOCH_KEY) or establish_epoch(cache)
        missing = [k for k in keys if k not in current]
        if missing:
            # A tag never bumped (or whose version the cache lost) starts now, never at a
            # value an old page could carry.
            for version_key_ in missing:
                cache.add(version_key_, started - 1, timeout=None)
            current = cache.get_many(keys)
        versions = [current.get(k) for k in keys]
        timeout = settings.PAGE_CACHE_SECONDS
        until_change = _seconds_until_next_scheduled_change()
        # Kept until a scheduled change (a publication, a take-down), no browser or edge may
        # use it past that moment, a stale copy included. Kept until this cache's period
        # ends, it is only made again then: edges may keep it, and serve it stale, longer.
        ends_with_change = until_change is not None and until_change < timeout
        if ends_with_change:
            timeout = int(until_change)
        _without_cookie_vary(response)
        response["Last-Modified"] = http_date(started / 1e9)
        digest = hashlib.md5(response.content, usedforsecurity=False).hexdigest()
        response["ETag"] = f'"{digest}"'
        response[HIT_HEADER] = "miss"
        # A tag bumped after this render began means the page may show old data: serve it
        # to this reader, but let no cache keep it (an edge's purge may already be past).
        if epoch is None or any(v is None or v >= started for v in versions) or timeout < 1:
            add_never_cache_headers(response)
            return
        public_cache_control(response, seconds=timeout if ends_with_change else None)
        for name, value in edge.tag_headers(tags):
            response[name] = value
        entry = {
            "content": response.content,
            "status": response.status_code,
            # Every header a hit sends, computed once (Cache-Control again only near expiry).
            "hit_headers": [
                *(
                    (name, value)
                    for name, value in response.items()
                    if name.lower() not in _UNSTORED_HEADERS
                ),
                # Without it gunicorn would send the page in chunks.
                ("Content-Length", str(len(response.content))),
                (HIT_HEADER, "hit"),
            ],
            "tags": tags,
            "versions": versions,
            "epoch": epoch,
            "expires": _now() + timeout,
            "until_change": ends_with_change,
        }
        cache.set(key, entry, timeout=timeout)
        _local_copies.put(key, entry, generation)
