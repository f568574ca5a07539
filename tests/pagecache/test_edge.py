"""An edge cache (Varnish with the shipped VCL) in front of a real app server: pages carry
their tags, every change purges exactly the pages showing it there, per-visitor pages are
never kept there, and a purge the edge missed is retried.

The app server is gunicorn on the test database; the test process and the app server share
a Redis of the test's own, so a change made here reaches the server's page cache as another
app server's change would.
"""

import subprocess
import urllib.parse

import pytest
from django.test import Client

from comparisons import interest, services
from comparisons.models import Category, PinnedComparison
from pagecache import recovery
from pagecache.edge import purge
from pagecache.middleware import forget_local_copies
from pagecache.models import PendingBump
from tests.factories import make_category, make_comparison
from tests.pagecache.conftest import redis_caches
from tests.site import servers
from tests.site.servers import VCL, RedisServer, VarnishServer, app_server, server_env

LINK = 'href="/difference-between-bpo-and-kpo/"'


def test_the_shipped_vcl_compiles(tmp_path):
    result = subprocess.run(
        ["varnishd", "-C", "-j", "none", "-f", str(VCL), "-n", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_cached_pages_name_their_tags_for_edges_and_other_pages_do_not(bpo_kpo, admin_user):
    client, path = Client(), bpo_kpo.get_absolute_url()
    miss, hit = client.get(path), client.get(path)
    assert miss["X-Page-Cache"] == "miss" and hit["X-Page-Cache"] == "hit"
    tags = miss["xkey"].split(" ")
    assert f"comparisons.comparison:{bpo_kpo.pk}" in tags and "site" in tags
    assert tags == sorted(tags)
    assert miss["Surrogate-Key"] == hit["xkey"] == hit["Surrogate-Key"] == miss["xkey"]
    client.force_login(admin_user)
    for private in (client.get(path), client.get("/admin/")):
        assert "xkey" not in private and "Surrogate-Key" not in private


@pytest.fixture(scope="module")
def edge_servers(django_db_setup, django_db_blocker, tmp_path_factory):
    """Redis, one app server and Varnish in front of it, for the whole module."""
    redis = RedisServer()
    redis.start()
    with django_db_blocker.unblock():
        database = servers.shared_database_url()
    # The test process delivers and replays every change itself (recovery.check): the
    # server needs no recovery thread of its own.
    env = server_env(DATABASE_URL=database, REDIS_URL=redis.url, PAGE_CACHE_RECOVERY_SECONDS="0")
    try:
        with app_server(env) as app:
            varnish = VarnishServer(urllib.parse.urlsplit(app).port, tmp_path_factory.mktemp("v"))
            varnish.start()
            try:
                yield app, redis, varnish
            finally:
                varnish.stop()
    finally:
        redis.stop()


@pytest.fixture
def edge(edge_servers, settings, transactional_db):
    """Changes made by the test reach the app server's cache and purge the edge."""
    app, redis, varnish = edge_servers
    settings.CACHES = redis_caches(redis.url)
    settings.EDGE_PURGE_URLS = [varnish.url]
    redis.client().flushdb()
    purge(varnish.url, {"site"})
    forget_local_copies()
    yield varnish
    forget_local_copies()


def through(varnish, path):
    return servers.get(varnish.url + path)


def kept_at_the_edge(varnish, path):
    """Fetch `path` through the edge twice; whether the second came from the edge."""
    through(varnish, path)
    return through(varnish, path)[1]["X-Edge-Cache"] == "hit"


@pytest.fixture
def pages(edge, bpo_kpo):
    """BPO vs KPO next to a related comparison in its category, and one in another category."""
    business = Category.objects.get(slug="business")
    related = make_comparison("Shares", "Bonds", categories=[business])
    language = make_category("Language", slug="language")
    others = [make_comparison(a, b, categories=[language]) for a, b in (("Film", "Movie"), ("Big", "Large"))]
    path = bpo_kpo.get_absolute_url()
    assert kept_at_the_edge(edge, path)
    return {"path": path, "related": related, "business": business, "others": others, "language": language}


def test_a_published_comment_purges_the_page(edge, pages, bpo_kpo):
    # First of the tests using the app server: the server keeps content type ids, which
    # the database flush between transactional tests renumbers.
    from comments.models import Comment
    from comments.moderation import moderate, post_comment

    comment = post_comment(bpo_kpo, text="Seen at the edge.", name="Ada", email="a@example.com")
    assert "Seen at the edge." not in through(edge, pages["path"])[2]
    assert kept_at_the_edge(edge, pages["path"])
    moderate(Comment.objects.filter(pk=comment.pk), Comment.Status.PUBLISHED)
    status, headers, body = through(edge, pages["path"])
    assert headers["X-Edge-Cache"] == "miss" and "Seen at the edge." in body


def test_editing_the_comparison_purges_its_page(edge, pages, bpo_kpo):
    bpo_kpo.key_difference = "Edited for the edge."
    services.comparison_save(bpo_kpo)
    status, headers, body = through(edge, pages["path"])
    assert headers["X-Edge-Cache"] == "miss" and "Edited for the edge." in body
    assert not PendingBump.objects.exists()


def test_unpublishing_purges_the_page_and_the_home_page(edge, pages, bpo_kpo):
    assert kept_at_the_edge(edge, "/")
    services.comparison_unpublish(bpo_kpo)
    interest.refresh_most_searched()  # as the admin's unpublish action does
    assert through(edge, pages["path"])[0] == 404
    assert LINK not in through(edge, "/")[2]


def test_editing_a_related_comparison_purges_the_page_listing_it(edge, pages):
    related = pages["related"]
    assert related.get_absolute_url() in through(edge, pages["path"])[2]
    services.comparison_unpublish(related)
    interest.refresh_most_searched()
    status, headers, body = through(edge, pages["path"])
    assert headers["X-Edge-Cache"] == "miss" and related.get_absolute_url() not in body


def test_renaming_the_category_purges_the_page(edge, pages):
    business = pages["business"]
    business.name = "Commerce"
    business.save()
    status, headers, body = through(edge, pages["path"])
    assert headers["X-Edge-Cache"] == "miss" and "Commerce" in body


def test_a_changed_most_searched_block_purges_the_pages_showing_it(edge, pages):
    body = through(edge, pages["path"])[2]
    first, second = sorted(pages["others"], key=lambda c: body.index(c.get_absolute_url()))
    assert kept_at_the_edge(edge, pages["path"])
    PinnedComparison.objects.create(category=pages["language"], comparison=second, order=1)
    interest.refresh_most_searched()
    status, headers, body = through(edge, pages["path"])
    assert headers["X-Edge-Cache"] == "miss"
    assert body.index(second.get_absolute_url()) < body.index(first.get_absolute_url())


@pytest.mark.parametrize("path", ["/admin/login/", "comment-form"])
def test_per_visitor_pages_are_never_kept_at_the_edge(edge, bpo_kpo, path):
    from comments.forms import target_label

    if path == "comment-form":
        path = f"/comments/new/{target_label(bpo_kpo)}/{bpo_kpo.pk}/"
    assert through(edge, path)[0] == 200
    assert not kept_at_the_edge(edge, path)


def test_a_logged_in_editor_passes_the_edge(edge, pages, admin_user):
    client = Client()
    client.force_login(admin_user)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    status, headers, _ = servers.get(edge.url + pages["path"], headers={"Cookie": cookie})
    assert status == 200 and headers["X-Edge-Cache"] == "miss"
    assert "no-store" in headers["Cache-Control"]


def test_a_purge_the_edge_missed_is_retried_until_it_is_done(
    edge, pages, bpo_kpo, caplog, settings
):
    settings.EDGE_PURGE_TIMEOUT = 0.5  # the wait for an edge that does not answer
    edge.pause()  # unreachable: connections hang
    try:
        bpo_kpo.key_difference = "Purged late."
        services.comparison_save(bpo_kpo)
        assert PendingBump.objects.exclude(edge="").exists()
        # One wait on the dead edge, not one per page tag bumped by the save.
        assert caplog.text.count("Edge purge failed") == 1
        assert recovery.check() is True  # the edge's trouble does not stop the app's cache
        assert PendingBump.objects.exclude(edge="").exists()
    finally:
        edge.resume()
    assert recovery.check() is True
    assert not PendingBump.objects.exists()
    status, headers, body = through(edge, pages["path"])
    assert "Purged late." in body


def test_only_the_app_servers_may_purge(edge):
    assert '"127.0.0.1"' in VCL.read_text().split("acl purgers")[1].split("}")[0]


def test_with_the_edge_down_the_app_still_serves_and_changes_still_save(edge_servers, edge, pages, bpo_kpo):
    app = edge_servers[0]
    edge.stop()
    try:
        bpo_kpo.key_difference = "Saved with the edge down."
        services.comparison_save(bpo_kpo)
        status, _, body = servers.get(app + pages["path"])
        assert status == 200 and "Saved with the edge down." in body
        assert PendingBump.objects.exclude(edge="").exists()
    finally:
        edge.start()
    assert recovery.check() is True
    assert not PendingBump.objects.exists()
