"""Shared fixtures; the factories live in tests/factories.py."""

import hashlib
import os
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.utils import timezone

from comparisons import images
from pagecache import recovery
from pagecache.middleware import forget_local_copies
from tests.demo_content import DemoDatabase
from tests.factories import make_category, make_comparison, make_subject

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# browser tests make around it are still plain synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def empty_caches():
    for cache in caches.all():
        cache.clear()
    forget_local_copies()


@pytest.fixture(autouse=True)
def _empty_caches():
    """Start every test with empty caches: cached pages must not leak between tests."""
    empty_caches()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture(scope="session")
def _encoded_renditions():
    return {}


@pytest.fixture
def encode_renditions_once(monkeypatch, _encoded_renditions):
    """Encode the renditions of each image once per session.

    Loading the demo in test after test gives the same illustrations: their renditions are
    saved through the storage on every load as always, only their encoding (the same bytes
    each time) is reused.
    """
    encode = images.encode_renditions

    def encode_once(file, name):
        file.seek(0)
        key = (hashlib.sha256(file.read()).digest(), name)
        if key not in _encoded_renditions:
            _encoded_renditions[key] = encode(file, name)
        file.seek(0)
        return _encoded_renditions[key]

    monkeypatch.setattr(images, "encode_renditions", encode_once)


DEMO_SITE = "demo_site"
_demo_database_key = pytest.StashKey[DemoDatabase]()


@pytest.fixture(scope="session")
def _demo_database(request, tmp_path_factory, django_db_setup, django_db_blocker):
    database = DemoDatabase(tmp_path_factory, django_db_blocker)
    request.config.stash[_demo_database_key] = database
    return database


@pytest.fixture
def demo_site(
    request, settings, live_server, _demo_database, django_db_blocker, encode_renditions_once
):
    """The database as loading the demo content into an empty one leaves it, shared.

    One load serves test after test while none changes it (see tests/demo_content.py); the
    caches start empty all the same. The test runs outside any transaction, with database
    access, and its media are the load's; `live_server` serves it (and makes pytest-django
    create the test database even when no other test asks for one). Returns the load's
    `DemoDatabase`: `.output` is what `load_demo` printed.
    """
    if request.node.get_closest_marker("django_db"):
        pytest.fail(
            "A test on the shared demo content takes no django_db mark: its rollback or "
            "flush would undo the load."
        )
    with django_db_blocker.unblock():
        if _demo_database.ensure_loaded(settings):
            empty_caches()  # as a test that did not load finds them
        settings.MEDIA_ROOT = _demo_database.media_root
        yield _demo_database
        _demo_database.restore_after_test()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """A test that does not take the demo content starts from an empty database."""
    database = item.config.stash.get(_demo_database_key, None)
    if database is not None and DEMO_SITE not in getattr(item, "fixturenames", ()):
        with database.blocker.unblock():
            database.empty_before()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Run the tests that take the demo content one after another, so that they share its
    loads (pytest-django's own reordering, after this, keeps them together; with
    `--dist loadfile` a pytest-xdist worker runs a module's tests one after another)."""
    on_demo = [item for item in items if DEMO_SITE in getattr(item, "fixturenames", ())]
    if not on_demo:
        return
    others = [item for item in items if DEMO_SITE not in getattr(item, "fixturenames", ())]
    first = items.index(on_demo[0])
    items[:] = others[:first] + on_demo + others[first:]


@pytest.fixture(autouse=True)
def _live_server_helper(request):
    """pytest-django's own (make `live_server` work for the test), except that a test on the
    shared demo content gets no `transactional_db`: its flush would undo the load."""
    if "live_server" not in request.fixturenames:
        yield
        return
    if DEMO_SITE not in request.fixturenames:
        request.getfixturevalue("transactional_db")
    live_server = request.getfixturevalue("live_server")
    live_server._live_server_modified_settings.enable()
    yield
    live_server._live_server_modified_settings.disable()


@pytest.fixture(autouse=True)
def _page_cache_caught_up(settings):
    """Tests run the page cache's recovery checks themselves (no thread), from a clean state."""
    settings.PAGE_CACHE_RECOVERY_SECONDS = 0
    recovery.forget_state()


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user(
        "staffer", password="correct horse battery", is_staff=True
    )


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def bpo_kpo(db):
    business = make_category("Business", slug="business")
    return make_comparison(
        make_subject("BPO", slug="bpo"),
        make_subject("KPO", slug="kpo"),
        categories=[business],
        key_difference="BPO outsources processes; KPO outsources knowledge work.",
        rows=[
            ("Stands for", "Business Process Outsourcing", "Knowledge Process Outsourcing"),
            ("Skills required", "Communication skills", "Specialised knowledge"),
            ("Level of service", "Low end services", "High end services"),
        ],
    )


class FrozenClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now

    def move(self, **delta):
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock(monkeypatch):
    """Freeze `django.utils.timezone.now` at 2025-06-02 12:00 UTC; `clock.move(hours=1)`."""
    from datetime import UTC, datetime

    frozen = FrozenClock(datetime(2025, 6, 2, 12, 0, tzinfo=UTC))
    monkeypatch.setattr(timezone, "now", frozen)
    return frozen


def pytest_sessionfinish(session, exitstatus):
    """Fail a CI run that skipped any test: a skip there is a missing install step."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if os.environ.get("CI") and reporter and reporter.stats.get("skipped"):
        reporter.write_line("CI does not allow skipped tests.", red=True)
        session.exitstatus = 1
