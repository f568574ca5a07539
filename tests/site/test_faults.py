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
            # Every page, search results too, misses every time.
            assert response.get("X-Page-Cache") == "miss"
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


TYPED = "Careful: <b>BPO</b> & KPO are often confused."


def comment_form_data(comparison):
    """A valid comment form on `comparison`, its captcha solved from the database."""
    from tests.comments.conftest import form_data

    return form_data(comparison, text=TYPED, name="Ada Typist")


def test_with_redis_down_posting_a_comment_is_refused_politely_with_the_text_kept(
    client, bpo_kpo, redis_down
):
    from comments.models import Comment

    response = client.post("/comments/post/", comment_form_data(bpo_kpo))
    assert response.status_code == 429
    html = response.content.decode()
    assert "Comments cannot be accepted right now; please try again in a minute." in html
    assert "Careful: &lt;b&gt;BPO&lt;/b&gt; &amp; KPO are often confused.</textarea>" in html
    assert 'value="Ada Typist"' in html
    assert "no-store" in response["Cache-Control"]
    assert not Comment.objects.exists()
    # Pages are still served meanwhile.
    assert client.get(bpo_kpo.get_absolute_url()).status_code == 200


def test_with_the_database_down_posting_a_comment_answers_503_and_keeps_the_text(bpo_kpo, caplog):
    """The comment cannot be stored, so the answer is the friendly 503 page (Retry-After),
    and nothing is written. The product keeps the typed text: the 503 page shows it in a form
    that posts it again, with the hidden fields it came with. Rendering the full comment form
    is not possible, since its captcha lives in the database; so the form sent again lacks a
    captcha and comes back (text kept) with a fresh one once the database is back.
    """
    from comments.models import Comment

    client = Client(raise_request_exception=False)
    data = comment_form_data(bpo_kpo)
    with database_down():
        response = client.post("/comments/post/", data)
    assert_friendly_503(response)
    html = response.content.decode()
    assert "<h2 id=\"kept-comment-heading\">Your comment was not posted</h2>" in html
    assert '<form method="post" action="/comments/post/">' in html
    assert (
        '<textarea id="id_text" name="text" rows="8" cols="60">'
        "Careful: &lt;b&gt;BPO&lt;/b&gt; &amp; KPO are often confused.</textarea>"
    ) in html
    for name in ("target", "object_id", "timestamp", "security_hash", "name", "email"):
        assert f'name="{name}" value="{data[name]}"' in html
    assert 'name="captcha_' not in html and 'name="website"' not in html
    assert "Database unavailable for /comments/post/" in caplog.text
    assert not Comment.objects.exists()

    # Sent again once the database is back: the form returns, text kept, with a new captcha.
    again = client.post(
        "/comments/post/",
        {"csrfmiddlewaretoken": "x", **{k: v for k, v in data.items() if "captcha" not in k}},
    )
    assert again.status_code == 400
    assert "often confused.</textarea>" in again.content.decode()
    assert 'name="captcha_0"' in again.content.decode()
    assert not Comment.objects.exists()


def test_the_database_going_away_while_a_comment_is_stored_writes_nothing(bpo_kpo):
    from comments.models import Comment

    client = Client(raise_request_exception=False)
    failure = OperationalError("server closed the connection unexpectedly")
    with mock.patch("comments.moderation.notify_changed", side_effect=failure):
        response = client.post("/comments/post/", comment_form_data(bpo_kpo))
    assert_friendly_503(response)
    assert "often confused.</textarea>" in response.content.decode()
    assert not Comment.objects.exists()
