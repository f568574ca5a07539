"""Faults survived: Redis unreachable, database unreachable."""

import logging
import time
from unittest import mock

import pytest
import redis
from django.core.cache import caches
from django.db import connection
from django.db.utils import OperationalError
from django.test import Client

from tests.site.servers import app_server, free_port, get, production_env

pytestmark = pytest.mark.django_db


def redis_cache(url, ignore_exceptions):
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "OPTIONS": {
            "SOCKET_CONNECT_TIMEOUT": 0.25,
            "SOCKET_TIMEOUT": 0.25,
            "IGNORE_EXCEPTIONS": ignore_exceptions,
        },
    }


@pytest.fixture
def redis_down(settings):
    """Point both caches at a port where nothing listens, as when Redis is stopped."""
    url = f"redis://127.0.0.1:{free_port()}/0"
    settings.CACHES = {"default": redis_cache(url, True), "ratelimit": redis_cache(url, False)}
    yield
    # settings fixture restores CACHES; Django's setting_changed resets the cache handlers


def test_with_redis_down_pages_are_served_from_the_database(client, bpo_kpo, redis_down, caplog):
    caplog.set_level(logging.ERROR, logger="django_redis")
    started = time.monotonic()
    for _ in range(2):
        for path in ("/", bpo_kpo.get_absolute_url(), "/category/business/", "/search/?q=bpo"):
            response = client.get(path)
            assert response.status_code == 200, path
            # Search results are never cached whole; the other pages miss every time.
            assert response.get("X-Page-Cache") == (None if "search" in path else "miss")
    assert "Stands for" in client.get(bpo_kpo.get_absolute_url()).content.decode()
    assert time.monotonic() - started < 10
    assert any("Connection refused" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)


def test_with_redis_down_staff_can_still_log_in_and_edit(client, bpo_kpo, admin_user, redis_down):
    assert client.login(username="admin", password="password")
    response = client.get(f"/admin/comparisons/comparison/{bpo_kpo.pk}/change/")
    assert response.status_code == 200


def test_with_redis_down_the_rate_limit_cache_raises_instead_of_pretending(redis_down):
    with pytest.raises(redis.exceptions.ConnectionError):
        caches["ratelimit"].get_or_set("posts:1.2.3.4", 0)
    assert caches["default"].get("anything") is None  # the page cache just misses


def database_down():
    return mock.patch.object(
        connection,
        "ensure_connection",
        side_effect=OperationalError('connection to server at "127.0.0.1", port 5432 failed'),
    )


def assert_friendly_503(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "<h1>Back in a moment</h1>" in html
    assert "Please try again in 30 seconds." in html
    assert "Traceback" not in html and "OperationalError" not in html


def test_with_the_database_down_readers_get_a_friendly_503(bpo_kpo, caplog):
    client = Client(raise_request_exception=False)
    with database_down():
        for path in ("/", bpo_kpo.get_absolute_url(), "/category/business/"):
            assert_friendly_503(client.get(path))
    assert "Database unavailable" in caplog.text


def test_with_the_database_down_an_outage_outside_the_view_is_a_503_too(bpo_kpo, admin_user):
    client = Client(raise_request_exception=False)
    client.login(username="admin", password="password")
    caches["default"].clear()  # the session must now come from the database
    with database_down():
        assert_friendly_503(client.get("/"))


def test_with_the_database_down_cached_pages_are_still_served(bpo_kpo):
    client = Client(raise_request_exception=False)
    client.get(bpo_kpo.get_absolute_url())
    with database_down():
        response = client.get(bpo_kpo.get_absolute_url())
    assert response.status_code == 200 and response["X-Page-Cache"] == "hit"


def test_a_real_server_whose_database_is_unreachable_answers_503(static_root):
    env = production_env(
        static_root,
        DATABASE_URL=f"postgres://nobody@127.0.0.1:{free_port()}/nothing",
        REDIS_URL="",
        DJANGO_CACHE_DIR="",
    )
    with app_server(env) as url:
        status, headers, body = get(url + "/difference-between-bpo-and-kpo/")
    assert status == 503
    assert headers["Retry-After"] == "30"
    assert "Back in a moment" in body and "Traceback" not in body
