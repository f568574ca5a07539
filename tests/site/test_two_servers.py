"""Two app servers on one database and one shared cache behave as one site.

Both servers are real gunicorn processes with production settings, on different ports, using
the test database pytest-django created (committed data: `transaction=True`).

- On PostgreSQL runs (DATABASE_URL and REDIS_URL set) they share the PostgreSQL test database
  and Redis, exactly as in production.
- On SQLite runs the test database is a file (settings: DATABASES TEST NAME), so both servers
  open the same file; with no Redis configured they share a file-based cache in a temporary
  folder (DJANGO_CACHE_DIR). The shared-cache logic under test (tag versions, page entries,
  rate-limit counters) is the same code on either cache, so this still checks that nothing is
  kept per process. The test never skips.
"""

import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest

from comparisons.models import Comparison
from pagecache.models import PendingBump
from tests.site import servers
from tests.site.servers import (
    ROOT,
    RedisServer,
    app_server,
    production_env,
    shared_database_url,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shared_env(static_root, tmp_path):
    env = {"DATABASE_URL": shared_database_url()}
    if os.environ.get("REDIS_URL"):
        env["REDIS_URL"] = os.environ["REDIS_URL"]
    else:
        env.update(REDIS_URL="", DJANGO_CACHE_DIR=str(tmp_path / "cache"))
    return production_env(static_root, **env)


def get(url):
    """GET as a reader coming through the load balancer: the same Host on both servers."""
    return servers.get(url, headers={"Host": "localhost"})


class Editor:
    """An editor's browser session against one server: log in, run an admin action."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def _csrf_token(self, path):
        html = self.opener.open(self.base_url + path, timeout=20).read().decode()
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    def post(self, path, data):
        data = {"csrfmiddlewaretoken": self._csrf_token(path), **data}
        body = urllib.parse.urlencode(data, doseq=True).encode()
        return self.opener.open(self.base_url + path, body, timeout=20)

    def log_in(self, username, password):
        response = self.post(
            "/admin/login/?next=/admin/",
            {"username": username, "password": password, "next": "/admin/"},
        )
        assert response.url.endswith("/admin/"), "login failed"

    def run_action(self, action, obj, changelist="/admin/comparisons/comparison/"):
        self.post(changelist, {"action": action, "_selected_action": [obj.pk]})


def test_an_edit_through_one_server_is_seen_through_the_other_at_once(shared_env, bpo_kpo, admin_user):
    path = bpo_kpo.get_absolute_url()
    with app_server(shared_env) as one, app_server(shared_env) as two:
        status, headers, body = get(two + path)
        assert status == 200 and headers["X-Page-Cache"] == "miss"
        assert "Difference between BPO and KPO" in body
        # The page server two rendered is in the shared cache: server one serves it.
        status, headers, _ = get(one + path)
        assert status == 200 and headers["X-Page-Cache"] == "hit"
        get(two + "/")

        editor = Editor(one)
        editor.log_in("admin", "password")
        editor.run_action("unpublish", bpo_kpo)
        assert Comparison.objects.get(pk=bpo_kpo.pk).status == Comparison.Status.UNPUBLISHED
        assert get(two + path)[0] == 404
        assert get(one + path)[0] == 404  # one held a copy in memory: it was checked, not served
        assert 'href="/difference-between-bpo-and-kpo/"' not in get(two + "/")[2]

        editor.run_action("publish", bpo_kpo)
        status, _, body = get(two + path)
        assert status == 200 and "Difference between BPO and KPO" in body
        assert 'href="/difference-between-bpo-and-kpo/"' in get(two + "/")[2]


def test_a_comment_approved_through_one_server_is_shown_by_the_other_at_once(
    shared_env, bpo_kpo, admin_user
):
    from comments.models import Comment
    from comments.moderation import post_comment

    path = bpo_kpo.get_absolute_url()
    text = "Waiting for approval on server one."
    comment = post_comment(bpo_kpo, text=text, name="Ada", email="ada@example.com")
    assert comment.status == Comment.Status.PENDING
    with app_server(shared_env) as one, app_server(shared_env) as two:
        status, headers, body = get(two + path)
        assert status == 200 and headers["X-Page-Cache"] == "miss"
        assert text not in body
        status, headers, body = get(two + path)
        assert status == 200 and headers["X-Page-Cache"] == "hit"  # two serves its cached copy

        editor = Editor(one)
        editor.log_in("admin", "password")
        editor.run_action("approve", comment, changelist="/admin/comments/comment/")
        assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PUBLISHED

        status, headers, body = get(two + path)  # an anonymous reader on the other server
        assert status == 200 and headers["X-Page-Cache"] == "miss"
        assert f'id="{comment.anchor}"' in body and text in body

        editor.run_action("unpublish", comment, changelist="/admin/comments/comment/")
        status, _, body = get(two + path)
        assert status == 200 and text not in body


def eventually(condition, seconds=15):
    """Whether `condition()` holds within `seconds` (servers check in threads of their own)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def test_a_take_down_redis_refused_reaches_both_servers_once_redis_takes_writes_again(
    static_root, bpo_kpo, admin_user
):
    redis = RedisServer()
    redis.start()
    env = production_env(
        static_root,
        DATABASE_URL=shared_database_url(),
        REDIS_URL=redis.url,
        PAGE_CACHE_RECOVERY_SECONDS="0.5",
    )
    path, link = bpo_kpo.get_absolute_url(), 'href="/difference-between-bpo-and-kpo/"'
    try:
        with app_server(env) as one, app_server(env) as two:
            for server in (one, two, one, two):
                get(server + path), get(server + "/")
            assert get(two + path)[1]["X-Page-Cache"] == "hit"
            editor = Editor(one)
            editor.log_in("admin", "password")

            redis.client().config_set("maxmemory", 1)  # noeviction: every write refused
            editor.run_action("unpublish", bpo_kpo)
            assert Comparison.objects.get(pk=bpo_kpo.pk).status == Comparison.Status.UNPUBLISHED
            assert PendingBump.objects.exists()
            assert get(one + path)[0] == 404  # one saw the refusal: it serves no cached page
            assert eventually(lambda: get(two + path)[0] == 404)  # two finds it at its check

            redis.client().config_set("maxmemory", 0)
            assert eventually(lambda: not PendingBump.objects.exists())
            for server in (one, two):
                assert get(server + path)[0] == 404
                assert link not in get(server + "/")[2]
            # Caught up: both serve cached pages again.
            for server in (one, two):
                assert eventually(lambda s=server: get(s + "/")[1]["X-Page-Cache"] == "hit")
    finally:
        redis.stop()


def count_in_rate_limit_cache(env):
    """Count one post in the rate-limit cache from a separate process; return the new total."""
    code = (
        "from django.conf import settings; from django.core.cache import caches; "
        "cache = caches[settings.COMMENTS_RATE_LIMIT_CACHE]; "
        "cache.add('test-two-servers:posts', 0, 60); "
        "print(cache.incr('test-two-servers:posts'))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return int(result.stdout.split()[-1])


def test_rate_limit_counts_are_shared_between_processes(shared_env):
    first = count_in_rate_limit_cache(shared_env)
    assert count_in_rate_limit_cache(shared_env) == first + 1
