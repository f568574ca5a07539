"""A page kept in a worker's memory is served without asking Redis, and never once something
it shows has changed, whichever server changed it.

These tests run a Redis server of their own (so that they can stop it), on SQLite and on
PostgreSQL runs alike.
"""

import time

import pytest
from django.core.cache import caches
from django.test import Client

from comparisons.models import Comparison
from pagecache.watch import ChangeWatcher

PREFIX = "site:1:pagecache:tag:"


def watcher(server, retry_seconds=5.0):
    import redis

    return ChangeWatcher(
        lambda: redis.Connection(port=server.port, protocol=2, socket_timeout=2),
        PREFIX,
        retry_seconds=retry_seconds,
    )


def settle():
    """Give Redis a moment to write what it reports (it is on the same machine)."""
    time.sleep(0.05)


def generation_after_change(watch, before, seconds=5):
    """Return the watch's generation once it differs from `before`: Redis reports a change a
    moment after making it, later on a busy machine. Give up after `seconds`."""
    deadline = time.monotonic() + seconds
    while (current := watch.generation()) == before and time.monotonic() < deadline:
        time.sleep(0.01)
    return current


def test_the_generation_holds_while_nothing_watched_changes(redis_server):
    watch = watcher(redis_server)
    first = watch.generation()
    assert first is not None
    redis_server.client().set("site:1:pagecache:page:abc", "a page")  # not a tag version
    redis_server.client().set("other:pagecache:tag:x", 1)  # another site's tag
    settle()
    assert watch.generation() == first
    assert watch.generation() == first


@pytest.mark.parametrize(
    "change",
    [
        lambda r: r.set(PREFIX + "comparisons.comparison:1", 2),
        lambda r: r.mset({PREFIX + "home": 3, PREFIX + "site": 4}),
        lambda r: r.delete(PREFIX + "home"),
        lambda r: r.flushdb(),
    ],
    ids=["set", "set-many", "delete", "flush"],
)
def test_any_change_to_a_tag_version_moves_the_generation(redis_server, change):
    client = redis_server.client()
    client.set(PREFIX + "home", 1)
    watch = watcher(redis_server)
    before = watch.generation()
    change(client)
    after = generation_after_change(watch, before)
    assert after is not None and after != before
    assert watch.generation() == after


def test_an_expired_tag_version_moves_the_generation(redis_server):
    watch = watcher(redis_server)
    client = redis_server.client()
    first = watch.generation()
    client.set(PREFIX + "home", 1, px=1000)
    before = generation_after_change(watch, first)  # the write itself is reported
    assert before != first
    while client.get(PREFIX + "home") is not None:  # Redis expires the key when it is read
        time.sleep(0.05)
    assert generation_after_change(watch, before) != before


def test_with_redis_stopped_the_generation_is_unknown_and_watching_resumes_after_a_restart(
    redis_server,
):
    watch = watcher(redis_server, retry_seconds=0)
    before = watch.generation()
    redis_server.stop()
    settle()
    assert watch.generation() is None
    assert watch.generation() is None  # refused at once, no exception
    redis_server.start()
    resumed = watch.generation()
    # Changes made while nobody watched are unknown: the generation must not come back.
    assert resumed is not None and resumed != before


def test_while_redis_is_down_reconnecting_is_tried_only_now_and_then(redis_server):
    watch = watcher(redis_server, retry_seconds=60)
    watch.generation()
    redis_server.stop()
    settle()
    assert watch.generation() is None
    redis_server.start()
    assert watch.generation() is None  # still waiting out the retry delay


@pytest.mark.django_db
def test_a_hot_page_is_served_from_memory_without_asking_redis(
    bpo_kpo, redis_page_cache, django_assert_num_queries
):
    client, path = Client(), bpo_kpo.get_absolute_url()
    assert client.get(path)["X-Page-Cache"] == "miss"
    assert client.get(path)["X-Page-Cache"] == "hit"
    before = redis_page_cache.commands_from_others()
    with django_assert_num_queries(0):
        for _ in range(5):
            response = client.get(path)
            assert response["X-Page-Cache"] == "hit"
            assert "Stands for" in response.content.decode()
    assert redis_page_cache.commands_from_others() == before


@pytest.mark.django_db
def test_a_change_made_through_another_server_is_seen_on_the_next_request(
    bpo_kpo, redis_page_cache
):
    client, path = Client(), bpo_kpo.get_absolute_url()
    client.get(path)
    assert client.get(path)["X-Page-Cache"] == "hit"
    # Another server saves the comparison: the row changes in the database, and that
    # server bumps the comparison's tag version in the shared Redis.
    Comparison._base_manager.filter(pk=bpo_kpo.pk).update(key_difference="Edited elsewhere.")
    assert "Edited elsewhere." not in client.get(path).content.decode()
    key = caches["default"].make_key(f"pagecache:tag:comparisons.comparison:{bpo_kpo.pk}")
    redis_page_cache.client().set(key, time.time_ns())
    response = client.get(path)
    assert response["X-Page-Cache"] == "miss"
    assert "Edited elsewhere." in response.content.decode()


@pytest.mark.django_db
def test_with_redis_stopped_a_page_kept_in_memory_is_no_longer_trusted(
    bpo_kpo, redis_page_cache, caplog
):
    client, path = Client(), bpo_kpo.get_absolute_url()
    client.get(path)
    assert client.get(path)["X-Page-Cache"] == "hit"
    Comparison._base_manager.filter(pk=bpo_kpo.pk).update(key_difference="Edited in the outage.")
    redis_page_cache.stop()
    settle()
    response = client.get(path)
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "miss"
    assert "Edited in the outage." in response.content.decode()
