import pytest

from tests.site.servers import collect_static


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """Static files collected once per test session, as `collectstatic` does in production."""
    root = tmp_path_factory.mktemp("static")
    collect_static(root)
    return root
