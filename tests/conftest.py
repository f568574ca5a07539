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
from tests.factories import make_category, make_comparison, make_subject

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# browser tests make around it are still plain synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _empty_caches():
    """Start every test with empty caches: cached pages must not leak between tests."""
    for cache in caches.all():
        cache.clear()
    forget_local_copies()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture(scope="session")
def demo_media(tmp_path_factory):
    """One media folder for the demo content of the whole session: its images are drawn once."""
    return tmp_path_factory.mktemp("demo-media")


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


@pytest.fixture
def demo_media_root(settings, demo_media, encode_renditions_once):
    """Keep media in the session's demo folder (its illustrations are drawn once) and encode
    renditions once. The folder fills up: a rendition saved again gets a suffixed name."""
    settings.MEDIA_ROOT = demo_media
    return demo_media


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


