"""The site's WSGI application as bench_site serves it: a request carrying `X-Bench-Miss`
finds its page gone from the page cache (shared and local copies), as an expired or evicted
page is, and is rendered with the page's shared parts warm and stored again. Every other
request is the site's own. `tests.factories.page_cache_miss` does the same in-process."""

from django.core.handlers.wsgi import WSGIRequest

from config.wsgi import application as site
from pagecache.middleware import drop_page


def application(environ, start_response):
    if environ.get("HTTP_X_BENCH_MISS"):
        drop_page(WSGIRequest(environ))
    return site(environ, start_response)
