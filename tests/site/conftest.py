import pytest

from tests.site.servers import RedisServer, collect_static


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """Static files collected once per test session, as `collectstatic` does in production."""
    root = tmp_path_factory.mktemp("static")
    collect_static(root)
    return root


@pytest.fixture
def redis_server():
    """A Redis server of the test's own (Debian's redis-server), stopped afterwards."""
    server = RedisServer()
    server.start()
    yield server
    server.stop()
