"""The page cache's rules: what is served from it, what is never kept, HTTP caching headers."""

import io
from unittest import mock

import pytest
from django.contrib.sessions.backends.cached_db import SessionStore
from django.core.management import call_command

from pagecache.store import page_cache
from pagecache.tags import invalidate
from tests.pagecache import urls as site_urls

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.pagecache.urls")]


@pytest.fixture(autouse=True)
def _reset_calls():
    site_urls.calls["count"] = 0


def test_second_anonymous_get_is_served_from_the_cache(client, django_assert_num_queries):
    first = client.get("/plain/")
    with django_assert_num_queries(0):
        second = client.get("/plain/")
    assert first.content == second.content == b"plain 1"
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"


def test_public_pages_tell_browsers_and_cdns_how_long_to_keep_them(client):
    for response in (client.get("/plain/"), client.get("/plain/")):
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"public", "stale-while-revalidate=10"} <= directives
        assert "max-age=5" in directives and "s-maxage=5" in directives
        assert "Cookie" not in response.get("Vary", "")
        assert response["ETag"].startswith('"') and response["Last-Modified"].endswith("GMT")


def test_conditional_requests_get_304_from_the_cache(client, django_assert_num_queries):
    first = client.get("/plain/")
    with django_assert_num_queries(0):
        by_etag = client.get("/plain/", headers={"if-none-match": first["ETag"]})
        by_date = client.get("/plain/", headers={"if-modified-since": first["Last-Modified"]})
    assert by_etag.status_code == 304 and by_date.status_code == 304
    assert by_etag.content == b""
    changed = client.get("/plain/", headers={"if-none-match": '"something-else"'})
    assert changed.status_code == 200


@pytest.mark.parametrize("path", ["/cookie/", "/private/"])
def test_responses_setting_cookies_or_private_are_never_kept(client, path):
    client.get(path)
    second = client.get(path)
    assert second.content.endswith(b" 2")
    assert "X-Page-Cache" not in second


def test_a_tag_bumped_during_the_render_keeps_the_page_out_of_the_cache(client):
    client.get("/racy/")
    assert client.get("/racy/").content == b"racy 2"


def test_other_methods_and_unknown_query_parameters_bypass_the_cache(client):
    client.get("/plain/")
    assert client.get("/plain/?utm_source=x").content == b"plain 2"
    assert client.get("/plain/?page=2").content == b"plain 3"
    assert client.get("/plain/?page=2").content == b"plain 3"
    assert client.post("/plain/").content == b"plain 4"
    assert client.get("/plain/").content == b"plain 1"


@pytest.mark.parametrize("query", ["?page=02", "?page=abc", "?page=2&page=3", "?sort=new", "?page=2&q=x"])
def test_a_page_asked_for_with_a_query_it_does_not_understand_is_served_but_not_kept(
    client, query
):
    assert client.get("/plain/?page=2").content == b"plain 1"
    assert client.get("/plain/" + query).content == b"plain 2"
    assert client.get("/plain/" + query).content == b"plain 3"
    assert client.get("/plain/?page=2").content == b"plain 1"


def test_logged_in_users_always_get_fresh_private_pages(client, staff_user):
    client.get("/plain/")
    client.force_login(staff_user)
    response = client.get("/plain/")
    assert response.content == b"plain 2"
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_anonymous_session_is_served_the_cache_but_its_render_is_not_kept(client):
    session = SessionStore()
    session["messages"] = "something for this visitor only"
    session.save()
    client.cookies["sessionid"] = session.session_key
    assert client.get("/plain/").content == b"plain 1"
    assert client.get("/plain/").content == b"plain 2"  # not stored for a session holder
    del client.cookies["sessionid"]
    assert client.get("/plain/").content == b"plain 3"
    client.cookies["sessionid"] = session.session_key
    assert client.get("/plain/").content == b"plain 3"  # but served what anonymous readers get


def test_admin_is_private_and_never_cached(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "X-Page-Cache" not in response


def test_anonymous_admin_login_page_is_not_cached(client):
    response = client.get("/admin/login/")
    assert "no-store" in response["Cache-Control"]
    assert "X-Page-Cache" not in response


def test_invalidate_pages_command_drops_every_cached_page(client):
    client.get("/plain/")
    assert client.get("/plain/").content == b"plain 1"
    call_command("invalidate_pages", stdout=io.StringIO())
    assert client.get("/plain/").content == b"plain 2"


def test_a_page_kept_in_memory_is_dropped_by_the_next_invalidation(client):
    client.get("/plain/")
    assert client.get("/plain/").content == b"plain 1"
    invalidate("thing:1")
    assert client.get("/plain/").content == b"plain 2"
    assert client.get("/plain/").content == b"plain 2"


def test_without_the_watch_every_hit_checks_the_tag_versions_in_the_shared_cache(
    client, settings
):
    settings.PAGE_CACHE_WATCH_CHANGES = False
    client.get("/plain/")
    with mock.patch.object(page_cache(), "get_many", wraps=page_cache().get_many) as get_many:
        client.get("/plain/")
        client.get("/plain/")
    assert get_many.call_count == 2
    invalidate("thing:1")
    assert client.get("/plain/").content == b"plain 2"


def test_a_hit_runs_no_sql_and_never_touches_the_session(client, django_assert_num_queries):
    from django.contrib.sessions.middleware import SessionMiddleware

    client.get("/plain/")
    with (
        mock.patch.object(SessionStore, "load", side_effect=AssertionError("session read")),
        mock.patch.object(
            SessionMiddleware, "process_request", side_effect=AssertionError("session set up")
        ),
        django_assert_num_queries(0),
    ):
        response = client.get("/plain/")
    assert response.content == b"plain 1" and response["X-Page-Cache"] == "hit"


def test_a_hit_sends_the_headers_computed_when_the_page_was_stored(client):
    first = client.get("/plain/")
    second = client.get("/plain/")
    for name in ("Cache-Control", "ETag", "Last-Modified", "Content-Type", "xkey"):
        assert second[name] == first[name]
    assert second["X-Page-Cache"] == "hit"
    assert second["Content-Length"] == str(len(second.content))  # not sent in chunks


def test_a_hit_repeats_every_header_the_site_gave_the_page_without_running_its_middleware(
    client,
):
    from django.middleware.security import SecurityMiddleware

    from config.middleware import PermissionsPolicyMiddleware, SiteCSPMiddleware

    first = client.get("/plain/")
    assert {"Content-Security-Policy", "Permissions-Policy", "Referrer-Policy"} <= set(
        first.headers
    )
    refuse = AssertionError("middleware ran for a hit")
    with (
        mock.patch.object(SecurityMiddleware, "process_request", side_effect=refuse),
        mock.patch.object(SecurityMiddleware, "process_response", side_effect=refuse),
        mock.patch.object(SiteCSPMiddleware, "process_response", side_effect=refuse),
        mock.patch.object(PermissionsPolicyMiddleware, "__call__", side_effect=refuse),
    ):
        second = client.get("/plain/")
    assert second["X-Page-Cache"] == "hit"
    assert {**first.headers, "X-Page-Cache": "hit"} == dict(second.headers)


def test_static_files_pass_the_page_cache_by(client, settings):
    with mock.patch(
        "pagecache.middleware.PageCacheMiddleware._lookup",
        side_effect=AssertionError("looked up in the page cache"),
    ):
        client.get(settings.STATIC_URL + "css/site.css")
        client.get(settings.MEDIA_URL + "anything.png")


@pytest.fixture
def change_in(clock, monkeypatch):
    """`change_in(seconds)`: a scheduled change (a publication, a take-down) that many
    seconds from now."""
    from datetime import timedelta

    from pagecache import middleware

    def schedule(seconds):
        moment = clock.now + timedelta(seconds=seconds)
        monkeypatch.setattr(middleware, "schedule_sources", lambda: [lambda: moment])

    return schedule


def test_near_a_scheduled_change_a_hit_tells_caches_to_keep_it_only_until_then(
    client, clock, settings, change_in
):
    settings.PAGE_HTTP_MAX_AGE = settings.PAGE_HTTP_SHARED_MAX_AGE = 600
    change_in(1000)
    client.get("/plain/")
    clock.move(seconds=900)
    response = client.get("/plain/")
    assert response["X-Page-Cache"] == "hit"
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"max-age=100", "s-maxage=100"} <= directives


def test_without_a_scheduled_change_edges_keep_their_time_and_grace(client, clock, settings):
    """The page cache's own period ending changes nothing readers see: an edge may keep the
    page its s-maxage, and serve it stale while it fetches it again (its grace)."""
    settings.PAGE_HTTP_SHARED_MAX_AGE = settings.PAGE_CACHE_SECONDS
    miss = client.get("/plain/")
    clock.move(seconds=settings.PAGE_CACHE_SECONDS - 100)
    hit = client.get("/plain/")
    assert hit["X-Page-Cache"] == "hit"
    for response in (miss, hit):
        directives = cache_control(response)
        assert directives["s-maxage"] == settings.PAGE_CACHE_SECONDS
        assert directives["stale-while-revalidate"] == 10


def cache_control(response):
    """The Cache-Control directives as {name: seconds or None}."""
    directives = {}
    for directive in response["Cache-Control"].split(","):
        name, _, value = directive.strip().partition("=")
        directives[name] = int(value) if value else None
    return directives


@pytest.mark.parametrize("left", [3, 8, 14])
def test_no_cache_serves_a_page_past_its_expiry_even_while_revalidating(
    client, clock, settings, left, change_in
):
    """A page expires at the next scheduled change (a take-down among them): neither a
    browser (max-age) nor an edge (s-maxage) may use its copy after that, stale copies
    served while revalidating (stale-while-revalidate, an edge's grace) included."""
    change_in(1000)
    client.get("/plain/")
    clock.move(seconds=1000 - left)
    response = client.get("/plain/")
    assert response["X-Page-Cache"] == "hit"
    directives = cache_control(response)
    longest = max(directives["max-age"], directives["s-maxage"])
    assert longest + directives["stale-while-revalidate"] <= left
    assert longest == min(left, 5)
