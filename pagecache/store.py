"""Where the page cache keeps its state: in the default cache, under "pagecache:" keys.

- "pagecache:page:<version>:<digest>": a stored page with the tag versions it was rendered at.
- "pagecache:tag:<tag>": the current version of a tag (a time in nanoseconds, never expiring).
- "pagecache:tag:@epoch": the epoch. Every stored page carries the epoch it was stored in and
  is served only in that epoch. The epoch moves when the shared cache may have lost tag
  versions (flushed, evicted, or restarted from an old snapshot), so pages whose tag versions
  came back from the past are never served (see pagecache.recovery).

`write_strictly` and `read_strictly` raise CacheRefused where the default cache alias would
swallow the error and answer "miss": the page cache must know when a bump was refused.
"""

import itertools
import time
import uuid

from django.core.cache import caches

VERSION_PREFIX = "pagecache:tag:"
EPOCH_KEY = VERSION_PREFIX + "@epoch"  # under the watched prefix: moving it is a change


_writes = itertools.count(1)
_last_write = [0]


def note_write():
    """Count a write of tag versions or the epoch by this process (see local_writes)."""
    _last_write[0] = next(_writes)


def local_writes():
    """A number that moves whenever this process writes a tag version or the epoch: for a
    cache only this process can see (local memory), whether anything changed since."""
    return _last_write[0]


class CacheRefused(Exception):
    """The shared cache did not take a write, or could not be read."""


def page_cache():
    return caches["default"]


def version_key(tag):
    return f"{VERSION_PREFIX}{tag}"


def _redis_client(cache):
    """The raising django-redis client behind `cache`, or None for other cache backends."""
    try:
        from django_redis.cache import RedisCache
    except ImportError:  # pragma: no cover - django-redis is a dependency
        return None
    return cache.client if isinstance(cache, RedisCache) else None


def write_strictly(cache, values):
    """Set `values` ({key: value}, never expiring) in `cache`, or raise CacheRefused."""
    note_write()
    client = _redis_client(cache)
    try:
        if client is not None:
            client.set_many(values, timeout=None)
            return
        failed = cache.set_many(values, timeout=None)
    except Exception as error:
        raise CacheRefused(str(error)) from error
    if failed:
        raise CacheRefused(f"keys not stored: {', '.join(failed)}")


def delete_strictly(cache, keys):
    """Delete `keys` from `cache`, or raise CacheRefused."""
    if not keys:
        return
    note_write()
    client = _redis_client(cache)
    try:
        if client is not None:
            client.delete_many(keys)
        else:
            cache.delete_many(keys)
    except Exception as error:
        raise CacheRefused(str(error)) from error


def read_strictly(cache, key):
    """The value of `key` in `cache` (None when absent), or raise CacheRefused."""
    client = _redis_client(cache)
    try:
        return client.get(key) if client is not None else cache.get(key)
    except Exception as error:
        raise CacheRefused(str(error)) from error


def bump_strictly(cache, tags):
    """Give each of `tags` a new version, or raise CacheRefused."""
    now = time.time_ns()
    write_strictly(cache, {version_key(tag): now for tag in tags})


def bump_if_possible(cache, tags):
    """Give each of `tags` a new version if the cache takes it now (errors are logged by the
    cache alias, not raised)."""
    now = time.time_ns()
    note_write()
    cache.set_many({version_key(tag): now for tag in tags}, timeout=None)


def redis_server(cache):
    """The raw redis-py client of `cache` when it is Redis, else None."""
    client = _redis_client(cache)
    return None if client is None else client.get_client(write=True)


def server_run(cache):
    """The run id of the Redis server behind `cache` (new at every start of Redis), or None
    when `cache` is not Redis. Raises CacheRefused when Redis cannot be asked."""
    server = redis_server(cache)
    if server is None:
        return None
    try:
        return server.info("server")["run_id"]
    except Exception as error:
        raise CacheRefused(str(error)) from error


def new_epoch(run):
    """A fresh epoch, remembering which run of the Redis server it was started in."""
    return {"token": uuid.uuid4().hex, "run": run}


def establish_epoch(cache):
    """The current epoch, starting one if there is none (a new or flushed cache); None when
    the cache cannot say."""
    epoch = cache.get(EPOCH_KEY)
    if epoch is None:
        try:
            run = server_run(cache)
        except CacheRefused:
            return None
        note_write()
        cache.add(EPOCH_KEY, new_epoch(run), timeout=None)
        epoch = cache.get(EPOCH_KEY)
    return epoch
