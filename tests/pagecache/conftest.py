import pytest
from django.conf import settings as site_settings

from config.redis_connection import GiveUpQuicklyConnection, forget_pauses
from pagecache.middleware import forget_local_copies
from tests.site.servers import RedisServer


@pytest.fixture
def redis_server(tmp_path):
    """A Redis server of the test's own (Debian's redis-server), stopped afterwards. SAVE
    writes a snapshot into the test's folder, which a restart loads."""
    server = RedisServer(directory=tmp_path)
    server.start()
    forget_pauses()
    yield server
    server.stop()
    forget_pauses()


def redis_caches(url):
    """The site's two caches on the Redis at `url`, as configured in production (with the
    suite's timeout)."""
    timeout = site_settings.REDIS_TIMEOUT_SECONDS

    def redis_cache(ignore_exceptions):
        return {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "site",
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": timeout,
                "SOCKET_TIMEOUT": timeout,
                "IGNORE_EXCEPTIONS": ignore_exceptions,
                "CONNECTION_POOL_KWARGS": {"connection_class": GiveUpQuicklyConnection},
            },
        }

    return {"default": redis_cache(True), "ratelimit": redis_cache(False)}


@pytest.fixture
def redis_page_cache(settings, redis_server):
    """The page cache on the test's own Redis, as configured in production."""
    settings.CACHES = redis_caches(redis_server.url)
    forget_local_copies()
    yield redis_server
    forget_local_copies()
