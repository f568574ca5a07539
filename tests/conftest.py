"""Shared fixtures: small factories that build content with sensible defaults."""

import itertools
import os
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.utils import timezone

from comparisons.models import Category, Comparison, DifferenceRow, Subject, subject_slug
from comparisons.search import update_search_index
from config.page_cache import forget_local_copies

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# browser tests make around it are still plain synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

_sequence = itertools.count(1)


@pytest.fixture(autouse=True)
def _empty_caches():
    """Start every test with empty caches: cached pages must not leak between tests."""
    for cache in caches.all():
        cache.clear()
    forget_local_copies()
    yield


def make_subject(name=None, **overrides):
    name = name or f"Subject {next(_sequence)}"
    return Subject.objects.create(
        name=name, slug=overrides.pop("slug", subject_slug(name)), **overrides
    )


def make_category(name=None, **overrides):
    name = name or f"Category {next(_sequence)}"
    return Category.objects.create(
        name=name, slug=overrides.pop("slug", subject_slug(name)), **overrides
    )


def make_comparison(first=None, second=None, *, categories=None, rows=(), **overrides):
    """Create a published comparison; `first`/`second` may be names or Subjects."""
    first = first if isinstance(first, Subject) else make_subject(first)
    second = second if isinstance(second, Subject) else make_subject(second)
    fields = {
        "key_difference": f"{first.name} is not {second.name}.",
        "body": f"About {first.name} and {second.name}.",
        "status": Comparison.Status.PUBLISHED,
        "publish_at": timezone.now() - timedelta(days=1),
    }
    fields.update(overrides)
    comparison = Comparison.objects.create(first_subject=first, second_subject=second, **fields)
    comparison.categories.set(categories if categories is not None else [make_category()])
    DifferenceRow.objects.bulk_create(
        DifferenceRow(
            comparison=comparison, order=order, aspect=aspect, first_value=one, second_value=two
        )
        for order, (aspect, one, two) in enumerate(rows, start=1)
    )
    update_search_index([comparison.pk])
    return comparison


@pytest.fixture(autouse=True)
def empty_cache():
    """Start every test with an empty cache: no page, count or block from another test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


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


def page_cache_miss(client, path):
    """Render `path` once, then drop it from the page cache: the next GET is a miss.

    That is an uncached page on a running site: the shared caches it leans on (the category
    menu, the Most searched blocks, the schedule) are warm, as they are between edits.
    """
    from config.page_cache import SITE_TAG, invalidate

    client.get(path)
    invalidate(SITE_TAG)
