"""Telling, without a round trip to Redis, that no key under a prefix has changed.

Every hit on a worker's own copy of a page must still be current. Comparing the page's tag
versions with the shared cache costs a round trip on every hit. With Redis, each worker
instead keeps one extra connection on which Redis itself reports every change to a tag
version: server-assisted client-side caching in broadcast mode (`CLIENT TRACKING ON BCAST
PREFIX ...`), redirected to the connection's own subscription to `__redis__:invalidate`.

Redis queues that report while it changes, expires, evicts or flushes a key, before it answers
the client that made the change. So by the time anyone can ask for a page showing the change,
the report is waiting on the watching socket, and reading what is waiting (a poll, not a round
trip) tells whether anything changed since the last look.
"""

import logging
import os
import threading
import time
import weakref

from django.core.cache.backends.locmem import LocMemCache
from redis.exceptions import RedisError

from .store import local_writes

logger = logging.getLogger(__name__)

INVALIDATION_CHANNEL = "__redis__:invalidate"
_watchers = weakref.WeakSet()


class ChangeWatcher:
    """Watch the keys starting with `prefix` on the Redis server `connect()` connects to.

    `connect()` returns an unconnected redis-py Connection speaking RESP2.
    """

    def __init__(self, connect, prefix, retry_seconds=5.0):
        self._connect = connect
        self._prefix = prefix
        self._retry_seconds = retry_seconds
        self._lock = threading.Lock()
        self._connection = None
        self._retry_at = 0.0
        self._generation = 0
        self._complained = False  # about the current outage (said once, not every retry)
        _watchers.add(self)

    def generation(self):
        """A number that changes whenever a watched key may have changed since it was last
        returned, or None while changes cannot be watched (Redis unreachable).

        A value checked against Redis after generation() returned G is still current as long
        as generation() keeps returning G.
        """
        with self._lock:
            if self._connection is None and not self._start():
                return None
            try:
                while self._connection.can_read(timeout=0):
                    self._connection.read_response()
                    self._generation += 1
            except (RedisError, OSError) as error:
                self._complain("Lost the watch on cached tag versions: %s", error)
                self._stop()
                return None
            return self._generation

    def close(self):
        with self._lock:
            self._stop()

    def _start(self):
        if time.monotonic() < self._retry_at:
            return False
        connection = self._connect()
        try:
            connection.connect()
            connection.send_command("CLIENT", "ID")
            client_id = connection.read_response()
            connection.send_command(
                "CLIENT", "TRACKING", "ON", "REDIRECT", client_id, "BCAST", "PREFIX", self._prefix
            )
            connection.read_response()
            connection.send_command("SUBSCRIBE", INVALIDATION_CHANNEL)
            connection.read_response()
        except (RedisError, OSError) as error:
            self._complain(
                "Cannot watch cached tag versions (checking them on every hit): %s", error
            )
            connection.disconnect()
            self._retry_at = time.monotonic() + self._retry_seconds
            return False
        self._connection = connection
        if self._complained:
            logger.warning("Watching cached tag versions again.")
            self._complained = False
        # Whatever changed while nobody watched is unknown: everything checked before is suspect.
        self._generation += 1
        return True

    def _complain(self, message, error):
        if not self._complained:
            logger.warning(message, error)
            self._complained = True

    def _stop(self):
        if self._connection is not None:
            self._connection.disconnect()
        self._connection = None
        self._generation += 1
        self._retry_at = time.monotonic() + self._retry_seconds

    def _forget_inherited_connection(self):
        # The socket belongs to the parent process; closing it here would not end its
        # subscription, and reading it would steal the parent's messages.
        self._lock = threading.Lock()
        self._connection = None
        self._retry_at = 0.0
        self._generation += 1


def _after_fork_in_child():
    for watcher in list(_watchers):
        watcher._forget_inherited_connection()


os.register_at_fork(after_in_child=_after_fork_in_child)


class ProcessWrites:
    """The watcher of a cache only this process can change (local memory): every change to a
    tag version or the epoch is made by this process, through pagecache.store, which counts
    them."""

    def generation(self):
        return local_writes()

    def close(self):
        pass


def watcher_for(cache, prefix_key):
    """A watcher over the keys of `cache` starting with `prefix_key`: a ChangeWatcher for
    django-redis, ProcessWrites for local memory, None for any other cache (there is then no
    way to watch it)."""
    if isinstance(cache, LocMemCache):
        return ProcessWrites()
    try:
        from django_redis.cache import RedisCache
        from django_redis.client import DefaultClient
    except ImportError:  # pragma: no cover - django-redis is a dependency
        return None
    if not isinstance(cache, RedisCache) or type(cache.client) is not DefaultClient:
        return None
    pool = cache.client.get_client(write=True).connection_pool
    # The same server, address and credentials; a plain RESP2 connection of its own (no
    # pool-wide features such as maintenance notifications, which need RESP3).
    kwargs = {
        name: value
        for name, value in pool.connection_kwargs.items()
        if not name.startswith(("maint_notifications", "himport", "orig_"))
    }
    kwargs["protocol"] = 2
    prefix = str(cache.client.make_key(prefix_key))
    return ChangeWatcher(lambda: pool.connection_class(**kwargs), prefix)
