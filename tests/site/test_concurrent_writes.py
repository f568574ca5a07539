"""Concurrent posts against a live server: none answers 503, every accepted one is stored."""

import http.client
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode, urlsplit

import pytest
from django.db import connection

from comments.models import Comment
from tests.comments.conftest import form_data
from tests.factories import make_comparison

pytestmark = pytest.mark.django_db(transaction=True)

CSRF_SECRET = "a" * 32  # Django accepts the unmasked secret as the form's token
THREADS = 8


def post(server_url, data, address):
    """POST a comment as the client at `address` (behind the trusted proxy); return the status."""
    url = urlsplit(server_url)
    body = urlencode({**data, "csrfmiddlewaretoken": CSRF_SECRET})
    connection_ = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    try:
        connection_.request(
            "POST",
            "/comments/post/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={CSRF_SECRET}",
                "X-Forwarded-For": address,
            },
        )
        return connection_.getresponse().status
    finally:
        connection_.close()


@pytest.fixture
def proxied(settings):
    settings.COMMENTS_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.PAGE_CACHE_ENABLED = False


def test_sqlite_is_configured_for_concurrent_web_use():
    if connection.vendor != "sqlite":
        assert connection.vendor == "postgresql"  # row locks: nothing to configure
        return
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert cursor.execute("PRAGMA busy_timeout").fetchone() == (20_000,)
    assert connection.transaction_mode == "IMMEDIATE"


def test_concurrent_posts_from_many_visitors_are_all_stored(live_server, proxied):
    article = make_comparison("Film", "Movie")
    posts = [
        (form_data(article, text=f"Comment number {number}."), f"198.51.100.{number}")
        for number in range(1, 49)
    ]
    with ThreadPoolExecutor(THREADS) as pool:
        statuses = list(pool.map(lambda post_: post(live_server.url, *post_), posts))
    assert statuses == [302] * len(posts)
    assert Comment.objects.count() == len(posts)


def test_of_two_posts_at_once_from_one_visitor_exactly_one_is_stored(live_server, proxied):
    article = make_comparison("Film", "Movie")
    for round_ in range(4):
        address = f"203.0.113.{round_ + 1}"
        posts = [form_data(article, text=f"From {address}, post {number}.") for number in (1, 2)]
        start = threading.Barrier(2)

        def send(data, address=address, start=start):
            start.wait()
            return post(live_server.url, data, address)

        with ThreadPoolExecutor(2) as pool:
            statuses = sorted(pool.map(send, posts))
        assert statuses == [302, 429]
    assert Comment.objects.count() == 4
