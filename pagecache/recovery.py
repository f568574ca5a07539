"""No bump of a tag version is ever lost, whatever the shared cache (Redis) does.

- Every bump is recorded in the database (PendingBump) in the same transaction as the change
  that needs it, and written to the shared cache once that transaction commits; the record is
  deleted when the cache has taken it.
- A bump the cache refused (out of memory, read-only, unreachable) stays recorded, and the
  process that saw the refusal knows it is behind: it serves nothing from the page cache.
- Every app server process checks every PAGE_CACHE_RECOVERY_SECONDS, in a thread of its own:
  it replays the recorded bumps (any process may replay any change's bumps), and it moves the
  epoch (pagecache.store) when Redis was restarted (a new run id: an old snapshot may have
  brought old tag versions back) or lost the epoch (flushed, evicted). While it cannot do
  either, it is behind too. So a change is never hidden by the page cache longer than one
  check after Redis accepts writes again, on every server, with nobody running anything.
- Edge caches (pagecache.edge) get the same treatment: each bump is also recorded once per
  edge in EDGE_PURGE_URLS and purged there after the shared cache took it, or, while the
  shared cache refuses it, once every app server has had two checks to find it and stop
  serving cached pages; a purge that fails stays recorded and is retried at every check. An edge that cannot be reached does not stop
  the app servers from serving cached pages. When the epoch moves, every edge is purged of
  everything (it may have fetched resurrected pages).
- It also warns, once per Redis run, when Redis is configured in a way that loses or
  resurrects tag versions (persistence on, an eviction policy that evicts keys without a
  timeout): docs/caching.md says how Redis must be set up.
"""

import logging
import os
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from . import edge, tags
from .models import PendingBump
from .store import (
    EPOCH_KEY,
    CacheRefused,
    bump_strictly,
    delete_strictly,
    new_epoch,
    page_cache,
    read_strictly,
    redis_server,
    server_run,
    write_strictly,
)

logger = logging.getLogger(__name__)

REPLAY_BATCH = 500
RISKY_EVICTION_POLICIES = ("allkeys-lru", "allkeys-lfu", "allkeys-random")
# behind: a bump the shared cache refused is pending; failing_edges: edges whose last purge
# failed (changes leave their purges to the next check instead of waiting on them).
_state = {"behind": False, "warned_run": None, "failing_edges": set()}


def is_behind():
    """Whether this process knows of a bump the shared cache has not taken yet."""
    return _state["behind"]


def forget_state():
    """Start again as if this process had seen no refusal and no Redis yet (tests)."""
    _state.update(behind=False, warned_run=None, failing_edges=set())


def record(tags):
    """Record bumps of `tags` (in the shared cache and at each edge) with the current
    transaction; return {edge ("" for the shared cache): their ids}, or None when the
    database does not tell ids."""
    targets = ["", *edge.edges()]
    rows = PendingBump.objects.bulk_create(
        [PendingBump(tag=tag, edge=target) for target in targets for tag in sorted(tags)]
    )
    if any(row.pk is None for row in rows):  # a backend that does not return ids
        return None
    pks = {target: [] for target in targets}
    for row in rows:
        pks[row.edge].append(row.pk)
    return pks


def deliver(tags, pks):
    """Write the recorded bumps `pks` of `tags` to the shared cache, then purge them at each
    edge, forgetting each record once done. What is refused stays recorded for the next
    replay; a refusal of the shared cache also stops this process serving cached pages."""
    try:
        bump_strictly(page_cache(), tags)
    except CacheRefused as error:
        _fall_behind("The page cache did not take a change (%s)", error)
        return
    if pks is None:
        return
    PendingBump.objects.filter(pk__in=pks.pop("", [])).delete()
    for target, target_pks in pks.items():
        if target in _state["failing_edges"]:
            continue  # left to the next check: a change must not wait on a dead edge each time
        try:
            edge.purge(target, tags)
        except edge.PurgeFailed as error:
            logger.warning("Edge purge failed, to be retried: %s", error)
            _state["failing_edges"].add(target)
            continue
        PendingBump.objects.filter(pk__in=target_pks).delete()


def replay():
    """Write every recorded bump to the shared cache; raise CacheRefused if it refuses.
    Return whether there was any."""
    cache, replayed = page_cache(), False
    while True:
        recorded = PendingBump.objects.filter(edge="").values_list("pk", "tag")
        pending = list(recorded[:REPLAY_BATCH])
        if not pending:
            return replayed
        bump_strictly(cache, {tag for _, tag in pending})
        PendingBump.objects.filter(pk__in=[pk for pk, _ in pending]).delete()
        replayed = True


def replay_purges(recorded_before=None):
    """Send every recorded purge (`recorded_before` a moment: only those recorded before it)
    to its edge; what fails stays recorded for the next check."""
    failed = set()
    # Only to the edges this server is configured for: a purge recorded for an edge it does
    # not know (another server's, or one since removed) is not its to send.
    recorded = PendingBump.objects.exclude(edge="").filter(edge__in=edge.edges())
    if recorded_before is not None:
        recorded = recorded.filter(recorded_at__lt=recorded_before)
    while True:
        pending = list(
            recorded.exclude(edge__in=failed).values_list("pk", "edge", "tag")[:REPLAY_BATCH]
        )
        if not pending:
            _state["failing_edges"] = failed
            return
        by_edge = {}
        for pk, target, tag in pending:
            by_edge.setdefault(target, []).append((pk, tag))
        for target, rows in by_edge.items():
            try:
                edge.purge(target, {tag for _, tag in rows})
            except edge.PurgeFailed as error:
                logger.warning("Edge purge failed, to be retried: %s", error)
                failed.add(target)
                continue
            PendingBump.objects.filter(pk__in=[pk for pk, _ in rows]).delete()


def check_epoch():
    """Move the epoch if the shared cache lost it or was restarted since it began; raise
    CacheRefused if the cache cannot be read or written. Return whether it moved."""
    cache = page_cache()
    run = server_run(cache)
    warn_about_risky_configuration(run)
    epoch = read_strictly(cache, EPOCH_KEY)
    if epoch is None or (run is not None and epoch.get("run") != run):
        write_strictly(cache, {EPOCH_KEY: new_epoch(run)})
        PendingBump.objects.bulk_create(
            [PendingBump(tag=tags.SITE_TAG, edge=target) for target in edge.edges()]
        )
        if epoch is not None:
            logger.warning(
                "Redis restarted since the cached pages were stored (maybe from an old "
                "snapshot): no page stored before is served any more."
            )
        return True
    return False


def check():
    """Catch up with the shared cache and the edges: replay recorded bumps, check the epoch,
    retry recorded purges. Return whether this process is caught up with the shared cache (it
    serves cached pages only then)."""
    anything_recorded = PendingBump.objects.exists()
    try:
        replayed = anything_recorded and replay()
        moved = check_epoch()
        if replayed or moved:
            delete_strictly(page_cache(), tags.derived_keys())
    except CacheRefused as error:
        _fall_behind("The page cache cannot catch up yet (%s)", error)
        purge_while_refused()
        return False
    if anything_recorded or moved:
        replay_purges()
    if _state["behind"]:
        logger.warning("The page cache caught up with every change: serving cached pages again.")
    _state["behind"] = False
    return True


def purge_while_refused():
    """Purge the edges of the changes the shared cache still refuses, once every app server
    has had time to find them and stop serving cached pages (two checks): the edge then gets
    each page afresh, marked not to keep, so a taken-down page does not stay public there for
    as long as Redis refuses. The shared cache's records stay, for when it takes writes."""
    if not edge.edges():
        return
    settled = timezone.now() - timedelta(seconds=2 * settings.PAGE_CACHE_RECOVERY_SECONDS + 1)
    replay_purges(recorded_before=settled)


def _fall_behind(message, error):
    if not _state["behind"]:
        logger.warning(message + ": serving no cached page until it takes it.", error)
    _state["behind"] = True


def warn_about_risky_configuration(run):
    """Log, once per Redis run, what in Redis's configuration can lose or resurrect changes."""
    if run is None or _state["warned_run"] == run:
        return
    _state["warned_run"] = run
    for problem in risky_configuration(redis_server(page_cache())):
        logger.warning("Redis for the page cache: %s (see docs/caching.md).", problem)


def risky_configuration(server):
    """What in the configuration of Redis `server` puts cached pages at risk (a list of
    sentences; empty when the configuration is as docs/caching.md asks, or unreadable)."""
    try:
        config = server.config_get("*")
    except Exception:  # CONFIG may be disabled or renamed by the operator
        return []
    problems = []
    if config.get("save"):
        problems.append(
            f"RDB snapshots are on (save {config['save']!r}); a restart from a snapshot "
            "drops every cached page"
        )
    if config.get("appendonly") == "yes":
        problems.append("the append-only file is on; a restart drops every cached page")
    if config.get("maxmemory-policy") in RISKY_EVICTION_POLICIES:
        problems.append(
            f"maxmemory-policy {config['maxmemory-policy']} evicts tag versions; use "
            "volatile-lru (pages expire, tag versions never do)"
        )
    elif config.get("maxmemory-policy") == "noeviction" and config.get("maxmemory") not in (
        None,
        "0",
    ):
        problems.append(
            "maxmemory-policy noeviction refuses every write once memory is full; cached "
            "pages are then not used until memory is freed; use volatile-lru"
        )
    return problems


class Keeper:
    """The thread checking, in each process, that the page cache has caught up (see `check`)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.pid = None

    def ensure_running(self):
        """Start the thread in this process unless it runs or checks are switched off."""
        if self.pid == os.getpid() or settings.PAGE_CACHE_RECOVERY_SECONDS <= 0:
            return
        with self.lock:
            if self.pid == os.getpid():
                return
            self.pid = os.getpid()
            threading.Thread(target=self._run, name="page-cache-keeper", daemon=True).start()

    def _run(self):
        while True:
            try:
                check()
            except Exception as error:  # the database may be down: try at the next check
                # Not "behind": with the database down, cached pages are what readers get.
                logger.warning("Checking the page cache failed: %s", error)
            finally:
                connection.close()
            time.sleep(max(settings.PAGE_CACHE_RECOVERY_SECONDS, 0.1))


keeper = Keeper()
