"""The site's WSGI application as bench_site serves it: a request carrying `X-Bench-Miss`
finds its page gone from the page cache (shared and local copies), as an expired or evicted
page is, and is rendered with the page's shared parts warm and stored again. Every other
request is the site's own. `tests.factories.page_cache_miss` does the same in-process."""

from django.core.handlers.wsgi import WSGIRequest

from config.wsgi import application as site
from pagecache.middleware import _cache_key, _local_copies
from pagecache.store import page_cache


def application(environ, start_response):
    if environ.get("HTTP_X_BENCH_MISS"):
        key = _cache_key(WSGIRequest(environ))
        page_cache().delete(key)
        _local_copies.drop(key)
    return site(environ, start_response)
