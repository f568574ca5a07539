"""A change committed to the database is never hidden by the page cache once Redis takes
writes again, whatever Redis did meanwhile: refused writes, lost them in a restart from an old
snapshot, was flushed, or was unreachable during the change.

Each test runs a Redis server of its own (so that it can break it), on SQLite and PostgreSQL
runs alike; the thread that checks every few seconds in production is run here by hand
(`recovery.check()`), and for real in the two-server test at the end.
"""

import logging
import time

import pytest
from django.test import Client

from comparisons.models import Comparison
from pagecache import recovery
from pagecache.middleware import forget_local_copies
from pagecache.models import PendingBump
from tests.site.servers import RedisServer

pytestmark = pytest.mark.django_db
LINK = 'href="/difference-between-bpo-and-kpo/"'


@pytest.fixture
def warm(bpo_kpo, redis_page_cache):
    """The comparison's page and the home page, each served from the page cache."""
    assert recovery.check() is True  # the changes that made the site (never committed here)
    client, path = Client(), bpo_kpo.get_absolute_url()
    for _ in range(2):
        page, home = client.get(path), client.get("/")
    assert page["X-Page-Cache"] == home["X-Page-Cache"] == "hit"
    assert LINK in home.content.decode()
    return client, path


def unpublish(admin_client, comparison, capture):
    """Take the comparison down in the admin, as an editor does; the change commits."""
    with capture(execute=True):
        response = admin_client.post(
            "/admin/comparisons/comparison/",
            {"action": "unpublish", "_selected_action": [comparison.pk]},
        )
    assert response.status_code == 302
    assert Comparison.objects.get(pk=comparison.pk).status == Comparison.Status.UNPUBLISHED


def assert_taken_down(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert LINK not in client.get("/").content.decode()


def as_another_server():
    """Forget what this process knows (its copies of pages, what it saw refused), as a
    server that took no part in the change."""
    forget_local_copies()
    recovery.forget_state()


def test_a_change_redis_refused_is_replayed_once_redis_takes_writes_again(
    warm, bpo_kpo, admin_client, redis_page_cache, django_capture_on_commit_callbacks
):
    client, path = warm
    redis = redis_page_cache.client()
    redis.config_set("maxmemory", 1)  # with the default noeviction policy: every write refused
    unpublish(admin_client, bpo_kpo, django_capture_on_commit_callbacks)
    assert PendingBump.objects.exists()
    # The server that saw the refusal serves nothing from the page cache meanwhile.
    assert recovery.is_behind()
    assert client.get(path).status_code == 404
    # Another server finds the recorded change at its next check; it cannot replay it yet.
    as_another_server()
    assert recovery.check() is False
    assert client.get(path).status_code == 404

    redis.config_set("maxmemory", 0)
    as_another_server()
    assert recovery.check() is True
    assert not PendingBump.objects.exists()
    assert_taken_down(client, path)
    # Caught up: pages are cached again.
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"


def test_while_redis_refuses_a_change_the_edge_is_purged_once_every_server_is_behind(
    warm, bpo_kpo, admin_client, redis_page_cache, django_capture_on_commit_callbacks,
    settings, monkeypatch,
):
    from datetime import timedelta

    from django.utils import timezone

    from pagecache import edge

    settings.EDGE_PURGE_URLS = ["http://edge.invalid/"]
    purged = []
    monkeypatch.setattr(edge, "purge", lambda target, tags: purged.append((target, set(tags))))
    client, path = warm
    redis = redis_page_cache.client()
    redis.config_set("maxmemory", 1)  # every write refused
    try:
        unpublish(admin_client, bpo_kpo, django_capture_on_commit_callbacks)
        as_another_server()
        assert recovery.check() is False  # behind: serves no cached page from now on
        assert purged == []  # too soon: another server may not have checked yet
        assert "private" in client.get("/")["Cache-Control"]  # what the edge would fetch

        old = timezone.now() - timedelta(seconds=2 * settings.PAGE_CACHE_RECOVERY_SECONDS + 2)
        PendingBump.objects.update(recorded_at=old)  # every server has checked twice since
        assert recovery.check() is False
        assert [target for target, _ in purged] == ["http://edge.invalid/"]
        assert f"comparisons.comparison:{bpo_kpo.pk}" in purged[0][1]
        assert not PendingBump.objects.exclude(edge="").exists()
        assert PendingBump.objects.filter(edge="").exists()  # Redis still owes the bump
    finally:
        redis.config_set("maxmemory", 0)
    assert recovery.check() is True
    assert not PendingBump.objects.exists()
    assert_taken_down(client, path)


def test_a_restart_from_an_old_snapshot_cannot_bring_a_taken_down_page_back(
    warm, bpo_kpo, admin_client, redis_page_cache, django_capture_on_commit_callbacks
):
    client, path = warm
    redis_page_cache.client().save()  # the snapshot holds the page and its tag versions
    unpublish(admin_client, bpo_kpo, django_capture_on_commit_callbacks)
    assert not PendingBump.objects.exists()  # Redis took the change...
    assert_taken_down(client, path)
    redis_page_cache.stop()
    redis_page_cache.start()  # ...then lost it, restarting from the snapshot
    assert redis_page_cache.client().dbsize() > 0
    as_another_server()
    assert recovery.check() is True
    assert_taken_down(client, path)


def test_a_flush_after_the_change_cannot_bring_a_page_kept_in_memory_back(
    warm, bpo_kpo, admin_client, redis_page_cache, django_capture_on_commit_callbacks
):
    client, path = warm
    unpublish(admin_client, bpo_kpo, django_capture_on_commit_callbacks)
    redis_page_cache.client().flushall()  # the bumped tag versions are gone
    assert_taken_down(client, path)
    assert recovery.check() is True
    assert_taken_down(client, path)


def test_a_change_made_while_redis_was_unreachable_is_replayed_when_it_is_back(
    warm, bpo_kpo, admin_client, redis_page_cache, django_capture_on_commit_callbacks
):
    client, path = warm
    redis_page_cache.client().save()
    redis_page_cache.stop()
    unpublish(admin_client, bpo_kpo, django_capture_on_commit_callbacks)
    assert PendingBump.objects.exists() and recovery.is_behind()
    assert_taken_down(client, path)  # from the database: Redis is down
    assert recovery.check() is False
    redis_page_cache.start()  # back with the page and its old tag versions
    as_another_server()
    assert recovery.check() is True
    assert not PendingBump.objects.exists()
    assert_taken_down(client, path)


def test_tag_versions_that_vanish_never_match_an_old_page_again(warm, bpo_kpo, redis_page_cache):
    """A version key evicted and created again starts at a new value (not a fixed one an old
    page could carry)."""
    client, path = warm
    redis = redis_page_cache.client()
    Comparison._base_manager.filter(pk=bpo_kpo.pk).update(key_difference="Edited elsewhere.")
    redis.delete(*redis.keys("site:1:pagecache:tag:comparisons.comparison:*"))
    response = client.get(path)
    assert response["X-Page-Cache"] == "miss"
    assert "Edited elsewhere." in response.content.decode()


def test_a_risky_redis_configuration_is_reported_once(settings, tmp_path, caplog):
    from tests.pagecache.conftest import redis_caches

    server = RedisServer(
        directory=tmp_path,
        options=["--appendonly", "yes", "--save", "3600 1", "--maxmemory-policy", "allkeys-lru"],
    )
    server.start()
    try:
        settings.CACHES = redis_caches(server.url)
        with caplog.at_level(logging.WARNING, logger="pagecache.recovery"):
            assert recovery.check() is True
            assert recovery.check() is True
    finally:
        server.stop()
    warnings = [r.getMessage() for r in caplog.records]
    assert warnings == [
        "Redis for the page cache: RDB snapshots are on (save '3600 1'); a restart from a "
        "snapshot drops every cached page (see docs/caching.md).",
        "Redis for the page cache: the append-only file is on; a restart drops every cached "
        "page (see docs/caching.md).",
        "Redis for the page cache: maxmemory-policy allkeys-lru evicts tag versions; use "
        "volatile-lru (pages expire, tag versions never do) (see docs/caching.md).",
    ]


def test_redis_as_docs_caching_asks_gets_no_warning(redis_page_cache, caplog):
    redis_page_cache.client().config_set("maxmemory-policy", "volatile-lru")
    with caplog.at_level(logging.WARNING, logger="pagecache.recovery"):
        assert recovery.check() is True
    assert caplog.records == []


def test_an_idle_check_costs_one_query_and_no_write(redis_page_cache, django_assert_num_queries):
    assert recovery.check() is True
    before = redis_page_cache.commands_from_others()
    with django_assert_num_queries(1):
        assert recovery.check() is True
    assert redis_page_cache.commands_from_others() - before == 2  # INFO server, GET epoch


def test_a_redis_that_hangs_costs_one_wait_not_one_per_call(redis_page_cache, settings):
    """After one timeout the server is not asked again for REDIS_PAUSE_SECONDS: a page asks
    the cache a dozen times, and each would otherwise wait the whole timeout."""
    from django.core.cache import caches
    from redis import exceptions as redis_errors

    from config.redis_connection import forget_pauses

    strict = caches["ratelimit"]  # raises where the page cache would miss quietly
    strict.set("seen", 1)
    pause_seconds = settings.REDIS_TIMEOUT_SECONDS + 2
    redis_page_cache.client().execute_command("CLIENT", "PAUSE", int(pause_seconds * 1000), "ALL")
    paused_at = time.monotonic()
    with pytest.raises(redis_errors.TimeoutError):
        strict.get("seen")  # waits the timeout once
    for _ in range(10):
        with pytest.raises(redis_errors.ConnectionError, match="not asked again yet"):
            strict.get("seen")
        assert caches["default"].get("seen") is None  # a miss for the page cache
    time.sleep(max(0, pause_seconds + 0.5 - (time.monotonic() - paused_at)))
    forget_pauses()  # as REDIS_PAUSE_SECONDS later
    assert strict.get("seen") == 1


@pytest.mark.django_db(transaction=True)  # as the command runs: each change commits at once
def test_invalidate_pages_says_when_the_cache_refused_the_change(redis_page_cache):
    from django.core.management import CommandError, call_command

    redis_page_cache.client().config_set("maxmemory", 1)
    try:
        with pytest.raises(CommandError, match="refused the change for now: it is recorded"):
            call_command("invalidate_pages")
        assert PendingBump.objects.filter(tag="site").exists()
    finally:
        redis_page_cache.client().config_set("maxmemory", 0)
    assert recovery.check() is True
    assert not PendingBump.objects.exists()


def test_a_purge_recorded_for_an_edge_this_server_does_not_know_is_not_sent(
    redis_page_cache, settings, monkeypatch
):
    from pagecache import edge

    settings.EDGE_PURGE_URLS = []
    sent = []
    monkeypatch.setattr(edge, "purge", lambda target, tags: sent.append(target))
    PendingBump.objects.create(tag="site", edge="http://removed-edge.invalid/")
    assert recovery.check() is True
    assert sent == []
    assert PendingBump.objects.filter(edge="http://removed-edge.invalid/").exists()


@pytest.mark.django_db(transaction=True)  # each change commits, as on a live site
def test_while_behind_most_searched_is_computed_from_the_database_not_read(
    warm, bpo_kpo, admin_client, redis_page_cache, django_capture_on_commit_callbacks
):
    from comparisons.interest import most_searched_blocks

    def listed():
        return [item["label"] for block in most_searched_blocks() for item in block["items"]]

    with django_capture_on_commit_callbacks(execute=True):
        assert "BPO vs KPO" in listed()  # and shared in Redis once committed
    redis = redis_page_cache.client()
    # Every write refused, deletes too: the refreshed blocks cannot replace the stored ones.
    redis.config_set("min-replicas-to-write", 1)
    try:
        unpublish(admin_client, bpo_kpo, django_capture_on_commit_callbacks)
        as_another_server()
        assert recovery.check() is False
        assert "BPO vs KPO" not in listed()
        assert LINK not in Client().get("/").content.decode()
    finally:
        redis.config_set("min-replicas-to-write", 0)
